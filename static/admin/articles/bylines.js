// A byline row added to the form comes after the others (its position follows theirs) and its author box
// opens ready for typing: adding a co-author is one tap and a name.
(function () {
  "use strict";
  document.addEventListener("formset:added", function (event) {
    if (!event.detail || event.detail.formsetName !== "bylines") return;
    var row = event.target;
    var positions = Array.prototype.map.call(
      document.querySelectorAll("#bylines-group tr.form-row:not(.empty-form) td.field-position input"),
      function (input) { return input === row.querySelector("td.field-position input") ? -1 : Number(input.value) || 0; }
    );
    var position = row.querySelector("td.field-position input");
    if (position) position.value = positions.length > 1 ? Math.max.apply(null, positions) + 1 : 0;
    setTimeout(function () {  // after the admin's autocomplete has dressed the new row's box
      var author = row.querySelector("select.admin-autocomplete");
      if (author && window.django && django.jQuery) django.jQuery(author).select2("open");
    }, 0);
  });
})();
