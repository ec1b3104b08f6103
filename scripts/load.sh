#!/usr/bin/env bash
# Load check of a release build on a generated protocol office (SQLite):
# 64 connections walking a mix of pages and API calls (scripts/load.lua) for
# DURATION seconds, after a reference run against the stylesheet alone, with
# the server's memory before, at its peak and after. Exits non-zero on any
# error: a socket error, a timeout, or an answer other than 2xx/3xx.
#
#   scripts/load.sh                  # 60 s
#   DURATION=600 scripts/load.sh     # 10 minutes, memory printed each minute
#
# Settings (environment): DURATION (s, 60), CONNECTIONS (64), THREADS (2),
# TIMEOUT (wrk's per-request limit, 10s), REFERENCE (s, 10), VISITS (1000),
# OFFICE (the office's folder, target/load/office: written once, reused),
# RUN_DIR (logs of this run, target/load/run-<time>).
# Traffic goes to 127.0.0.1 only; the server is stopped at the end.
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${DURATION:-60}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
TIMEOUT=${TIMEOUT:-10s}
REFERENCE=${REFERENCE:-10}
VISITS=${VISITS:-1000}
OFFICE=${OFFICE:-target/load/office}
RUN_DIR=${RUN_DIR:-target/load/run-$(date -u +%Y%m%dT%H%M%S)}
LUA=scripts/load.lua

say() { printf '%s\n' "$*"; }
fail() {
    say "load: $*" >&2
    exit 1
}
for n in "$DURATION" "$CONNECTIONS" "$THREADS" "$REFERENCE" "$VISITS"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || fail "DURATION, CONNECTIONS, THREADS, REFERENCE and VISITS are positive numbers"
done

if ! command -v wrk >/dev/null; then
    if [[ $(id -u) == 0 ]]; then
        apt-get install -y -q wrk >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
    fi
    command -v wrk >/dev/null || fail "wrk is missing (Debian: apt-get install wrk)"
fi
for tool in curl awk; do
    command -v "$tool" >/dev/null || fail "$tool is missing"
done

say "== building (release)"
cargo build --release --bin sapar --example office

mkdir -p "$RUN_DIR"
if [[ ! -s $OFFICE/credentials ]]; then
    say "== writing an office of $VISITS visits to $OFFICE"
    rm -rf "$OFFICE"
    mkdir -p "$OFFICE"
    target/release/examples/office "$OFFICE/sapar.db" "$VISITS" >"$OFFICE/credentials.new"
    mv "$OFFICE/credentials.new" "$OFFICE/credentials"
else
    say "== reusing the office in $OFFICE"
fi
credential() { awk -F= -v key="$1" '$1 == key { print substr($0, length(key) + 2) }' "$OFFICE/credentials"; }
EMAIL=$(credential SAPAR_LOAD_EMAIL)
PASSWORD=$(credential SAPAR_LOAD_PASSWORD)
TOKEN=$(credential SAPAR_LOAD_TOKEN)
[[ -n $EMAIL && -n $PASSWORD && -n $TOKEN ]] || fail "$OFFICE/credentials lacks the planner's credentials; remove $OFFICE and run again"

SERVER_PID=
SAMPLER_PID=
stop() {
    [[ -n $SAMPLER_PID ]] && kill "$SAMPLER_PID" 2>/dev/null
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID"
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=
}
trap stop EXIT

say "== starting the server (logs in $RUN_DIR)"
env SAPAR_DATA_DIR="$OFFICE" SAPAR_DATABASE_URL="sqlite://$OFFICE/sapar.db" \
    SAPAR_BASE_URL=http://127.0.0.1 RUST_LOG="${RUST_LOG:-info}" \
    target/release/sapar serve --bind 127.0.0.1:0 --no-demo \
    >"$RUN_DIR/server.out" 2>"$RUN_DIR/server.log" &
SERVER_PID=$!
BASE=
for _ in $(seq 600); do
    kill -0 "$SERVER_PID" 2>/dev/null || fail "the server stopped: $(tail -n 5 "$RUN_DIR/server.log")"
    BASE=$(sed -n 's|^Sapar is running at \(http://[^/]*\)/$|\1|p' "$RUN_DIR/server.out")
    [[ -n $BASE ]] && break
    sleep 0.1
done
[[ -n $BASE ]] || fail "the server did not start within a minute"
for _ in $(seq 100); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz") == 200 ]] && break
    sleep 0.1
done
[[ $(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz") == 200 ]] || fail "$BASE/healthz does not answer 200"
say "server $SERVER_PID at $BASE"

# Signing in as a browser does: the form's CSRF value and its cookie, then the post.
JAR="$RUN_DIR/cookies"
CSRF=$(curl -sS -c "$JAR" "$BASE/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
[[ -n $CSRF ]] || fail "no CSRF value on the sign-in form"
code=$(curl -sS -o /dev/null -w '%{http_code}' -b "$JAR" -c "$JAR" \
    --data-urlencode "csrf=$CSRF" --data-urlencode "email=$EMAIL" \
    --data-urlencode "password=$PASSWORD" --data-urlencode "next=/visits" "$BASE/login")
[[ $code == 303 ]] || fail "signing in answered $code, not 303"
SESSION=$(awk -F'\t' '$6 == "sapar_session" { print $7 }' "$JAR")
[[ -n $SESSION ]] || fail "signing in set no session cookie"
export LOAD_COOKIE="sapar_session=$SESSION" LOAD_TOKEN="$TOKEN"

page() { curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $LOAD_COOKIE" "$BASE$1"; }
api() { curl -sS -H "Authorization: Bearer $LOAD_TOKEN" "$BASE$1"; }
[[ $(page /visits) == 200 ]] || fail "the session cookie does not open /visits"
api /api/v1/me | grep -q "\"$EMAIL\"" || fail "the API token is refused"
# The lists' search must find something on the generated office.
found=$(api "/api/v1/participants?q=%D1%83%D1%87%D0%B0%D1%81%D1%82%D0%BD%D0%B8%D0%BA%2077&limit=1" |
    sed -n 's/.*"total":\([0-9]*\).*/\1/p')
[[ ${found:-0} -gt 0 ]] || fail "searching participants for «участник 77» finds nothing: no search text?"

# Visits to open: one past, one current (about today) and one upcoming, each
# on the second day of its programme.
LOAD_VISITS=
for id in $((VISITS / 10 + 1)) $((VISITS * 2 / 3)) $((VISITS * 9 / 10)); do
    first=$(api "/api/v1/visits/$id" | sed -n 's/.*"first_day":"\([0-9-]*\)".*/\1/p')
    [[ -n $first ]] || fail "visit $id is not in the office"
    LOAD_VISITS+="$id:$(date -u -d "$first + 1 day" +%F),"
done
export LOAD_VISITS=${LOAD_VISITS%,}
say "signed in as $EMAIL; visits opened (id:day): $LOAD_VISITS"

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
summary_field() { sed -n "s/.*load-summary.* $2=\([0-9.]*\).*/\1/p" "$1"; }

RSS_BEFORE=$(rss_kib)
say "memory before: $(mib "$RSS_BEFORE") MiB"

say "== reference: /static/app.css alone, $CONNECTIONS connections, ${REFERENCE} s"
LOAD_ONLY=/static/app.css wrk -t "$THREADS" -c "$CONNECTIONS" -d "${REFERENCE}s" \
    --timeout "$TIMEOUT" --latency -s "$LUA" "$BASE" >"$RUN_DIR/reference.txt"
cat "$RUN_DIR/reference.txt"

say "== the mix: $CONNECTIONS connections, $THREADS threads, ${DURATION} s"
LOG_MARK=$(wc -l <"$RUN_DIR/server.log")
: >"$RUN_DIR/rss.txt"
(
    start=$(date +%s)
    minute=0
    while kill -0 "$SERVER_PID" 2>/dev/null; do
        now=$(date +%s)
        kib=$(rss_kib) || break
        echo "$((now - start)) $kib" >>"$RUN_DIR/rss.txt"
        if (((now - start) / 60 > minute)); then
            minute=$(((now - start) / 60))
            peak=$(awk '$2 > m { m = $2 } END { print m }' "$RUN_DIR/rss.txt")
            say "  minute $minute: memory $(mib "$kib") MiB (peak so far $(mib "$peak") MiB)"
        fi
        sleep 1
    done
) &
SAMPLER_PID=$!
wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --timeout "$TIMEOUT" --latency \
    -s "$LUA" "$BASE" >"$RUN_DIR/mix.txt"
kill "$SAMPLER_PID" 2>/dev/null || true
wait "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=
cat "$RUN_DIR/mix.txt"
kill -0 "$SERVER_PID" 2>/dev/null || fail "the server died under load: $(tail -n 5 "$RUN_DIR/server.log")"
RSS_PEAK=$(awk '$2 > m { m = $2 } END { print m }' "$RUN_DIR/rss.txt")
sleep 5
RSS_AFTER=$(rss_kib)

# What the server said about the mix: answers other than 2xx/3xx by path, and
# any warning or error it logged.
tail -n "+$((LOG_MARK + 1))" "$RUN_DIR/server.log" >"$RUN_DIR/server-mix.log"
awk '$(NF-1) ~ /^[45][0-9][0-9]$/ { print $(NF-3), $(NF-2), $(NF-1) }' "$RUN_DIR/server-mix.log" |
    sort | uniq -c | sort -rn >"$RUN_DIR/server-errors.txt"
grep -E ' (WARN|ERROR) ' "$RUN_DIR/server-mix.log" >"$RUN_DIR/server-warnings.txt" || true
if [[ -s $RUN_DIR/server-errors.txt ]]; then
    say "answers other than 2xx/3xx in the server's log:"
    head -n 20 "$RUN_DIR/server-errors.txt"
fi
if [[ -s $RUN_DIR/server-warnings.txt ]]; then
    say "warnings and errors in the server's log ($(wc -l <"$RUN_DIR/server-warnings.txt")), the first:"
    head -n 5 "$RUN_DIR/server-warnings.txt"
fi

stop

row() {
    local file=$1 name=$2
    printf '| %-28s | %9s | %9s | %8s | %8s | %6s |\n' "$name" \
        "$(summary_field "$file" requests)" "$(summary_field "$file" rps)" \
        "$(summary_field "$file" p50_ms)" "$(summary_field "$file" p99_ms)" \
        "$(summary_field "$file" errors)"
}
say
say "== summary ($(date -u +%F), $(nproc) cores, $CONNECTIONS connections, $THREADS wrk threads)"
printf '| %-28s | %9s | %9s | %8s | %8s | %6s |\n' run requests req/s "p50 ms" "p99 ms" errors
row "$RUN_DIR/reference.txt" "reference: app.css, ${REFERENCE} s"
row "$RUN_DIR/mix.txt" "mix, ${DURATION} s"
say "server memory (RSS): before $(mib "$RSS_BEFORE") MiB, peak $(mib "$RSS_PEAK") MiB, 5 s after $(mib "$RSS_AFTER") MiB"
say "logs: $RUN_DIR"

errors=$(($(summary_field "$RUN_DIR/reference.txt" errors) + $(summary_field "$RUN_DIR/mix.txt" errors)))
if ((errors > 0)); then
    say "load: $errors error(s) under load" >&2
    exit 1
fi
