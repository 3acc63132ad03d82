/* A collection page, for its owner: keep the keyboard focus on the moved item's button
   after htmx swaps the list, and reorder by dragging (the up/down buttons do the same
   without a mouse, and the forms work without this script). */
(function () {
  "use strict";
  var lastFocus = null;

  document.addEventListener("htmx:beforeRequest", function (event) {
    var button = event.target.querySelector && event.target.querySelector("[data-focus]");
    lastFocus = button ? button.getAttribute("data-focus") : null;
  });
  document.addEventListener("htmx:afterSwap", function () {
    if (!lastFocus) return;
    var again = document.querySelector('[data-focus="' + lastFocus + '"]');
    if (again && again.disabled) {
      var other = lastFocus.indexOf("up-") === 0 ? lastFocus.replace("up-", "down-") : lastFocus.replace("down-", "up-");
      again = document.querySelector('[data-focus="' + other + '"]');
    }
    if (again) again.focus();
    lastFocus = null;
  });

  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    dragged = event.target.closest && event.target.closest(".item[draggable]");
    if (dragged) { dragged.classList.add("is-dragging"); event.dataTransfer.effectAllowed = "move"; }
  });
  document.addEventListener("dragover", function (event) {
    var over = dragged && event.target.closest && event.target.closest(".item[draggable]");
    if (!over || over === dragged) return;
    event.preventDefault();
    var box = over.getBoundingClientRect();
    over.parentNode.insertBefore(dragged, event.clientY > box.top + box.height / 2 ? over.nextSibling : over);
  });
  document.addEventListener("dragend", function () {
    if (!dragged) return;
    dragged.classList.remove("is-dragging");
    var list = dragged.closest("#items");
    dragged = null;
    if (!list || !window.htmx) return;
    var ids = Array.prototype.map.call(list.querySelectorAll(".item[data-item]"), function (el) {
      return el.getAttribute("data-item");
    });
    // a page of a longer collection holds only some items: dragging reorders whole collections only
    if (list.querySelector(".pager")) return;
    window.htmx.ajax("POST", list.getAttribute("data-order-url"), {target: "#items", swap: "outerHTML",
                                                                    values: {items: ids.join(",")}});
  });
})();
