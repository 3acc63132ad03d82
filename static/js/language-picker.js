// Type-ahead language pickers (templates/components/_language_picker.html): once the
// typed text is one of the offered choices, the form sends its code instead of the text.
(function () {
  "use strict";
  function sync(picker) {
    var input = picker.querySelector("input[list]");
    var hidden = picker.querySelector("input[data-code]");
    var list = document.getElementById(input.getAttribute("list"));
    if (!input || !hidden || !list) { return; }
    var name = input.getAttribute("name") || input.dataset.name;
    input.dataset.name = name;
    var typed = input.value.trim().toLowerCase();
    var code = "";
    Array.prototype.forEach.call(list.options, function (option) {
      if (option.value.toLowerCase() === typed || option.dataset.code.toLowerCase() === typed) {
        code = option.dataset.code;
      }
    });
    if (code) {  // the code goes with the form, the text stays for people
      hidden.value = code;
      hidden.setAttribute("name", name);
      input.removeAttribute("name");
    } else {  // not a choice (yet): the text goes, and the server reads it
      hidden.removeAttribute("name");
      input.setAttribute("name", name);
    }
  }
  function init(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("[data-language-picker]"), function (picker) {
      if (picker.dataset.ready) { return; }
      picker.dataset.ready = "1";
      var input = picker.querySelector("input[list]");
      input.addEventListener("input", function () { sync(picker); });
      input.addEventListener("change", function () { sync(picker); });
      sync(picker);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
