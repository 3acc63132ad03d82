/* Contribute and review pages: small progressive enhancements. Every page works without it.
   - an uploaded .txt file fills the text box at once (so the preview shows it);
   - the author field asks for suggestions while typing (htmx fills the datalist);
   - leaving a form with unsaved text asks first. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  onReady(function () {
    var form = document.querySelector("form.c-form");
    if (!form) return;
    var box = form.querySelector("textarea[name=text]");
    var file = form.querySelector("input[type=file][name=file]");

    if (file && box && window.FileReader) {
      file.addEventListener("change", function () {
        var chosen = file.files && file.files[0];
        if (!chosen) return;
        var reader = new FileReader();
        reader.onload = function () {
          box.value = String(reader.result).replace(/^\uFEFF/, "");
          box.dispatchEvent(new Event("input", { bubbles: true }));
        };
        reader.readAsText(chosen, "utf-8");
      });
    }

    var author = form.querySelector("input[name=author]");
    var suggestions = document.getElementById("author-suggestions");
    if (author && suggestions && suggestions.dataset.source && window.htmx) {
      author.setAttribute("hx-get", suggestions.dataset.source);
      author.setAttribute("hx-trigger", "input changed delay:300ms");
      author.setAttribute("hx-target", "#author-suggestions");
      author.setAttribute("hx-swap", "innerHTML");
      author.setAttribute("hx-sync", "this:replace");
      window.htmx.process(author);
    }

    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    form.addEventListener("tercul:saved", function () { dirty = false; });  // autosaved (line-editor.js)
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  });
})();
