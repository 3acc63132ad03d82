/* Keyboard shortcuts of the review page (listed on the page, #shortcuts): j/k move
   between the lines of the submitted text, c comments on the current line, a goes to
   "Approve and publish", r to the comment that requests changes (Ctrl+Enter sends it),
   ? shows the list. Off while typing in a field; Esc leaves the field. */
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  onReady(function () {
    if (!document.querySelector("[data-review-keys]")) return;
    var rows = Array.prototype.slice.call(document.querySelectorAll(".c-aligned .c-rows tbody tr:not(.c-thread-row)"));
    var current = -1;
    var decision = document.getElementById("decision");
    var comment = decision && decision.querySelector("textarea[name=comment]");
    var requestButton = decision && decision.querySelector("button[value=request_changes]");
    var approveButton = decision && decision.querySelector("button[value=approve]");
    var lineField = document.getElementById("line_key");
    var lineComment = document.querySelector("#line-comment textarea");

    function typing(target) {
      return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    }

    function moveTo(index) {
      if (!rows.length) return;
      index = Math.max(0, Math.min(rows.length - 1, index));
      if (rows[current]) rows[current].classList.remove("is-current");
      current = index;
      var row = rows[current];
      row.classList.add("is-current");
      row.setAttribute("tabindex", "-1");
      row.focus();
      row.scrollIntoView({ block: "center" });
    }

    function currentKey() {
      var row = rows[current];
      var link = row && row.querySelector(".c-key-link");
      return link ? link.dataset.line : null;
    }

    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest(".c-key-link");
      if (!link || !lineField) return;
      event.preventDefault();
      var row = link.closest("tr");
      if (rows.indexOf(row) >= 0) moveTo(rows.indexOf(row));
      lineField.value = link.dataset.line;
      if (lineComment) lineComment.focus();
    });

    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.key === "Escape" && typing(target)) { target.blur(); return; }
      if (comment && target === comment && event.key === "Enter" && (event.ctrlKey || event.metaKey) && requestButton) {
        event.preventDefault();
        requestButton.click();
        return;
      }
      if (typing(target) || event.ctrlKey || event.metaKey || event.altKey) return;
      switch (event.key) {
        case "j": moveTo(current + 1); break;
        case "k": moveTo(current < 0 ? 0 : current - 1); break;
        case "c":
          if (!lineField) return;
          if (current < 0) moveTo(0);
          var key = currentKey();
          if (!key) return;
          lineField.value = key;
          if (lineComment) lineComment.focus();
          break;
        case "a":
          if (!approveButton) return;
          approveButton.scrollIntoView({ block: "center" });
          approveButton.focus();
          break;
        case "r":
          if (!comment) return;
          comment.scrollIntoView({ block: "center" });
          comment.focus();
          break;
        case "?":
          var list = document.getElementById("shortcuts");
          list.setAttribute("tabindex", "-1");
          list.scrollIntoView({ block: "center" });
          list.focus();
          break;
        default: return;
      }
      event.preventDefault();
    });
  });
})();
