/* Reading view: highlight a line's counterparts on hover and focus, keep the reader's
   place when columns change, find a line whose part is not on the page, and cite a
   range of lines (shift-click a second line number, or select lines).
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

  // the line named in the URL's fragment, with its counterparts; or a range of lines
  // ("#l-1.2~l-1.5", from a citation), each with its counterparts
  function restoreTarget() {
    clear();
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var range = rangeFromHash();
    if (range) { markRange(range); return; }
    var line = document.getElementById(id);
    if (line && line.classList.contains("ln")) { highlight(line); showCitation([line]); }
  }

  // ---- ranges of lines, and their citation

  function rangeFromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var ends = id.split("~");
    if (ends.length !== 2) return null;
    var first = document.getElementById(ends[0]), last = document.getElementById(ends[1]);
    if (!first || !last || !first.classList.contains("ln") || !last.classList.contains("ln")) return null;
    return linesBetween(first, last);
  }

  // the original's lines from one to the other (either order), in reading order
  function linesBetween(a, b) {
    var reader = a.closest(".reader");
    if (!reader || reader !== b.closest(".reader")) return null;
    var all = Array.prototype.slice.call(reader.querySelectorAll(".ln[id]"));
    var i = all.indexOf(a), j = all.indexOf(b);
    if (i < 0 || j < 0) return null;
    return all.slice(Math.min(i, j), Math.max(i, j) + 1);
  }

  function markRange(lines) {
    clear();
    var index = indexOf(lines[0].closest(".reader"));
    lines.forEach(function (line) {
      (line.getAttribute("data-a") || "").split(" ").forEach(function (key) {
        (index[key] || []).forEach(function (el) { if (el !== line) mark(el, "is-linked"); });
      });
      mark(line, "is-active");
    });
    showCitation(lines);
  }

  function keyOf(line) { return line.id.replace(/^l-/, ""); }

  function citationFor(lines) {
    var reader = lines[0].closest(".reader");
    var first = lines[0], last = lines[lines.length - 1];
    var title = reader.getAttribute("data-title") || document.title;
    var authors = reader.getAttribute("data-authors");
    var where = first.getAttribute("data-address") || keyOf(first);
    if (last !== first) {
      var to = last.getAttribute("data-address") || keyOf(last);
      where += " – " + shorten(where, to);
    }
    var keys = keyOf(first) + (last !== first ? "–" + keyOf(last) : "");
    var out = (authors ? authors + ", " : "") + title + ", " + where + " (lines " + keys + ")";
    var heads = reader.querySelectorAll(".col-head.c-translation");
    for (var i = 0; i < heads.length; i++) {
      var t = heads[i].querySelector(".col-title");
      var by = heads[i].getAttribute("data-translator");
      out += "\n" + (t ? t.textContent.trim() : "") + (by ? ", translated by " + by : "");
    }
    var anchor = first.id + (last !== first ? "~" + last.id : "");
    return out + "\n" + location.origin + location.pathname + location.search + "#" + anchor;
  }

  // "Act 3, scene 1, line 56 – line 60": the end without what it shares with the start
  function shorten(from, to) {
    var a = from.split(", "), b = to.split(", "), k = 0;
    while (k < a.length - 1 && k < b.length - 1 && a[k] === b[k]) k++;
    var rest = b.slice(k).join(", ");
    return rest.charAt(0).toLowerCase() + rest.slice(1);
  }

  function showCitation(lines) {
    var bar = document.getElementById("cite-bar");
    if (!bar || !lines || !lines.length) return;
    bar.hidden = false;
    bar.querySelector(".cite-text").value = citationFor(lines);
    bar.querySelector(".cite-status").textContent = "";
  }

  function chooseRange(lines) {
    var first = lines[0], last = lines[lines.length - 1];
    var anchor = first.id + (last !== first ? "~" + last.id : "");
    history.replaceState(history.state, "", location.pathname + location.search + "#" + anchor);
    markRange(lines);
  }

  // shift-click on a line number: from the line in the URL to this one
  document.addEventListener("click", function (event) {
    var num = event.target.closest && event.target.closest(".reader a.num");
    if (!num || !event.shiftKey) return;
    var line = num.closest(".ln");
    var from = decodeURIComponent(location.hash.slice(1)).split("~")[0];
    var start = from && document.getElementById(from);
    if (!start || !start.classList.contains("ln")) return;  // no start yet: follow the link
    event.preventDefault();
    var lines = linesBetween(start, line);
    if (lines) chooseRange(lines);
  });

  // a selection across two or more lines of the original cites them (a few words
  // selected within one line are left alone: the reader may just be copying them)
  document.addEventListener("mouseup", function () {
    var sel = window.getSelection && window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) return;
    var r = sel.getRangeAt(0);
    var a = r.startContainer.parentElement && r.startContainer.parentElement.closest(".ln[id]");
    var b = r.endContainer.parentElement && r.endContainer.parentElement.closest(".ln[id]");
    if (a && b && a !== b) { var lines = linesBetween(a, b); if (lines) chooseRange(lines); }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".cite-copy");
    if (!button) return;
    var bar = button.closest(".cite-bar");
    var text = bar.querySelector(".cite-text");
    var status = bar.querySelector(".cite-status");
    var done = function () { status.textContent = "Citation copied."; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text.value).then(done, function () { text.select(); status.textContent = "Press Ctrl+C to copy."; });
    } else {
      text.select();
      status.textContent = "Press Ctrl+C to copy.";
    }
  });

  // A permalink to a line of a long text that is in another part: ask the server
  // for the part holding it (the link still works, just one request later).
  function findMissingLine() {
    var id = decodeURIComponent(location.hash.slice(1)).split("~")[0];
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

  var chosen = "";  // the fragment the reader chose before a control swapped the view
  document.addEventListener("htmx:beforeRequest", function (event) {
    place = null;
    chosen = location.hash.slice(1);
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

  // htmx pushed the new URL (without a fragment, before the swap): put back the line or
  // range the reader had chosen, if any -- never the kept place, which would highlight
  // a line the reader did not choose (the place is kept by scrolling alone)
  document.addEventListener("htmx:pushedIntoHistory", function () {
    if (chosen) history.replaceState(history.state, "", location.pathname + location.search + "#" + chosen);
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
