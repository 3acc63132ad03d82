// The search page: on a narrow screen the filters are a drawer, closed until its summary
// is pressed, and kept as the reader left it while the results are swapped by htmx. The
// page works without this (the filters are then open, below the results).
(function () {
  "use strict";
  var KEY = "tercul.search.filters";
  function place(root) {
    var filters = root && root.querySelector ? root.querySelector("#filters") : null;
    if (filters && window.matchMedia("(max-width: 48rem)").matches) {
      filters.open = sessionStorage.getItem(KEY) === "open";
    }
  }
  document.addEventListener("DOMContentLoaded", function () { place(document); });
  document.addEventListener("htmx:load", function (event) { place(event.target); });
  document.addEventListener("toggle", function (event) {
    if (event.target.id === "filters" && window.matchMedia("(max-width: 48rem)").matches) {
      sessionStorage.setItem(KEY, event.target.open ? "open" : "");
    }
  }, true);
})();
