// Posting to a live page without leaving the page: the compact form on a live article's change page and on the
// desk is sent with fetch to the desk's JSON endpoints (live.admin.views), so the article's own form and its
// unsaved edits stay as they are. The list of updates under the form is refreshed after each post and every
// REFRESH_MS while the tab is visible (others' posts appear); each row is edited, pinned, marked, approved or
// deleted in place. A row being edited is never replaced by a refresh, and an edit refused because someone else
// changed the update first keeps the text typed.
(function () {
  "use strict";
  var REFRESH_MS = 20000;

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  function token() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }
  function send(url, data, method) {
    return fetch(url, {
      method: method || "POST",
      body: data,
      credentials: "same-origin",
      headers: {"Accept": "application/json", "X-CSRFToken": token()},
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        answer.status = response.status;
        return answer;
      });
    }, function () {
      return {status: 0, error: "The server could not be reached. Nothing was lost: your text is still here; try again."};
    });
  }
  // On a phone the article form's action bar is fixed at the foot of the screen: the posting form's button is
  // held just above it (live.css), never under it, where a tap would save the article instead.
  function keepClearOfActionBar(panel) {
    var bar = document.getElementById("action-bar");
    if (!bar) return;
    function measure() {
      var fixed = window.getComputedStyle(bar).position === "fixed";
      panel.style.setProperty("--live-covered", fixed ? bar.offsetHeight + "px" : "0px");
    }
    measure();
    window.addEventListener("resize", measure);
  }
  function versioned(row, extra) {
    var data = new FormData();
    data.append("version", row.dataset.version);
    Object.keys(extra || {}).forEach(function (name) { data.append(name, extra[name]); });
    return data;
  }

  // Errors named by field, next to it; the rest (and refusals) at the top of the form or row.
  function clearErrors(scope) {
    scope.querySelectorAll("[data-error-for]").forEach(function (node) { node.textContent = ""; });
    scope.querySelectorAll("[aria-invalid]").forEach(function (field) { field.removeAttribute("aria-invalid"); });
  }
  function showErrors(scope, answer) {
    var errors = answer.errors || {"__all__": [answer.error || "Something went wrong (" + answer.status + ")."]};
    Object.keys(errors).forEach(function (name) {
      var node = scope.querySelector("[data-error-for='" + name + "']") ||
                 scope.querySelector("[data-error-for='__all__']");
      if (node) node.textContent = (node.textContent ? node.textContent + " " : "") + errors[name].join(" ");
      var field = scope.querySelector("[name='" + name + "']");
      if (field && field.type !== "hidden") {
        field.setAttribute("aria-invalid", "true");
        if (node && node.id) field.setAttribute("aria-describedby", node.id);
      }
    });
    var first = scope.querySelector("[aria-invalid=true]");
    if (first) first.focus();
  }

  // The list under the form

  function rowFrom(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    return holder.content.firstElementChild;
  }
  function editing(row) {
    var form = row && row.querySelector("form.live-edit");
    return form && !form.hidden;
  }
  function refresh(panel, announce) {
    if (!panel || panel.dataset.busy) return Promise.resolve();
    panel.dataset.busy = "1";
    return fetch(panel.dataset.stream, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; }, function () { return null; })
      .then(function (answer) {
        delete panel.dataset.busy;
        if (!answer) return;
        var list = panel.querySelector("ol.live-rows");
        var before = {};
        list.querySelectorAll(":scope > li.live-row").forEach(function (row) { before[row.dataset.id] = row; });
        var fresh = 0;
        var rows = answer.updates.map(function (update) {
          var old = before[update.id];
          delete before[update.id];
          if (!old) fresh += 1;
          if (editing(old)) return old;
          return old && old.dataset.version === String(update.version) ? old : rowFrom(update.html);
        });
        Object.keys(before).forEach(function (id) { if (editing(before[id])) rows.push(before[id]); });
        list.replaceChildren.apply(list, rows);
        panel.querySelector(".live-list-empty").hidden = rows.length > 0;
        var pending = panel.querySelector(".live-pending-count");
        pending.textContent = answer.pending ? "· " + answer.pending + " awaiting approval" : "";
        if (announce && fresh) {
          panel.querySelector(".live-list-status").textContent =
            fresh === 1 ? "1 new update in the list." : fresh + " new updates in the list.";
        }
      });
  }

  // Posting

  function post(form) {
    var status = form.querySelector(".live-post-status");
    var button = form.querySelector("button[type=submit]");
    clearErrors(form);
    status.textContent = "Posting…";
    button.disabled = true;
    send(form.action, new FormData(form)).then(function (answer) {
      button.disabled = false;
      if (answer.status !== 201) {
        status.textContent = "Not posted.";
        showErrors(form, answer);
        return;
      }
      var update = answer.update;
      status.textContent = update.status === "pending" ? "Posted: it waits for an editor's approval." : "Posted.";
      ["body", "headline", "posted_at"].forEach(function (name) {
        var field = form.elements[name];
        if (field) field.value = "";
      });
      ["key_event", "pinned"].forEach(function (name) {
        if (form.elements[name]) form.elements[name].checked = false;
      });
      var page = form.closest(".live-desk-page");
      if (page) {
        var last = page.querySelector(".live-last");
        if (last) last.textContent = "last update just now";
        var quiet = page.querySelector(".live-quiet");
        if (quiet) quiet.remove();
        page.classList.remove("is-quiet");
      }
      refresh(form.closest(".live-panel"), false);
      form.elements.body.focus();
    });
  }

  // Acting on a row

  function act(panel, row, button) {
    var action = button.dataset.action;
    var form = row.querySelector("form.live-edit");
    var problem = row.querySelector(":scope > [data-error-for='__all__']");
    if (action === "edit" || action === "cancel") {
      var open = action === "edit";
      if (!open) form.reset();
      form.hidden = !open;
      var toggle = row.querySelector("[data-action=edit]");
      toggle.setAttribute("aria-expanded", String(open));
      if (open) form.elements.body.focus(); else toggle.focus();
      if (!open) refresh(panel, false);
      return;
    }
    if (action === "delete" && !window.confirm("Delete this update? Readers will no longer see it anywhere.")) return;
    var extra = {};
    if (action === "flag") extra[button.dataset.field] = button.dataset.value;
    problem.textContent = "";
    button.disabled = true;
    send(button.dataset.url, versioned(row, extra)).then(function (answer) {
      button.disabled = false;
      if (action === "break-out" && answer.article) {
        problem.textContent = "";
        var link = document.createElement("a");
        link.href = answer.article.url;
        link.textContent = "Draft article made: open “" + answer.article.title + "”";
        problem.appendChild(link);
        if (!document.getElementById("article_form")) window.location.assign(answer.article.url);
        return;
      }
      if (answer.status >= 200 && answer.status < 300) return refresh(panel, false);
      var said = answer.error || Object.keys(answer.errors || {}).map(function (name) {
        return answer.errors[name].join(" ");
      }).join(" ");
      if (!answer.stale) {
        problem.textContent = said;
        return;
      }
      refresh(panel, false).then(function () {  // the row is replaced by their version: say so above the list
        panel.querySelector(".live-list-status").textContent = said + " The list shows their change now.";
      });
    });
  }

  function saveEdit(panel, form) {
    var row = form.closest("li.live-row");
    clearErrors(form);
    send(form.action, new FormData(form)).then(function (answer) {
      if (answer.status === 200) {
        form.hidden = true;
        var replaced = rowFrom(answer.update.html);
        row.replaceWith(replaced);
        replaced.querySelector("[data-action=edit]").focus();
        return;
      }
      if (answer.stale) {
        // Their version is shown; the text typed stays in the form, now based on their version: saving again
        // replaces theirs with it, knowingly.
        form.elements.version.value = answer.update.version;
        row.dataset.version = answer.update.version;
        var node = form.querySelector("[data-error-for=version]");
        node.textContent = answer.error + " Your text is still in the form. Their version: “" +
          (answer.update.headline ? answer.update.headline + ": " : "") + answer.update.body +
          "”. Save again to replace it with yours, or Cancel to keep theirs.";
        node.setAttribute("role", "alert");
        return;
      }
      showErrors(form, answer);
    });
  }

  ready(function () {
    document.querySelectorAll("form.live-post").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        event.stopPropagation();
        post(form);
      });
    });
    document.querySelectorAll(".live-panel").forEach(function (panel) {
      keepClearOfActionBar(panel);
      panel.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-action]");
        var row = button && button.closest("li.live-row");
        if (row && panel.contains(row)) act(panel, row, button);
      });
      panel.addEventListener("submit", function (event) {
        if (!event.target.matches("form.live-edit")) return;
        event.preventDefault();
        event.stopPropagation();
        saveEdit(panel, event.target);
      });
      window.setInterval(function () {
        if (document.visibilityState === "visible") refresh(panel, true);
      }, REFRESH_MS);
    });
  });
})();
