// The picture chooser: one dialog for every place a story takes a library picture (its lead picture, its
// body). It searches the media library, shows each picture with its alt text, caption, credit, licence and
// what to watch for, and uploads a new one in place (a file input, or a file dropped on the dialog) with a
// progress bar. An uploaded picture is in the library at once, then chosen like any other.
// pictures.js opens it: PictureChooser.open({title: "…", action: "Insert", onChoose: function (picture) {}}).
(function () {
  "use strict";
  var ACCEPT = "image/jpeg,image/png,image/webp,image/gif";
  var dialog = null, parts = {}, current = null, opener = null, timer = null;

  function element(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text) node.textContent = text;
    return node;
  }
  function urls() {
    var node = document.getElementById("picture-picker-urls");
    return node ? JSON.parse(node.textContent) : null;
  }
  function token() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function field(box, name, label, type) {
    var row = element("div", { "class": "picture-chooser-field" });
    row.appendChild(element("label", { "for": "picture-chooser-" + name }, label));
    row.appendChild(element("input", { type: type || "text", id: "picture-chooser-" + name, name: name }));
    box.appendChild(row);
    return row.lastChild;
  }

  function build(links) {
    dialog = element("dialog", { "class": "picture-chooser", "aria-labelledby": "picture-chooser-title" });
    var head = element("div", { "class": "picture-chooser-head" });
    parts.title = element("h2", { id: "picture-chooser-title" }, "Choose a picture");
    var close = element("button", { type: "button", "class": "button picture-chooser-close" }, "Close");
    close.addEventListener("click", function () { dialog.close(); });
    head.appendChild(parts.title);
    head.appendChild(close);
    dialog.appendChild(head);

    var find = element("div", { "class": "picture-chooser-search" });
    find.appendChild(element("label", { "for": "picture-chooser-q" }, "Search the media library"));
    parts.search = element("input", { type: "search", id: "picture-chooser-q", placeholder: "Caption, credit or alt text" });
    find.appendChild(parts.search);
    dialog.appendChild(find);

    if (links.upload) {
      var upload = element("section", { "class": "picture-chooser-upload", "aria-labelledby": "picture-chooser-upload-title" });
      upload.appendChild(element("h3", { id: "picture-chooser-upload-title" }, "Or upload a new picture"));
      var drop = element("div", { "class": "picture-chooser-drop" });
      drop.appendChild(element("label", { "for": "picture-chooser-file" }, "Drop a picture anywhere on this window, or choose a file"));
      parts.file = element("input", { type: "file", id: "picture-chooser-file", accept: ACCEPT });
      drop.appendChild(parts.file);
      upload.appendChild(drop);
      var details = element("details", { "class": "picture-chooser-details" });
      details.appendChild(element("summary", {}, "Alt text, caption, credit and rights of the upload"));
      parts.fields = [
        field(details, "alt", "Alt text"), field(details, "caption", "Caption"), field(details, "credit", "Credit"),
        field(details, "creator", "Creator"), field(details, "copyright_notice", "Copyright notice"),
        field(details, "source", "Source"), field(details, "licence", "Licence"),
        field(details, "licence_url", "Licence URL", "url"), field(details, "licence_page_url", "Where to license it", "url"),
        field(details, "rights_expire_on", "Rights expire on", "date"),
      ];
      upload.appendChild(details);
      parts.progress = element("progress", { max: "100", value: "0", "aria-label": "Upload progress", hidden: "" });
      upload.appendChild(parts.progress);
      dialog.appendChild(upload);
      parts.file.addEventListener("change", function () {
        if (parts.file.files.length) send(links.upload, parts.file.files[0]);
      });
      dialog.addEventListener("dragover", function (event) {
        event.preventDefault();
        dialog.classList.add("picture-chooser-dragging");
      });
      dialog.addEventListener("dragleave", function (event) {
        if (event.target === dialog) dialog.classList.remove("picture-chooser-dragging");
      });
      dialog.addEventListener("drop", function (event) {
        event.preventDefault();
        dialog.classList.remove("picture-chooser-dragging");
        var files = event.dataTransfer && event.dataTransfer.files;
        if (!files || !files.length) return;
        if (files.length > 1) say("One picture at a time here: to add several, use “Upload pictures” in the media library.");
        else send(links.upload, files[0]);
      });
    }

    parts.status = element("p", { "class": "picture-chooser-status", role: "status" });
    dialog.appendChild(parts.status);
    parts.results = element("ul", { "class": "picture-chooser-results", "aria-label": "Pictures in the library" });
    dialog.appendChild(parts.results);
    parts.search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { search(links.search); }, 300); });
    dialog.addEventListener("close", function () {
      if (opener && document.contains(opener)) opener.focus();
    });
    document.body.appendChild(dialog);
  }

  function say(text) { parts.status.textContent = text; }

  function card(picture) {
    var button = element("button", { type: "button", "class": "picture-choice" + (picture.expired ? " picture-expired" : ""),
                                     "data-picture": String(picture.id) });
    button.appendChild(element("img", { src: picture.thumbnail, alt: "", width: "96", height: "96", loading: "lazy" }));
    var text = element("span", { "class": "picture-choice-text" });
    text.appendChild(element("strong", {}, current.action + " #" + picture.id + ": " + (picture.alt || "no alt text")));
    if (picture.caption) text.appendChild(element("span", {}, "Caption: " + picture.caption));
    if (picture.credit) text.appendChild(element("span", {}, "Credit: " + picture.credit));
    if (picture.licence) text.appendChild(element("span", {}, "Licence: " + picture.licence));
    (picture.warnings || []).forEach(function (warning) {
      text.appendChild(element("span", { "class": "picture-warning" }, warning));
    });
    button.appendChild(text);
    button.addEventListener("click", function () { choose(picture, ""); });
    var item = element("li");
    item.appendChild(button);
    return item;
  }

  function show(found) {
    parts.results.textContent = "";
    found.forEach(function (picture) { parts.results.appendChild(card(picture)); });
    say(found.length ? found.length + (found.length === 1 ? " picture." : " pictures.") : "No picture matches.");
  }

  function search(url) {
    fetch(url + "?q=" + encodeURIComponent(parts.search.value), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) { show(data.results || []); })
      .catch(function () { say("The library is not available (no connection)."); });
  }

  function choose(picture, note) {
    var chosen = current;
    dialog.close();
    chosen.onChoose(picture, note);
  }

  // One file posted to the upload address with its fields, reporting progress (0-100), then the server's answer
  // (or an error message): the dialog's upload and the body's "Add a photo" both send through it.
  function post(url, file, fields, progress, done) {
    var data = new FormData();
    data.append("file", file);
    fields.forEach(function (input) { data.append(input.name, input.value); });
    var request = new XMLHttpRequest();
    request.open("POST", url);
    request.setRequestHeader("X-CSRFToken", token());
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) progress(Math.round(event.loaded / event.total * 100));
    });
    request.addEventListener("load", function () {
      var answer = {};
      try { answer = JSON.parse(request.responseText); } catch (error) { answer = {}; }
      if (request.status !== 200) done(null, answer.error || "the server answered " + request.status + ".");
      else done(answer, null);
    });
    request.addEventListener("error", function () { done(null, "no connection. Try again."); });
    request.send(data);
  }

  function uploaded(file, answer) {
    return answer.created ? "Uploaded " + file.name + " into the library as picture #" + answer.id + "." :
      file.name + " was already in the library as picture #" + answer.id + ".";
  }

  function send(url, file) {
    parts.progress.hidden = false;
    parts.progress.value = 0;
    parts.file.disabled = true;
    say("Uploading " + file.name + "…");
    post(url, file, parts.fields, function (percent) {
      parts.progress.value = percent;
      say("Uploading " + file.name + ": " + percent + "%");
    }, function (answer, error) {
      parts.file.disabled = false;
      parts.file.value = "";
      if (error) {
        parts.progress.value = 0;
        say("Not uploaded: " + error);
        return;
      }
      parts.progress.value = 100;
      parts.fields.forEach(function (input) { input.value = ""; });
      say("Uploaded " + file.name + ".");
      choose(answer, uploaded(file, answer));
    });
  }

  window.PictureChooser = {
    available: function () { return Boolean(urls()); },
    uploads: function () { var links = urls(); return Boolean(links && links.upload); },
    accept: ACCEPT,
    // A file straight into the library without the dialog (the body's "Add a photo"): progress(percent), then
    // done(picture, note) or done(null, error).
    upload: function (file, progress, done) {
      post(urls().upload, file, [], progress, function (answer, error) {
        done(answer, error || uploaded(file, answer));
      });
    },
    open: function (options) {
      var links = urls();
      if (!links) return;
      if (!dialog) build(links);
      current = { action: options.action || "Choose", onChoose: options.onChoose };
      opener = document.activeElement;
      parts.title.textContent = options.title || "Choose a picture";
      parts.results.textContent = "";
      if (parts.progress) parts.progress.hidden = true;
      say("");
      dialog.showModal();
      parts.search.focus();
      search(links.search);
    },
  };
})();
