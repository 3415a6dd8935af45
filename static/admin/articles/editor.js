// Live preview of the article body, rendered by the server through the readers' pipeline.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var body = document.getElementById("id_body");
    var urlNode = document.getElementById("markdown-preview-url");
    if (!body || !urlNode) return;
    var url = JSON.parse(urlNode.textContent);
    var wrap = document.createElement("div");
    wrap.className = "markdown-editor";
    body.parentNode.insertBefore(wrap, body);
    wrap.appendChild(body);
    var preview = document.createElement("div");
    preview.className = "markdown-preview";
    preview.setAttribute("aria-live", "polite");
    preview.setAttribute("aria-label", "Preview");
    wrap.appendChild(preview);
    var status = document.createElement("p");
    status.className = "markdown-preview-status";
    status.setAttribute("role", "status");
    wrap.appendChild(status);
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
              preview.innerHTML = result.html;  // sanitised by the server's allowlist
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
