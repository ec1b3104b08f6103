// The day view reloads itself every minute while it is on screen, so the
// "now" and "next" stay true; the reader can stop it (the choice stays on
// this device). Without this script the page has "Update now".
(function () {
  "use strict";
  var KEY = "sapar.today.auto-update";
  var MINUTE = 60 * 1000;
  var box = document.getElementById("auto-update");
  if (!box) return;
  box.closest(".auto-update").hidden = false;
  try {
    box.checked = window.localStorage.getItem(KEY) !== "off";
  } catch (e) {
    // Storage may be refused (private browsing): keep the default.
  }
  box.addEventListener("change", function () {
    try {
      window.localStorage.setItem(KEY, box.checked ? "on" : "off");
    } catch (e) {
      // Nothing to remember it in; it holds for this page.
    }
  });
  var loaded = Date.now();
  function due() {
    return box.checked && document.visibilityState === "visible" && Date.now() - loaded >= MINUTE;
  }
  window.setInterval(function () {
    if (due()) window.location.reload();
  }, 5000);
  document.addEventListener("visibilitychange", function () {
    if (due()) window.location.reload();
  });
})();
