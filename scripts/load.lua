-- wrk script for scripts/load.sh: each connection walks a mix of pages, API
-- calls and the stylesheet, pages with the session cookie and API calls with
-- the bearer token. Read from the environment:
--   LOAD_COOKIE   "sapar_session=…" (the signed-in planner's session)
--   LOAD_TOKEN    the planner's API token
--   LOAD_VISITS   visits to open, "id:day,id:day,…" (a day within each)
--   LOAD_ONLY     a path to ask alone, without credentials (the reference run)
-- At the end it prints the answers by status and a summary line that
-- load.sh reads ("load-summary requests=… errors=… p50_ms=… p99_ms=… rps=…").

local cookie = os.getenv("LOAD_COOKIE") or ""
local token = os.getenv("LOAD_TOKEN") or ""
local visits_env = os.getenv("LOAD_VISITS") or ""

local function encode(text)
  return (text:gsub("[^%w%-_%.~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

local visits = {}
for id, day in visits_env:gmatch("(%d+):([%d%-]+)") do
  visits[#visits + 1] = { id = id, day = day }
end

-- The mix: {path, kind}; kind "page" carries the cookie, "api" the token.
local mix = {
  { "/visits", "page" },
  { "/visits?q=" .. encode("поездка 12"), "page" },
  { "/visits?q=" .. encode("лицо 42"), "page" },
  { "/visits?page=5", "page" },
  { "/participants", "page" },
  { "/participants?q=" .. encode("Участник 123"), "page" },
  { "/officials?q=" .. encode("лицо 42"), "page" },
  { "/venues", "page" },
  { "/api/v1/visits?limit=50", "api" },
  { "/api/v1/participants?q=" .. encode("участник 77"), "api" },
  { "/api/v1/officials?limit=100&offset=2000", "api" },
  { "/static/app.css", "static" },
}
for _, v in ipairs(visits) do
  mix[#mix + 1] = { "/visits/" .. v.id, "page" }
  mix[#mix + 1] = { "/visits/" .. v.id .. "?day=" .. v.day, "page" }
  mix[#mix + 1] = { "/api/v1/visits/" .. v.id .. "/conflicts", "api" }
end
if #visits > 0 then
  mix[#mix + 1] = { "/visits/" .. visits[1].id .. "/itinerary", "page" }
  mix[#mix + 1] = { "/visits/" .. visits[#visits].id .. "/itinerary?day=" .. visits[#visits].day, "page" }
end
if os.getenv("LOAD_ONLY") then
  mix = { { os.getenv("LOAD_ONLY"), "static" } }
end


local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  -- Made here, not at load: wrk knows the Host header from init on.
  requests = {}
  for i, entry in ipairs(mix) do
    local headers = { ["Accept-Encoding"] = "gzip" }
    if entry[2] == "page" then
      headers["Cookie"] = cookie
    elseif entry[2] == "api" then
      headers["Authorization"] = "Bearer " .. token
    end
    requests[i] = wrk.format("GET", entry[1], headers)
  end
  -- Each thread starts at another place in the mix.
  position = (id * 7) % #requests
  statuses = {}
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, _requests)
  local by_status = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + n
    end
  end
  local keys = {}
  for status in pairs(by_status) do
    keys[#keys + 1] = status
  end
  table.sort(keys)
  local parts = {}
  for _, status in ipairs(keys) do
    parts[#parts + 1] = status .. ": " .. by_status[status]
  end
  io.write("answers by status: " .. table.concat(parts, ", ") .. "\n")
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout + e.status
  io.write(string.format(
    "socket errors: connect %d, read %d, write %d, timeout %d; non-2xx/3xx: %d\n",
    e.connect, e.read, e.write, e.timeout, e.status))
  io.write(string.format(
    "load-summary requests=%d errors=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f rps=%.1f\n",
    summary.requests, errors,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests / (summary.duration / 1e6)))
end
