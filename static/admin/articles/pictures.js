// Where a story takes library pictures, through the picture chooser (chooser.js): "Insert a picture" under
// the body puts the picture's reference (![alt](image:123 "caption")) where the cursor is, for the live
// preview to show; a picture field (a story's lead picture, an author's photo) shows the chosen picture as a
// card, with Change and Remove.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  function element(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text) node.textContent = text;
    return node;
  }

  function bodyPicker(body) {
    var box = element("div", { "class": "picture-picker" });
    var button = element("button", { type: "button", "class": "button picture-picker-open" }, "Insert a picture");
    var status = element("p", { "class": "picture-picker-status", role: "status" });
    box.appendChild(button);
    if (window.PictureChooser.uploads()) box.appendChild(photoButton(insert, status));
    box.appendChild(status);
    var editor = body.closest(".markdown-editor");  // the live preview's grid (editor.js), when it is there
    if (editor) editor.appendChild(box); else body.parentNode.insertBefore(box, body.nextSibling);

    function insert(reference) {
      var start = body.selectionStart, end = body.selectionEnd, text = body.value;
      var before = text.slice(0, start), after = text.slice(end);
      var block = (before && !/\n\n$/.test(before) ? (/\n$/.test(before) ? "\n" : "\n\n") : "") + reference +
                  (after && !/^\n\n/.test(after) ? "\n\n" : "");
      body.value = before + block + after;
      body.selectionStart = body.selectionEnd = before.length + block.length;
      body.dispatchEvent(new Event("input", { bubbles: true }));
      body.focus();
    }
    button.addEventListener("click", function () {
      window.PictureChooser.open({
        title: "Insert a picture into the text",
        action: "Insert",
        onChoose: function (picture, note) {
          insert(picture.reference);
          status.textContent = (note ? note + " " : "") + "Inserted picture #" + picture.id +
            (picture.alt ? "." : ": give it alt text before publishing.");
        },
      });
    });
  }

  // "Add a photo": one tap opens the device's own picker (its camera or its photos); the photo goes into the
  // library and into the text at the cursor, as filing from a phone needs.
  function photoButton(insert, status) {
    var label = element("label", { "class": "button picture-photo", "for": "picture-photo-file" }, "Add a photo");
    var file = element("input", { type: "file", id: "picture-photo-file", "class": "picture-photo-file",
                                  accept: window.PictureChooser.accept });
    var progress = element("progress", { max: "100", value: "0", "class": "picture-photo-progress",
                                         "aria-label": "Upload progress" });
    progress.hidden = true;
    var box = element("span", { "class": "picture-photo-box" });
    box.appendChild(label);
    box.appendChild(file);
    box.appendChild(progress);
    file.addEventListener("change", function () {
      if (!file.files.length) return;
      var chosen = file.files[0];
      file.disabled = true;
      progress.hidden = false;
      progress.value = 0;
      status.textContent = "Uploading " + chosen.name + "…";
      window.PictureChooser.upload(chosen, function (percent) { progress.value = percent; }, function (picture, note) {
        file.disabled = false;
        file.value = "";
        if (!picture) {
          progress.hidden = true;
          status.textContent = "Not uploaded: " + note;
          return;
        }
        progress.value = 100;
        insert(picture.reference);
        status.textContent = note + " Inserted picture #" + picture.id + ": give it alt text before publishing.";
      });
    });
    return box;
  }

  function leadPicker(box) {
    var input = document.getElementById(box.getAttribute("data-lead-picture"));
    if (!input) return;
    var noun = box.getAttribute("data-noun") || "picture";
    var entry = box.querySelector(".lead-picture-entry");
    var actions = box.querySelector(".lead-picture-actions");
    var choose = box.querySelector(".lead-picture-choose");
    var remove = box.querySelector(".lead-picture-remove");
    var status = box.querySelector(".lead-picture-status");
    entry.hidden = true;
    actions.hidden = false;
    // The chooser uploads too (and keeps the picture through a refused save): one way to upload is enough.
    var upload = document.querySelector(".form-row.field-" + box.getAttribute("data-upload-field"));
    if (upload && window.PictureChooser.uploads() && !upload.classList.contains("errors")) upload.hidden = true;

    function show(picture) {
      var card = element("div", { "class": "lead-picture-card" });
      if (!picture) {
        card.appendChild(element("p", { "class": "lead-picture-none" }, "No " + noun + " chosen."));
      } else {
        card.appendChild(element("img", { src: picture.thumbnail, alt: "", width: "96", height: "96" }));
        var text = element("div", { "class": "lead-picture-text" });
        var title = element("p", { "class": "lead-picture-title" });
        title.appendChild(element("a", { href: picture.edit }, "Picture #" + picture.id));
        title.appendChild(document.createTextNode(": " + (picture.alt || "no alt text")));
        text.appendChild(title);
        if (picture.caption) text.appendChild(element("p", {}, "Caption: " + picture.caption));
        if (picture.credit) text.appendChild(element("p", {}, "Credit: " + picture.credit));
        (picture.warnings || []).forEach(function (warning) {
          text.appendChild(element("p", { "class": "picture-warning" }, warning));
        });
        card.appendChild(text);
      }
      box.querySelector(".lead-picture-card").replaceWith(card);
      choose.textContent = picture ? "Change" : "Choose a picture";
      remove.hidden = !picture;
    }
    choose.addEventListener("click", function () {
      window.PictureChooser.open({
        title: "Choose the " + noun,
        action: "Choose",
        onChoose: function (picture, note) {
          input.value = String(picture.id);
          input.dispatchEvent(new Event("change", { bubbles: true }));
          show(picture);
          status.textContent = (note ? note + " " : "") + "Picture #" + picture.id + " is the " + noun + ".";
        },
      });
    });
    remove.addEventListener("click", function () {
      input.value = "";
      input.dispatchEvent(new Event("change", { bubbles: true }));
      show(null);
      status.textContent = "The " + noun + " was removed (saved when you save the page).";
      choose.focus();
    });
  }

  ready(function () {
    if (!window.PictureChooser || !window.PictureChooser.available()) return;
    var body = document.getElementById("id_body");
    if (body) bodyPicker(body);
    document.querySelectorAll("[data-lead-picture]").forEach(leadPicker);
  });
})();
