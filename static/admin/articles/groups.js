// The article form's closed groups say what they hold beside their headings (the section and state, the lead
// picture, the bylines, the tags, the address, the live coverage, how many rows an inline has), so a story can be
// checked at a glance without opening each; the words follow the form as it is edited.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  function text(selector) {
    var node = document.querySelector(selector);
    return node ? node.textContent.replace(/\s+/g, " ").trim() : "";
  }
  function chosen(select) {
    var option = select && select.value ? select.options[select.selectedIndex] : null;
    return option ? option.textContent.trim() : "";
  }
  function kept(row) {  // an inline row that is filled in and not marked for deletion
    var remove = row.querySelector("input[type=checkbox][name$='-DELETE']");
    return !(remove && remove.checked);
  }
  function filled(row) {  // saved already, or something typed or chosen in it
    if (row.classList.contains("has_original")) return true;
    return Array.prototype.some.call(row.querySelectorAll("input[type=text], input[type=url], textarea, select"),
      function (field) { return field.value && !field.name.match(/-(position|id|article)$/); });
  }
  function rows(prefix) {
    var all = document.querySelectorAll("#" + prefix + "-group tr.form-row:not(.empty-form), " +
                                        "#" + prefix + "-group .inline-related:not(.empty-form):not(.tabular)");
    return Array.prototype.filter.call(all, function (row) { return kept(row) && filled(row); });
  }
  function count(prefix, one, many) {
    var n = rows(prefix).length;
    return n ? n + " " + (n === 1 ? one : many) : "none";
  }

  var SAYS = {
    "Publishing": function () {
      return [text(".field-state_badge .readonly"), chosen(document.getElementById("id_section")) || "no section"]
        .filter(Boolean).join(" · ");
    },
    "Pictures": function () {
      var lead = document.getElementById("id_lead_image");
      if (!lead || !lead.value) return document.getElementById("id_lead_image_url") &&
        document.getElementById("id_lead_image_url").value ? "a picture from an address" : "no lead picture";
      return text(".lead-picture-title") || "picture #" + lead.value;
    },
    "Tags": function () {
      var tags = document.getElementById("id_tags");
      return tags && tags.value.trim() ? tags.value.trim() : "none";
    },
    "Address": function () {
      var slug = document.getElementById("id_slug");
      return slug && slug.value ? slug.value : "made from the headline";
    },
    "Live coverage": function () {
      var day = document.getElementById("id_live_from_0");
      if (!day) {  // shown as text to those who do not set it
        var shown = text(".field-live_from .readonly");
        return shown && shown !== "-" ? "from " + shown : "not a live page";
      }
      if (!day.value) return "not a live page";
      var from = day.value + " " + document.getElementById("id_live_from_1").value;
      var until = document.getElementById("id_live_until_0");
      return "from " + from + (until && until.value ? " until " + until.value + " " +
        document.getElementById("id_live_until_1").value : ", no end set");
    },
    "bylines": function () {
      var names = rows("bylines").map(function (row) { return chosen(row.querySelector("select[name$='-author']")); });
      names = names.filter(Boolean);
      return names.length ? names.join(", ") : "none";
    },
    "aliases": function () { return count("aliases", "old address", "old addresses"); },
    "share_links": function () { return count("share_links", "link", "links"); },
    "corrections": function () { return count("corrections", "correction", "corrections"); },
    "transitions": function () { return count("transitions", "step", "steps"); },
  };

  ready(function () {
    var form = document.querySelector("#article_form");
    if (!form) return;
    var shown = [];
    form.querySelectorAll("details > summary").forEach(function (summary) {
      var heading = summary.querySelector("h2");
      if (!heading) return;
      var group = summary.closest(".inline-group");
      var says = SAYS[group ? group.id.replace(/-group$/, "") : heading.textContent.trim()];
      if (!says) return;
      var note = document.createElement("span");
      note.className = "group-summary";
      heading.appendChild(note);
      shown.push([note, says]);
    });
    function update() {
      shown.forEach(function (pair) {
        var words = pair[1]();
        pair[0].textContent = words ? ": " + words : "";
      });
    }
    update();
    form.addEventListener("change", update);
    form.addEventListener("input", update);
    form.addEventListener("click", function () { setTimeout(update, 0); });  // rows added or chips removed
  });
})();
