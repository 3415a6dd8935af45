// Live preview of the article body, rendered by the server through the readers' pipeline and shown in a frame
// that reads the readers' own stylesheet inside the article page's own containers, so that it looks as the
// published page does at the same width. Beside the body on a wide screen; Write and Preview switch on a narrow one.
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
  function escaped(text) {
    return String(text).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  }
  // The article page's containers (templates/base.html, templates/articles/_article_body.html).
  function page(stylesheet, lang) {
    return "<!doctype html><html lang=\"" + escaped(lang) + "\"><head><meta charset=\"utf-8\">" +
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Preview</title>" +
      "<base target=\"_blank\"><link rel=\"stylesheet\" href=\"" + escaped(stylesheet) + "\"></head>" +
      "<body><main class=\"wrap\"><article class=\"article\"><header class=\"article-header\">" +
      "<h1></h1><p class=\"dek\"></p></header><div class=\"body markdown-preview\"></div></article></main>" +
      "</body></html>";
  }
  ready(function () {
    var body = document.getElementById("id_body");
    var urlNode = document.getElementById("markdown-preview-url");
    if (!body || !urlNode) return;
    var url = JSON.parse(urlNode.textContent);
    var sheetNode = document.getElementById("reader-stylesheet-url");
    var stylesheet = sheetNode ? JSON.parse(sheetNode.textContent) : "/static/css/site.css";

    // .writing-editor > [switch] + .writing-panes > (.markdown-editor: the body) + (.writing-preview: the frame)
    var editor = element("div", { "class": "writing-editor" });
    var switcher = element("div", { "class": "writing-switch", role: "group", "aria-label": "Show" });
    var writeButton = element("button", { type: "button", "class": "button", "aria-pressed": "true",
                                          "aria-controls": "writing-pane" }, "Write");
    var previewButton = element("button", { type: "button", "class": "button", "aria-pressed": "false",
                                            "aria-controls": "writing-preview" }, "Preview");
    switcher.appendChild(writeButton);
    switcher.appendChild(previewButton);
    var panes = element("div", { "class": "writing-panes" });
    var writing = element("div", { "class": "markdown-editor", id: "writing-pane" });
    var previewPane = element("div", { "class": "writing-preview", id: "writing-preview", role: "region",
                                       "aria-labelledby": "writing-preview-heading" });
    var heading = element("h3", { id: "writing-preview-heading", "class": "writing-preview-heading" },
                          "Preview as readers will see it");
    var frame = element("iframe", { "class": "writing-preview-frame", title: "Preview of the article" });
    frame.srcdoc = page(stylesheet, document.documentElement.lang || "en");
    previewPane.appendChild(heading);
    previewPane.appendChild(frame);
    body.parentNode.insertBefore(editor, body);
    writing.appendChild(body);
    panes.appendChild(writing);
    panes.appendChild(previewPane);
    editor.appendChild(switcher);
    editor.appendChild(panes);
    var status = element("p", { "class": "markdown-preview-status", role: "status" });
    editor.appendChild(status);

    function show(preview) {
      editor.classList.toggle("showing-preview", preview);
      writeButton.setAttribute("aria-pressed", String(!preview));
      previewButton.setAttribute("aria-pressed", String(preview));
      fit();
    }
    writeButton.addEventListener("click", function () { show(false); });
    previewButton.addEventListener("click", function () { show(true); });

    // The frame is as tall as the page it holds: no scrollbar inside a scrolling page.
    function fit() {
      var doc = frame.contentDocument;
      if (!doc || !doc.documentElement) return;
      frame.style.height = "";
      frame.style.height = Math.max(doc.documentElement.scrollHeight, 160) + "px";
    }
    var html = null;
    var title = document.getElementById("id_title"), dek = document.getElementById("id_dek");
    function paint() {
      var doc = frame.contentDocument;
      var target = doc && doc.querySelector(".markdown-preview");
      if (!target) return;
      doc.querySelector("h1").textContent = title ? title.value : "";
      var dekNode = doc.querySelector(".dek");
      dekNode.textContent = dek ? dek.value : "";
      dekNode.hidden = !dekNode.textContent;
      if (html !== null) target.innerHTML = html;  // sanitised by the server's allowlist
      fit();
    }
    frame.addEventListener("load", function () {
      var doc = frame.contentDocument;
      doc.documentElement.style.overflow = "hidden";  // no scrollbar to narrow the page while it is measured
      if (frame.contentWindow.ResizeObserver) new frame.contentWindow.ResizeObserver(fit).observe(doc.body);
      doc.addEventListener("load", fit, true);  // pictures, and the stylesheet
      paint();
    });
    [title, dek].forEach(function (node) { if (node) node.addEventListener("input", paint); });

    var reading = document.querySelector(".reading");
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    // One request at a time, only after a pause in typing, and only when something changed: the server
    // also limits previews per user and answers 429 (wait) or 413 (too large) with a message.
    var PAUSE_MS = 600;
    var timer = null, busy = false, again = false, lastSent = null;
    function field(id) { var node = document.getElementById(id); return node ? node.value : ""; }
    function schedule(delay) { clearTimeout(timer); timer = setTimeout(refresh, delay); }
    function refresh() {
      var state = [body.value, field("id_title"), field("id_lead_image_url")];
      var key = JSON.stringify(state);
      if (key === lastSent) return;
      if (busy) { again = true; return; }
      busy = true;
      var data = new FormData();
      data.append("body", state[0]);
      data.append("title", state[1]);
      data.append("lead_image_url", state[2]);
      fetch(url, { method: "POST", body: data, credentials: "same-origin",
                   headers: { "X-CSRFToken": token ? token.value : "" } })
        .then(function (response) {
          return response.json().catch(function () { return {}; }).then(function (result) {
            if (response.ok) {
              lastSent = key;
              status.textContent = "";
              html = result.html;
              paint();
              if (reading) reading.textContent = result.words + " words · " + result.minutes + " min read";
            } else {
              status.textContent = result.error || "The preview is not available (" + response.status + ").";
              if (response.status === 413) lastSent = key;  // unchanged text would be refused again
              if (response.status === 429) {
                schedule(1000 * (parseInt(response.headers.get("Retry-After"), 10) || 5));
              }
            }
          });
        })
        .catch(function () { status.textContent = "The preview is not available (no connection)."; })
        .then(function () {
          busy = false;
          if (again) { again = false; schedule(PAUSE_MS); }
        });
    }
    body.addEventListener("input", function () { schedule(PAUSE_MS); });
    refresh();
  });
})();
