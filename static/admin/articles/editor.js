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
    var reading = document.querySelector(".reading");
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    var timer = null;
    function field(id) { var node = document.getElementById(id); return node ? node.value : ""; }
    function refresh() {
      var data = new FormData();
      data.append("body", body.value);
      data.append("title", field("id_title"));
      data.append("lead_image_url", field("id_lead_image_url"));
      fetch(url, { method: "POST", body: data, credentials: "same-origin",
                   headers: { "X-CSRFToken": token ? token.value : "" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (result) {
          if (!result) return;
          preview.innerHTML = result.html;  // sanitised by the server's allowlist
          if (reading) reading.textContent = result.words + " words · " + result.minutes + " min read";
        })
        .catch(function () {});
    }
    body.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 400); });
    refresh();
  });
})();
