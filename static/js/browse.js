/* Browse pages: keep the URLs that htmx pushes short and shareable by leaving out
   filters that are not set (a plain form submission, without JavaScript, sends them
   empty and the server ignores them). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (!form || !form.matches || !form.matches("form[data-drop-empty]")) return;
    var params = event.detail.parameters;
    var defaults = JSON.parse(form.getAttribute("data-drop-empty") || "{}");
    var names = [];
    if (params instanceof FormData) {
      params.forEach(function (_value, name) { if (names.indexOf(name) < 0) names.push(name); });
      names.forEach(function (name) {
        var values = params.getAll(name).filter(function (v) { return v !== "" && v !== defaults[name]; });
        params.delete(name);
        values.forEach(function (v) { params.append(name, v); });
      });
    } else {
      Object.keys(params).forEach(function (name) {
        if (params[name] === "" || params[name] === defaults[name]) delete params[name];
      });
    }
  });
})();
