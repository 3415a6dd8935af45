// The front page's board: a card dragged to another place in its list is saved there at once (the place's
// hidden order form, with the order the board showed, so a change meanwhile is refused by the server). The
// "Move up" and "Move down" buttons are plain form posts and need none of this; after one, the same button
// has the focus again, so a keyboard user can press it again.
(function () {
  "use strict";
  var FOCUS_KEY = "board-focus";
  var dragged = null;

  function order(list) {
    return Array.prototype.map.call(list.querySelectorAll(".board-card"), function (card) {
      return card.getAttribute("data-pin");
    }).join(",");
  }

  function cardOf(node) {
    return node && node.closest ? node.closest(".board-card") : null;
  }

  function save(list) {
    var section = list.closest(".board-place");
    var form = section && section.querySelector("form.board-order");
    if (!form) return;
    form.querySelector("input[name=order]").value = order(list);
    form.submit();
  }

  function start(event) {
    var card = cardOf(event.target);
    if (!card || card.getAttribute("draggable") !== "true") return;
    dragged = card;
    card.classList.add("board-dragging");
    if (event.dataTransfer) {
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.getAttribute("data-pin"));
    }
  }

  function over(event) {
    var card = cardOf(event.target);
    if (!dragged || !card || card === dragged || card.parentNode !== dragged.parentNode) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = "move";
    var box = card.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    card.parentNode.insertBefore(dragged, after ? card.nextSibling : card);
  }

  function drop(event) {
    var card = cardOf(event.target);
    if (dragged && card && card.parentNode === dragged.parentNode) event.preventDefault();
  }

  function end() {
    if (!dragged) return;
    var list = dragged.parentNode;
    dragged.classList.remove("board-dragging");
    dragged = null;
    if (order(list) !== list.getAttribute("data-order")) save(list);
  }

  function remember(event) {
    var button = event.submitter;
    if (button && button.id) sessionStorage.setItem(FOCUS_KEY, button.id);
  }

  function ready() {
    document.querySelectorAll(".board-list").forEach(function (list) {
      list.setAttribute("data-order", order(list));
      list.addEventListener("dragstart", start);
      list.addEventListener("dragover", over);
      list.addEventListener("drop", drop);
      list.addEventListener("dragend", end);
    });
    document.querySelectorAll("form.board-actions").forEach(function (form) {
      form.addEventListener("submit", remember);
    });
    var id = sessionStorage.getItem(FOCUS_KEY);
    sessionStorage.removeItem(FOCUS_KEY);
    var button = id && document.getElementById(id);
    if (button && button.disabled) button = button.parentNode.querySelector(".board-move:not([disabled])");
    if (!button) return;
    // The browser moves the focus to the page when it scrolls to the card the address names: after that.
    var focus = function () { button.focus(); };
    focus();
    window.addEventListener("load", function () { setTimeout(focus, 0); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready); else ready();
})();
