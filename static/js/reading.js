/* Reading view: highlight a line's counterparts on hover and focus, keep the reader's
   place when columns change, and find a line whose part is not on the page.
   Everything here is an enhancement: the pages work without it (CSS :target marks a
   line reached by its link, and its row). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var marked = [];  // elements currently highlighted by hover/focus

  function clear() {
    for (var i = 0; i < marked.length; i++) marked[i].classList.remove("is-linked", "is-active");
    marked = [];
  }

  function mark(el, cls) {
    el.classList.add(cls);
    marked.push(el);
  }

  // key -> lines, built once per reading view (rebuilt after htmx swaps it)
  function indexOf(reader) {
    if (reader._lineIndex) return reader._lineIndex;
    var index = Object.create(null);
    var lines = reader.querySelectorAll(".ln[data-a]");
    for (var i = 0; i < lines.length; i++) {
      var keys = lines[i].getAttribute("data-a").split(" ");
      for (var k = 0; k < keys.length; k++) (index[keys[k]] = index[keys[k]] || []).push(lines[i]);
    }
    reader._lineIndex = index;
    return index;
  }

  function highlight(line) {
    clear();
    var reader = line.closest(".reader");
    var seg = line.closest(".seg");
    if (!reader || !seg) return;
    if (seg.classList.contains("coarse") || !line.hasAttribute("data-a")) {
      // aligned by section: the whole passage is the counterpart
      mark(seg, "is-linked");
      var all = seg.querySelectorAll(".ln");
      for (var i = 0; i < all.length; i++) mark(all[i], "is-linked");
    } else {
      var index = indexOf(reader);
      var keys = line.getAttribute("data-a").split(" ");
      for (var k = 0; k < keys.length; k++) {
        var hits = index[keys[k]] || [];
        for (var h = 0; h < hits.length; h++) mark(hits[h], "is-linked");
      }
    }
    mark(line, "is-active");
  }

  function lineFrom(event) {
    var t = event.target;
    return t && t.closest ? t.closest(".reader .ln") : null;
  }

  var current = null;
  document.addEventListener("mouseover", function (event) {
    var line = lineFrom(event);
    if (line === current) return;
    current = line;
    if (line) highlight(line); else restoreTarget();
  });
  document.addEventListener("focusin", function (event) {
    var line = lineFrom(event);
    if (line) { current = line; highlight(line); }
  });
  document.addEventListener("focusout", function (event) {
    if (lineFrom(event)) { current = null; restoreTarget(); }
  });

  // the line named in the URL's fragment, with its counterparts
  function restoreTarget() {
    clear();
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var line = document.getElementById(id);
    if (line && line.classList.contains("ln")) highlight(line);
  }

  // A permalink to a line of a long text that is in another part: ask the server
  // for the part holding it (the link still works, just one request later).
  function findMissingLine() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (id.indexOf("l-") !== 0 || document.getElementById(id)) return;
    var reader = document.querySelector(".reader[data-parts]");
    if (!reader || reader.getAttribute("data-parts") === "1") return;
    var params = new URLSearchParams(location.search);
    if (params.get("line") === id) return;  // already asked: the line does not exist
    params.delete("part");
    params.set("line", id);
    location.replace(location.pathname + "?" + params.toString() + location.hash);
  }

  // Keep the reader's place when a control swaps the reading view: remember the
  // first original line in view, and bring it back to the same height afterwards.
  var place = null;
  function firstVisibleLine(reader) {
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && reader.contains(target)) {
      var r = target.getBoundingClientRect();
      if (r.top >= 0 && r.bottom < window.innerHeight) return target;
    }
    var bar = reader.querySelector(".reader-bar");
    var top = bar ? Math.max(bar.getBoundingClientRect().bottom, 0) : 0;
    var lines = reader.querySelectorAll(".ln[id]");
    for (var i = 0; i < lines.length; i++) {
      if (lines[i].getBoundingClientRect().top >= top - 2) return lines[i];
    }
    return null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    place = null;
    var elt = event.detail.elt;
    if (!elt || !elt.closest || !elt.closest("[data-keep-place]")) return;
    var reader = elt.closest(".reader");
    var line = reader && firstVisibleLine(reader);
    if (line) place = { id: line.id, top: line.getBoundingClientRect().top };
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target || !target.classList || !target.classList.contains("reader")) return;
    if (place) {
      var line = document.getElementById(place.id);
      if (line) window.scrollBy(0, line.getBoundingClientRect().top - place.top);
      place = null;
    }
    restoreTarget();
  });

  // htmx pushed the new URL (without a fragment, before the swap): put the place back
  document.addEventListener("htmx:pushedIntoHistory", function () {
    if (place) history.replaceState(history.state, "", location.pathname + location.search + "#" + place.id);
  });

  // the column choosers send one "with" per select: leave out the empty ones (an
  // empty "with" alone still means "the original alone")
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (!form || !form.matches || !form.matches("form.reader-controls")) return;
    var params = event.detail.parameters;
    if (!(params instanceof FormData)) return;
    var chosen = params.getAll("with").filter(function (v) { return v !== ""; });
    params.delete("with");
    (chosen.length ? chosen : [""]).forEach(function (v) { params.append("with", v); });
  });

  window.addEventListener("hashchange", restoreTarget);
  function ready() { findMissingLine(); restoreTarget(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
