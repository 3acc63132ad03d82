/* The line-by-line editor (templates/contribute/lines.html). The page works without it:
   this adds the keyboard (Enter / Shift+Enter between lines, Ctrl+Enter saves now), the
   count of lines translated, and autosave of the draft (a POST with action=autosave,
   answered in JSON; the first one creates the draft, and the page then continues it).
   A revision under review is not saved on the server until sent: it is kept in this
   browser meanwhile, and offered back ("Restore") if the page is opened again. */
(function () {
  "use strict";

  var SAVE_AFTER_MS = 2500;

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  onReady(function () {
    var form = document.querySelector("form.c-lineform");
    if (!form) return;
    var inputs = Array.prototype.slice.call(form.querySelectorAll(".c-line-input"));
    var progress = document.getElementById("lines-progress");
    var status = document.getElementById("autosave-status");
    var announce = document.getElementById("autosave-announce");
    var autosave = form.dataset.autosave === "on";
    var timer = null, saving = false, again = false, changed = false;

    function go(from, step) {
      var next = inputs[inputs.indexOf(from) + step];
      if (!next) return false;
      next.focus();
      var end = next.value.length;
      try { next.setSelectionRange(end, end); } catch (e) { /* not a text field */ }
      return true;
    }

    function count() {
      var done = inputs.filter(function (input) { return input.value.trim() !== ""; }).length;
      if (progress) progress.textContent = done + " of " + inputs.length + " lines translated";
    }

    function say(message, aloud) {
      if (status) status.textContent = message;
      if (aloud && announce) {
        announce.textContent = "";
        window.setTimeout(function () { announce.textContent = message; }, 50);
      }
    }

    function save(aloud) {
      if (!autosave) {
        if (aloud) say("This revision is sent with the button below; it is not saved on its own.", true);
        return;
      }
      if (saving) { again = true; return; }
      saving = true; changed = false;
      var data = new FormData(form);
      data.set("action", "autosave");
      say("Saving…", false);
      fetch(form.getAttribute("action") || window.location.href, {
        method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.json();
      }).then(function (answer) {
        say(answer.message, aloud || !answer.saved);
        if (answer.saved) {
          form.dispatchEvent(new CustomEvent("tercul:saved"));
          if (answer.url && form.getAttribute("action") !== answer.url) {
            form.setAttribute("action", answer.url);  // the draft exists now: continue it
            window.history.replaceState(null, "", answer.url);
          }
        }
      }).catch(function () {
        say("Not saved: the connection failed. Your text is still here; try again with Ctrl+Enter.", true);
      }).then(function () {
        saving = false;
        if (again || changed) { again = false; schedule(); }
      });
    }

    function schedule() {
      changed = true;
      if (!autosave) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { save(false); }, SAVE_AFTER_MS);
    }

    // a revision under review is not saved on its own: what is typed is kept in this
    // browser until it is sent, and offered back if the page is opened again
    var keep = autosave ? null : "tercul:lines:" + window.location.pathname;

    function typedValues() {
      var values = {};
      inputs.forEach(function (input) { values[input.name] = input.value; });
      return values;
    }

    function offerKept() {
      var kept = null;
      try { kept = JSON.parse(window.localStorage.getItem(keep) || "null"); } catch (e) { kept = null; }
      if (!kept || !kept.values) return;
      var current = typedValues();
      var differs = Object.keys(kept.values).some(function (name) { return kept.values[name] !== current[name]; });
      if (!differs) return;
      var box = document.getElementById("kept-lines");
      if (!box) return;
      box.querySelector("[data-kept-when]").textContent = new Date(kept.at).toLocaleString();
      box.hidden = false;
      box.querySelector("[data-restore]").addEventListener("click", function () {
        inputs.forEach(function (input) { if (input.name in kept.values) input.value = kept.values[input.name]; });
        box.hidden = true;
        count();
        say("The lines you typed earlier are back.", true);
      });
      box.querySelector("[data-discard]").addEventListener("click", function () {
        window.localStorage.removeItem(keep);
        box.hidden = true;
      });
    }

    if (keep) {
      offerKept();
      form.addEventListener("input", function () {
        try { window.localStorage.setItem(keep, JSON.stringify({ at: Date.now(), values: typedValues() })); } catch (e) { /* full */ }
      });
      form.addEventListener("submit", function () { window.localStorage.removeItem(keep); });
    }

    form.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.key !== "Enter") return;
      if (event.ctrlKey || event.metaKey) {
        event.preventDefault();
        window.clearTimeout(timer);
        save(true);
        return;
      }
      if (!target.classList || !target.classList.contains("c-line-input") || event.altKey) return;
      event.preventDefault();
      go(target, event.shiftKey ? -1 : 1);
    });
    form.addEventListener("input", function (event) {
      if (event.target.classList && event.target.classList.contains("c-line-input")) count();
      schedule();
    });
    count();
  });
})();
