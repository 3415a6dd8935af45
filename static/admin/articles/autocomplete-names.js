// The admin's autocomplete boxes (select2) point their accessible name at the chosen value, which is empty
// until something is chosen: name each box (and its read-only text) after its field instead, also in inline
// rows added later; and the search box of an open list after its field too.
(function () {
  "use strict";
  function fieldName(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    var text = label ? label.textContent : select.getAttribute("aria-label") || select.name;
    return text.replace(/:\s*$/, "").trim();
  }
  function nameBoxes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var name = fieldName(select);
      var box = select.parentNode.querySelector(".select2-selection[role=combobox]");
      if (box && !box.hasAttribute("aria-label")) {
        box.removeAttribute("aria-labelledby");
        box.setAttribute("aria-label", name);
      }
      var shown = select.parentNode.querySelector(".select2-selection__rendered");
      if (shown && !shown.hasAttribute("aria-label")) shown.setAttribute("aria-label", name);
    });
  }
  function soon() { setTimeout(nameBoxes, 0); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", soon); else soon();
  window.addEventListener("load", nameBoxes);
  document.addEventListener("formset:added", soon);
  if (window.django && django.jQuery) {
    django.jQuery(document).on("select2:open", function (event) {
      var search = document.querySelector(".select2-container--open .select2-search__field");
      if (search) search.setAttribute("aria-label", "Search " + fieldName(event.target).toLowerCase());
      var box = event.target.parentNode.querySelector(".select2-selection[role=combobox]");
      var results = document.querySelector(".select2-container--open .select2-results__options");
      if (box && results && results.id) box.setAttribute("aria-controls", results.id);
    });
  }
})();
