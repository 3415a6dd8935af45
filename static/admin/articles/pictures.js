// "Insert a picture" under the article body: search the media library, or upload a picture, and the body
// gets its reference (![alt](image:123 "caption")) where the cursor is. The live preview then shows it.
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
  ready(function () {
    var body = document.getElementById("id_body");
    var urlsNode = document.getElementById("picture-picker-urls");
    if (!body || !urlsNode) return;
    var urls = JSON.parse(urlsNode.textContent);
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    var box = element("div", { "class": "picture-picker", role: "group", "aria-labelledby": "picture-picker-title" });
    box.appendChild(element("strong", { id: "picture-picker-title" }, "Insert a picture from the media library"));
    var row = element("div");
    var search = element("input", { type: "search", id: "picture-picker-q", placeholder: "Caption, credit or alt text",
                                     "aria-label": "Search the media library" });
    var upload = element("input", { type: "file", id: "picture-picker-file", accept: "image/jpeg,image/png,image/webp,image/gif",
                                     "aria-label": "Upload a picture into the library" });
    row.appendChild(search);
    row.appendChild(document.createTextNode(" or upload: "));
    row.appendChild(upload);
    box.appendChild(row);
    var results = element("ul", { "class": "picture-picker-results", "aria-label": "Pictures" });
    var status = element("p", { "class": "picture-picker-status", role: "status" });
    box.appendChild(results);
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
    function show(found) {
      results.textContent = "";
      found.forEach(function (picture) {
        var item = element("li");
        var label = picture.label + (picture.expired ? " (rights expired: readers will not see it)" : "");
        var button = element("button", { type: "button", title: label, "aria-label": "Insert " + label,
                                         "class": picture.expired ? "picture-expired" : "" });
        button.appendChild(element("img", { src: picture.thumbnail, alt: "", width: "72", height: "72" }));
        button.addEventListener("click", function () {
          insert(picture.reference);
          status.textContent = picture.alt ? "Inserted picture #" + picture.id + "." :
            "Inserted picture #" + picture.id + ": give it alt text before publishing.";
        });
        item.appendChild(button);
        results.appendChild(item);
      });
      status.textContent = found.length ? "" : "No picture matches.";
    }
    var timer = null;
    function find() {
      fetch(urls.search + "?q=" + encodeURIComponent(search.value), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) { show(data.results || []); })
        .catch(function () { status.textContent = "The library is not available (no connection)."; });
    }
    search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(find, 300); });
    search.addEventListener("focus", function () { if (!results.childNodes.length) find(); }, { once: true });
    upload.addEventListener("change", function () {
      if (!upload.files.length) return;
      var data = new FormData();
      data.append("file", upload.files[0]);
      status.textContent = "Uploading " + upload.files[0].name + "…";
      fetch(urls.upload, { method: "POST", body: data, credentials: "same-origin",
                           headers: { "X-CSRFToken": token ? token.value : "" } })
        .then(function (response) {
          return response.json().catch(function () { return {}; }).then(function (result) {
            if (!response.ok) { status.textContent = result.error || "The upload failed (" + response.status + ")."; return; }
            insert(result.reference);
            status.textContent = "Picture #" + result.id + " is in the library and in the body: give it alt text.";
          });
        })
        .catch(function () { status.textContent = "The upload failed (no connection)."; })
        .then(function () { upload.value = ""; });
    });
  });
})();
