// The change form's part in the desk: a heartbeat that says who else is editing (and lets one take over),
// and an autosave of the writing fields every 30 seconds while they change, offered back on reopening.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var urlsNode = document.getElementById("desk-urls");
    if (!urlsNode) return;
    var urls = JSON.parse(urlsNode.textContent);
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    var FIELDS = ["title", "dek", "body"];
    var PERIOD = 1000 * (urls.seconds || 30);

    function post(url, values) {
      var data = new FormData();
      Object.keys(values).forEach(function (name) { data.append(name, values[name]); });
      return fetch(url, { method: "POST", body: data, credentials: "same-origin",
                          headers: { "X-CSRFToken": token ? token.value : "" } })
        .then(function (response) {
          return response.json().catch(function () { return {}; }).then(function (result) {
            result.ok = response.ok;
            return result;
          });
        });
    }
    function field(name) { return document.getElementById("id_" + name); }
    function values() {
      var out = {};
      FIELDS.forEach(function (name) { var node = field(name); out[name] = node ? node.value : ""; });
      var version = field("version");
      if (version) out.version = version.value;
      return out;
    }

    // Presence
    var box = document.getElementById("desk-presence");
    var text = document.getElementById("desk-presence-text");
    var takeOver = document.getElementById("desk-take-over");
    function show(state) {
      if (!state.ok || !state.holder) { box.hidden = true; return; }
      var lines = [];
      if (state.taken_over) {
        lines.push(state.taken_over.by + " took over editing at " + state.taken_over.at_text +
                   ". Your text is still here and autosaved; saving it may be refused if they save first.");
      } else if (!state.you_hold) {
        lines.push(state.holder.name + " is editing this article since " + state.holder.since_text + ".");
      }
      var others = state.others.filter(function (p) { return p.id !== state.holder.id; });
      if (others.length) {
        lines.push("Also open for " + others.map(function (p) { return p.name; }).join(", ") + ".");
      }
      text.textContent = lines.join(" ");
      takeOver.hidden = state.you_hold;
      box.hidden = lines.length === 0;
    }
    function beat(extra) {
      if (!urls.heartbeat) return Promise.resolve();
      return post(urls.heartbeat, extra || {}).then(show).catch(function () { box.hidden = true; });
    }
    if (urls.heartbeat) {
      beat();
      setInterval(beat, PERIOD);
      takeOver.addEventListener("click", function () { beat({ take_over: "1" }); });
    }

    // Autosave
    var form = field("title") ? field("title").form : null;
    var status = document.createElement("p");
    status.className = "autosave-status";
    status.setAttribute("role", "status");
    if (form && field("body")) field("body").parentNode.appendChild(status);
    var lastSaved = JSON.stringify(values());
    var submitting = false;
    function autosave() {
      if (submitting) return;
      var now = values();
      var key = JSON.stringify(now);
      if (key === lastSaved) return;
      post(urls.autosave, now).then(function (result) {
        if (result.ok) {
          lastSaved = key;
          status.textContent = "Autosaved at " + result.saved_at + " (not yet saved to the article).";
        } else {
          status.textContent = result.error || "Not autosaved.";
          if (result.ok === false && !result.error) lastSaved = key;
        }
      }).catch(function () { status.textContent = "Not autosaved: no connection. Keep this page open."; });
    }
    if (form) {
      setInterval(autosave, PERIOD);
      form.addEventListener("submit", function () { submitting = true; });
      window.addEventListener("pagehide", function () {
        if (!submitting && urls.heartbeat && navigator.sendBeacon) {
          var data = new FormData();
          data.append("leave", "1");
          data.append("csrfmiddlewaretoken", token ? token.value : "");
          navigator.sendBeacon(urls.heartbeat, data);
        }
      });
    }

    // The autosave on offer
    var offer = document.getElementById("desk-autosave");
    var kept = document.getElementById("desk-autosave-fields");
    if (offer && kept) {
      var saved = JSON.parse(kept.textContent);
      document.getElementById("desk-autosave-restore").addEventListener("click", function () {
        FIELDS.forEach(function (name) {
          var node = field(name);
          if (node && name in saved) {
            node.value = saved[name];
            node.dispatchEvent(new Event("input", { bubbles: true }));
          }
        });
        // The text goes back with the version it was typed in: saving it after someone else saved since is
        // refused as out of date (both texts shown), never applied over their change.
        var version = field("version");
        if (version && saved.version !== undefined && saved.version !== null) version.value = saved.version;
        offer.hidden = true;
        status.textContent = "Your autosaved text is back in the form: save to keep it.";
        field("title").focus();
      });
      document.getElementById("desk-autosave-discard").addEventListener("click", function () {
        post(urls.autosave, { discard: "1" }).then(function () { offer.hidden = true; });
      });
    }
  });
})();
