/* Reading pages: remember the line the reader reached in a work on their reading list.
   The reading-list toggle (loaded into the page by htmx) carries data-position-url when
   the work is bookmarked; the first line at the top of the window is sent when the
   reader stops scrolling or leaves the page. Nothing is sent for anyone else. */
(function () {
  "use strict";
  var sent = null, timer = null, sentAt = 0;
  var EVERY_MS = 15000;  // while scrolling, at most this often (each send is a POST, counted in the rate limits)
  // a reader who opened a line's link (#l-...) has reached that line, until they move on
  var target = location.hash.indexOf("#l-") === 0 ? decodeURIComponent(location.hash.slice(1)) : null;
  ["wheel", "touchmove", "keydown"].forEach(function (name) {
    window.addEventListener(name, function () { target = null; }, {passive: true});
  });

  function topLine() {
    var lines = document.querySelectorAll(".reader .ln[id^='l-']");
    for (var i = 0; i < lines.length; i++) {
      if (lines[i].getBoundingClientRect().bottom > 80) return lines[i].id;
    }
    return null;
  }

  function translationKey() {
    var panel = document.getElementById("item-actions");
    if (panel && panel.getAttribute("data-translation")) return panel.getAttribute("data-translation");
    var shown = new URLSearchParams(location.search).getAll("with").join(",").split(",");
    return shown[0] || "";
  }

  function send(whileScrolling) {
    if (whileScrolling === true && Date.now() - sentAt < EVERY_MS) return;
    var toggle = document.querySelector("form[data-position-url]");
    var line = (target && document.getElementById(target)) ? target : topLine();
    if (!toggle || !line || line === sent) return;
    var data = new FormData();
    data.append("csrf_token", toggle.querySelector("input[name='csrf_token']").value);
    data.append("line", line);
    data.append("translation", translationKey());
    sent = line;
    sentAt = Date.now();
    if (navigator.sendBeacon) navigator.sendBeacon(toggle.getAttribute("data-position-url"), data);
  }

  window.addEventListener("scroll", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { send(true); }, 1500);
  }, {passive: true});
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") send(); });
  window.addEventListener("pagehide", send);
  document.addEventListener("htmx:load", function (event) {
    if (event.target && event.target.id === "item-actions" && location.hash.indexOf("#l-") === 0) send();
  });
})();
