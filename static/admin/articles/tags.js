// The tags box (articles/admin/tagging.py) as a chooser: the chosen tags as chips, each with a button that
// removes it, and a combobox that lists the existing tags holding what is typed (arrows, Enter, Escape, or a
// click). Those who may create tags are offered "Create tag “X”"; others are told at once that only editors
// create them. The box of names the form posts stays, hidden, and is kept in step.
(function () {
  "use strict";
  var WAIT_MS = 150;

  function tagText(names) {
    return names.map(function (name) { return name.indexOf(",") >= 0 ? '"' + name + '"' : name; }).join(", ");
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text) node.textContent = text;
    return node;
  }

  function oneSpaced(text) { return text.replace(/\s+/g, " ").trim(); }
  function same(a, b) { return a.toLocaleLowerCase() === b.toLocaleLowerCase(); }

  function chooser(box) {
    var id = box.id || "tags";
    var mayCreate = box.getAttribute("data-may-create") === "true";
    var chosen = JSON.parse(box.getAttribute("data-chosen") || "[]");
    var label = document.querySelector('label[for="' + box.id + '"]');
    var help = document.getElementById(box.id + "_helptext");
    var results = [];
    var active = -1;
    var asked = 0;
    var answered = "";  // what the listed results were found for
    var timer = null;

    var root = el("div", { class: "tag-chooser" });
    var chips = el("ul", { class: "tag-chips", "aria-label": "Chosen tags" });
    var input = el("input", {
      type: "text", id: id + "_chooser", class: "tag-chooser-input", role: "combobox", autocomplete: "off",
      "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": id + "_options",
    });
    var list = el("ul", { id: id + "_options", class: "tag-options", role: "listbox", "aria-label": "Tags" });
    var note = el("p", { id: id + "_note", class: "tag-chooser-note", "aria-live": "polite" });
    list.hidden = true;
    input.setAttribute("aria-describedby", [note.id, help ? help.id : ""].join(" ").trim());
    if (box.getAttribute("aria-invalid") === "true") input.setAttribute("aria-invalid", "true");
    if (label) {
      label.id = label.id || id + "_label";
      label.setAttribute("for", input.id);
    }
    root.append(chips, input, list, note);
    box.type = "hidden";
    box.removeAttribute("aria-describedby");
    box.parentNode.insertBefore(root, box.nextSibling);

    function write() {
      box.value = tagText(chosen);
      box.dispatchEvent(new Event("input", { bubbles: true }));
      box.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function drawChips() {
      chips.textContent = "";
      chosen.forEach(function (name, index) {
        var chip = el("li", { class: "tag-chip" });
        var remove = el("button", { type: "button", class: "tag-chip-remove", "aria-label": "Remove tag " + name }, "×");
        remove.addEventListener("click", function () {
          chosen.splice(index, 1);
          write();
          drawChips();
          say("Removed " + name + ".");
          input.focus();
        });
        chip.append(el("span", {}, name), remove);
        chips.append(chip);
      });
      chips.hidden = chosen.length === 0;
    }

    function say(text) { note.textContent = text; note.classList.toggle("tag-chooser-refused", false); }
    function refuse(text) { note.textContent = text; note.classList.add("tag-chooser-refused"); }

    function isChosen(name) { return chosen.some(function (other) { return same(other, name); }); }

    function options() {
      var typed = oneSpaced(input.value);
      var shown = results.filter(function (name) { return !isChosen(name); }).map(function (name) {
        return { name: name, text: name };
      });
      var known = results.some(function (name) { return same(name, typed); }) || isChosen(typed);
      if (typed && !known && mayCreate) shown.push({ name: typed, text: "Create tag “" + typed + "”", create: true });
      return shown;
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function draw() {
      var shown = options();
      list.textContent = "";
      active = Math.min(active, shown.length - 1);
      shown.forEach(function (option, index) {
        var item = el("li", {
          id: id + "_option_" + index, role: "option", class: "tag-option" + (option.create ? " tag-option-create" : ""),
          "aria-selected": String(index === active),
        }, option.text);
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { choose(option); });
        list.append(item);
      });
      if (!shown.length) return close();
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      if (active >= 0) input.setAttribute("aria-activedescendant", id + "_option_" + active);
      else input.removeAttribute("aria-activedescendant");
    }

    function explain() {
      var typed = oneSpaced(input.value);
      if (!typed || mayCreate) return say("");
      if (results.some(function (name) { return same(name, typed); })) return say("");
      if (!options().length) refuse("No tag is called “" + typed + "”. Only editors create tags: choose an existing one.");
      else say("“" + typed + "” is not a tag yet: choose one from the list. Only editors create tags.");
    }

    function choose(option) {
      if (!isChosen(option.name)) chosen.push(option.name);
      write();
      drawChips();
      input.value = "";
      results = [];
      answered = "";
      close();
      say(option.create ? "Tag “" + option.name + "” will be created when you save." : "Added " + option.name + ".");
      input.focus();
    }

    function search(then) {
      var typed = oneSpaced(input.value);
      var ticket = ++asked;
      clearTimeout(timer);
      if (!typed) { results = []; answered = ""; close(); say(""); return; }
      fetch(box.getAttribute("data-search-url") + "?q=" + encodeURIComponent(typed), {
        credentials: "same-origin", headers: { Accept: "application/json" },
      }).then(function (response) {
        if (!response.ok) throw new Error("The tag search answered " + response.status + ".");
        return response.json();
      }).then(function (answer) {
        if (ticket !== asked) return;
        results = answer.results.map(function (result) { return result.name; });
        answered = typed;
        active = -1;
        draw();
        explain();
        if (then) then();
      }).catch(function () {
        if (ticket === asked) refuse("The tag list could not be reached: type the tags' names, separated by commas.");
      });
    }

    function enter() {
      var typed = oneSpaced(input.value);
      if (typed && typed !== answered) return search(enter);  // Enter came before the list for what was typed
      var shown = options();
      if (active >= 0 && shown[active]) return choose(shown[active]);
      var match = results.filter(function (name) { return same(name, typed); })[0];
      if (match) return choose({ name: match });
      if (typed && mayCreate) return choose({ name: typed, create: true });
      if (typed) refuse("“" + typed + "” is not a tag. Only editors create tags: choose an existing one.");
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      if (input.value.indexOf(",") >= 0) {  // a comma ends a name, as in the plain box
        input.value = input.value.replace(/,/g, "");
        return enter();
      }
      timer = setTimeout(function () { search(); }, WAIT_MS);
    });
    input.addEventListener("keydown", function (event) {
      var count = list.children.length;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!count) return search();  // the list again, after Escape
        active = (active + (event.key === "ArrowDown" ? 1 : count - 1)) % count;
        draw();
      } else if (event.key === "Enter") {
        if (!input.value.trim()) return;  // an empty box lets Enter save the form, as elsewhere
        event.preventDefault();
        enter();
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      } else if (event.key === "Backspace" && !input.value && chosen.length) {
        var name = chosen.pop();
        write();
        drawChips();
        say("Removed " + name + ".");
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 0); });
    drawChips();
  }

  function start() { document.querySelectorAll("input[data-tag-chooser]").forEach(chooser); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
