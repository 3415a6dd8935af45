// The writing view's helpers: the Markdown toolbar and its keys (Ctrl/Cmd+B, I, K), Ctrl/Cmd+S to save and keep
// editing, a body box as tall as its text, the headline's length against the recommended and the allowed.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  // Edits go through the browser's own text insertion where it has one, so that Undo undoes them; either way
  // an input event tells the preview (editor.js) and the autosave (desk.js).
  function replace(box, start, end, text, selectFrom, selectTo) {
    box.focus();
    box.setSelectionRange(start, end);
    var done = false;
    try { done = document.execCommand("insertText", false, text); } catch (error) { done = false; }
    if (!done || box.value.slice(start, start + text.length) !== text) {
      box.setRangeText(text, start, end, "end");
      box.dispatchEvent(new Event("input", { bubbles: true }));
    }
    box.setSelectionRange(start + selectFrom, start + selectTo);
  }

  // A word chosen with the space after it (as a double click chooses it on some systems) is marked without the
  // space, "**word** " rather than "**word **", which Markdown would not make bold.
  function wrap(box, mark, placeholder) {
    var start = box.selectionStart, end = box.selectionEnd, chosen = box.value.slice(start, end);
    var inner = chosen.trim();
    if (inner) {
      start += chosen.indexOf(inner);
      end = start + inner.length;
    } else {
      start = end;
      inner = placeholder;
    }
    replace(box, start, end, mark + inner + mark, mark.length, mark.length + inner.length);
  }

  function link(box) {
    var start = box.selectionStart, end = box.selectionEnd, chosen = box.value.slice(start, end);
    if (/^https?:\/\/\S+$/.test(chosen)) {
      replace(box, start, end, "[link text](" + chosen + ")", 1, 10);
    } else {
      var text = chosen || "link text";
      replace(box, start, end, "[" + text + "](https://)", text.length + 3, text.length + 11);
    }
  }

  // Whole lines: each line of the selection (or the cursor's line) gets ``prefix(n)``, after a blank line.
  function lines(box, prefix) {
    var value = box.value;
    var start = value.lastIndexOf("\n", box.selectionStart - 1) + 1;
    var end = value.indexOf("\n", Math.max(box.selectionEnd - (box.selectionEnd > box.selectionStart ? 1 : 0), start));
    if (end === -1) end = value.length;
    var text = value.slice(start, end).split("\n").map(function (line, n) {
      return prefix(n) + line.replace(/^(#{1,6} |> |[-*+] |\d+[.)] )/, "");
    }).join("\n");
    var before = value.slice(0, start);
    var gap = before && !/\n\n$/.test(before) ? (/\n$/.test(before) ? "\n" : "\n\n") : "";
    replace(box, start, end, gap + text, gap.length + prefix(0).length, gap.length + text.length);
  }

  var TOOLS = {
    bold: function (box) { wrap(box, "**", "bold text"); },
    italic: function (box) { wrap(box, "*", "italic text"); },
    link: link,
    heading: function (box) { lines(box, function () { return "## "; }); },
    quote: function (box) { lines(box, function () { return "> "; }); },
    bullets: function (box) { lines(box, function () { return "- "; }); },
    numbers: function (box) { lines(box, function (n) { return (n + 1) + ". "; }); },
    picture: function () {
      // The picture chooser (chooser.js), as the "Insert a picture" button under the body opens it (pictures.js).
      var open = document.querySelector(".picture-picker-open");
      if (open) open.click();
    },
  };
  var KEYS = { b: "bold", i: "italic", k: "link" };

  // A form already on its way (by these keys or by a button) is not sent twice: the second would come back
  // refused as out of date by one's own save. One whose sending a script called off can be sent again, and so
  // can one shown again from the back button.
  function guard(form) {
    document.addEventListener("submit", function (event) {
      if (event.target === form && !event.defaultPrevented) form.dataset.saving = "1";
    });
    window.addEventListener("pageshow", function () { delete form.dataset.saving; });
  }

  function save(form) {
    if (form.dataset.saving) return;
    var button = form.querySelector("[type=submit][name=_continue]");
    if (!button && !form.querySelector("input[type=hidden][name=_continue]")) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "_continue";
      hidden.value = "1";
      form.appendChild(hidden);
    }
    if (form.requestSubmit) form.requestSubmit(button); else form.submit();
  }

  function grow(box) {
    if (window.CSS && CSS.supports && CSS.supports("field-sizing", "content")) return;
    function fit() {
      box.style.height = "auto";
      box.style.height = (box.scrollHeight + box.offsetHeight - box.clientHeight) + "px";
    }
    box.addEventListener("input", fit);
    fit();
  }

  function counter(title) {
    var recommended = parseInt(title.dataset.recommended, 10) || 0;
    var limit = parseInt(title.getAttribute("maxlength"), 10) || 0;
    var siteLimit = parseInt(title.dataset.siteLimit, 10) || 0;  // the publish checklist's
    var shown = document.createElement("p");
    shown.className = "headline-count";
    shown.id = "headline-count";
    var told = document.createElement("p");
    told.className = "writing-sr";
    told.setAttribute("role", "status");
    title.insertAdjacentElement("afterend", told);
    title.insertAdjacentElement("afterend", shown);
    var described = title.getAttribute("aria-describedby");
    title.setAttribute("aria-describedby", (described ? described + " " : "") + "headline-count");
    var timer = null;
    function length() { return Array.from(title.value).length; }
    function show() {
      var n = length();
      var parts = [recommended ? n + " / " + recommended + " recommended" : n + " characters"];
      if (siteLimit) parts.push(siteLimit + " the site's limit");
      if (limit) parts.push(limit + " max");
      shown.textContent = parts.join(" · ");
      shown.classList.toggle("over", (recommended > 0 && n > recommended) || (siteLimit > 0 && n > siteLimit));
    }
    // Read out once typing pauses, not at every key.
    function tell() {
      var n = length();
      var text = "Headline: " + n + " characters";
      if (recommended && n > recommended) text += ", " + (n - recommended) + " over the recommended " + recommended;
      else if (recommended) text += " of the recommended " + recommended;
      if (siteLimit && n > siteLimit) text += ", " + (n - siteLimit) + " over the site's limit " + siteLimit;
      told.textContent = text + ".";
    }
    title.addEventListener("input", function () {
      show();
      clearTimeout(timer);
      timer = setTimeout(tell, 1500);
    });
    show();
  }

  ready(function () {
    var title = document.getElementById("id_title");
    if (title && !title.readOnly) counter(title);

    var box = document.getElementById("id_body");
    if (!box || !box.form) return;
    var form = box.form;
    guard(form);
    grow(box);

    var template = document.getElementById("writing-toolbar-template");
    if (template) {
      var parts = template.content.cloneNode(true);
      var toolbar = parts.querySelector(".writing-toolbar");
      var sheet = parts.querySelector(".writing-shortcuts");
      if (!document.getElementById("picture-picker-urls")) {
        toolbar.querySelector("[data-tool=picture]").remove();
      }
      box.parentNode.insertBefore(toolbar, box);
      box.insertAdjacentElement("afterend", sheet);
      toolbar.addEventListener("click", function (event) {
        var button = event.target.closest("[data-tool]");
        if (button) TOOLS[button.dataset.tool](box);
      });
      // Arrow keys move along the toolbar, as in any toolbar.
      toolbar.addEventListener("keydown", function (event) {
        if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
        var buttons = Array.prototype.slice.call(toolbar.querySelectorAll("button"));
        var at = buttons.indexOf(document.activeElement);
        if (at === -1) return;
        var next = (at + (event.key === "ArrowRight" ? 1 : buttons.length - 1)) % buttons.length;
        buttons[next].focus();
        event.preventDefault();
      });
    }

    document.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      var key = event.key.toLowerCase();
      if (key === "s") {
        event.preventDefault();
        save(form);
      } else if (KEYS[key] && event.target === box) {
        event.preventDefault();
        TOOLS[KEYS[key]](box);
      }
    });
  });
})();
