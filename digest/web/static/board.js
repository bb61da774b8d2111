// The edition board's glue: drag and drop by SortableJS (the Move up and Move down buttons do the
// same by keyboard), and a refused change shown with its reason. Everything works without it.
(function () {
  "use strict";
  htmx.onLoad(function (root) {
    var list = root.id === "items" ? root : root.querySelector && root.querySelector("#items.sortable");
    if (!list || !list.classList.contains("sortable") || !window.Sortable) return;
    Sortable.create(list, {
      handle: ".handle",
      forceFallback: true, // its own pointer handling: no native drag image, same in every browser
      animation: 150,
      onEnd: function (event) {
        if (event.oldIndex === event.newIndex) return;
        // Sortable leaves style="" behind; htmx's settle would copy it over, which the CSP refuses
        list.querySelectorAll("[style]").forEach(function (el) { el.removeAttribute("style"); });
        htmx.ajax("POST", document.getElementById("board").dataset.changes, {
          source: list,
          target: "#board",
          swap: "outerHTML",
          values: { op: "move", article_id: event.item.dataset.article, position: event.newIndex + 1 },
        });
      },
    });
  });
  // A Move button that took its item to the end is disabled then: its twin takes the focus. Only
  // changes (POST) count: the preview and the checks load on their own, at any moment between.
  var focused = null;
  function change(event) { return event.detail.requestConfig && event.detail.requestConfig.verb === "post"; }
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (change(event)) focused = document.activeElement.id;
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var was = change(event) && /^(up|down)-/.test(focused || "") && document.getElementById(focused);
    if (!was || !was.disabled) return;  // not settled yet (an out-of-band part), or still usable
    var twin = document.getElementById(focused.replace(/^(up|down)/, function (d) { return d === "up" ? "down" : "up"; }));
    if (twin && !twin.disabled) twin.focus();
  });
  // The article beside an item: a passage selected in its text fills the panel's passage field, and
  // Use as lede and Use as quote wait for one (without JavaScript, the passage is pasted there).
  function passage(panel, text) {
    var field = panel && panel.querySelector(".passage textarea");
    if (!field) return;
    if (text) field.value = text;
    panel.querySelectorAll(".passage button").forEach(function (b) { b.disabled = !field.value.trim(); });
  }
  document.addEventListener("selectionchange", function () {
    var sel = document.getSelection(), at = sel.rangeCount && !sel.isCollapsed && sel.getRangeAt(0).commonAncestorContainer;
    var text = at && (at.closest ? at : at.parentElement).closest(".source-text");
    if (text) passage(text.closest(".source-panel"), sel.toString().replace(/\s+/g, " ").trim());
  });
  document.addEventListener("input", function (event) { passage(event.target.closest(".source-panel")); });
  htmx.onLoad(function () { document.querySelectorAll(".source-panel").forEach(function (p) { passage(p); }); });
  // A change the service refuses comes back as the board with the reason (409, 422, 503): show it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422 || status === 503) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
