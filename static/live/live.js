// A live page's stream, kept current without a reload. Every 15 to 30 seconds (far less often while the tab is
// hidden, and at once when it comes back) the page asks its poll address, which every reader of the page shares
// and which the browser revalidates with If-None-Match. Edited updates change where they stand and deleted ones
// go; new ones are not put under the reader's eyes: a button in a space kept for it says how many there are,
// a polite announcement says the same to screen readers, and the button puts them at the top.
// The key events' summary and the count above the stream follow: an entry whose update is deleted, or is no
// longer a key event, goes at once (as its update goes from the stream) and an edited one changes in place; the
// entry of a new key event waits with its update and comes when the button shows them. The count (one line, its
// height unchanged) says what the stream holds less what still waits behind the button.
(function () {
  "use strict";
  var EVERY = 15000, JITTER = 15000, HIDDEN_EVERY = 120000, LONGEST = 600000, SOON = 5000;
  var KEY_EVENTS_SHOWN = 10;  // as many as the page lists (live.public.page.KEY_EVENTS_SHOWN)

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  function plural(count, one, many) { return count + " " + (count === 1 ? one : many); }

  function parse(html) {
    var holder = document.createElement("template");
    holder.innerHTML = String(html).trim();
    return holder.content.firstElementChild;
  }

  function fromHtml(html) {
    var element = parse(html);
    return element && element.classList.contains("live-update") ? element : null;
  }

  function timeOf(element) {
    var time = element.querySelector("time[datetime]");
    return time ? Date.parse(time.getAttribute("datetime")) || 0 : 0;
  }

  // Where an update stands: pinned first, then by its time (newest first, or oldest first once coverage ended).
  function sortKey(element) {
    return {
      pinned: element.getAttribute("data-pinned") === "1",
      at: timeOf(element),
      id: parseInt(element.id.replace("update-", ""), 10) || 0
    };
  }

  function Stream(list) {
    this.list = list;
    this.url = list.getAttribute("data-poll");
    this.seq = parseInt(list.getAttribute("data-seq"), 10) || 0;
    this.newestFirst = list.getAttribute("data-order") !== "oldest";
    var page = new URLSearchParams(window.location.search).get("page");
    this.firstPage = !page || page === "1";
    this.pageNumber = parseInt(page, 10) || 1;
    this.section = list.closest("section") || list.parentNode;
    this.count = this.section.querySelector(".live-count");
    this.shownCount = null;  // the stream's count, from the last answer
    this.perPage = 0;
    this.waiting = new Map();  // new updates not shown yet, by id
    this.waitingKeys = new Map();  // the key events' summary entries of those that are key events, by id
    this.behind = false;
    this.timer = null;
    this.busy = false;
    this.failures = 0;
    this.lastPoll = Date.now();
    this.makeNotice();
  }

  Stream.prototype.before = function (a, b) {
    if (a.pinned !== b.pinned) return a.pinned;
    if (a.at !== b.at) return this.newestFirst ? a.at > b.at : a.at < b.at;
    return this.newestFirst ? a.id > b.id : a.id < b.id;
  };

  Stream.prototype.items = function () {
    return Array.prototype.filter.call(this.list.children, function (child) {
      return child.classList.contains("live-update");
    });
  };

  // The page's space for the button (kept by the stream's markup, or made here) and a polite status message.
  Stream.prototype.makeNotice = function () {
    var section = this.list.closest("section") || this.list.parentNode;
    var slot = section.querySelector("[data-live-notice]");
    if (!slot) {
      slot = document.createElement("div");
      slot.setAttribute("data-live-notice", "");
      this.list.parentNode.insertBefore(slot, this.list);
    }
    slot.classList.add("live-notice");
    this.button = document.createElement("button");
    this.button.type = "button";
    this.button.className = "live-notice-button";
    this.button.hidden = true;
    this.button.addEventListener("click", this.showWaiting.bind(this));
    this.link = document.createElement("a");
    this.link.className = "live-notice-button";
    this.link.hidden = true;
    this.status = document.createElement("p");
    this.status.className = "visually-hidden";
    this.status.setAttribute("role", "status");
    slot.append(this.button, this.link, this.status);
  };

  Stream.prototype.announce = function (text) {
    if (this.status.textContent !== text) this.status.textContent = text;
  };

  // Whether a new update belongs on this page as it is shown now: on the first page of a newest-first stream,
  // whatever sorts above its last update; elsewhere, what is newer than everything the page shows.
  Stream.prototype.belongsHere = function (key) {
    var items = this.items();
    if (!items.length) return true;
    if (this.insertable()) return key.pinned || !this.before(sortKey(items[items.length - 1]), key);
    return items.every(function (item) { return key.at > sortKey(item).at; });
  };

  Stream.prototype.insertable = function () { return this.newestFirst && this.firstPage; };

  Stream.prototype.place = function (element) {
    var key = sortKey(element), items = this.items();
    for (var i = 0; i < items.length; i++) {
      if (items[i] !== element && this.before(key, sortKey(items[i]))) {
        this.list.insertBefore(element, items[i]);
        return;
      }
    }
    this.list.appendChild(element);
  };

  Stream.prototype.replace = function (old, element) {
    var was = sortKey(old), now = sortKey(element);
    old.replaceWith(element);
    if (was.pinned !== now.pinned || was.at !== now.at) this.place(element);
  };

  Stream.prototype.apply = function (answer) {
    if (!answer || typeof answer.seq !== "number" || !Array.isArray(answer.changes)) return;
    if (answer.seq <= this.seq) return;
    if (this.seq + 1 < answer.complete_from) {
      this.behind = true;
      this.seq = answer.seq;
      this.render();
      return;
    }
    var changes = answer.changes.filter(function (change) { return change.seq > this.seq; }, this).reverse();
    changes.forEach(this.change, this);
    this.seq = answer.seq;
    this.list.setAttribute("data-seq", String(this.seq));
    if (typeof answer.shown_count === "number" && answer.per_page > 0) {
      this.shownCount = answer.shown_count;
      this.perPage = answer.per_page;
    }
    this.recount();
    this.render();
  };

  Stream.prototype.change = function (change) {
    var shown = this.list.querySelector("#update-" + Number(change.id));
    if (!change.shown) {  // deleted, or waiting for an editor: gone from the page
      this.waiting.delete(change.id);
      this.waitingKeys.delete(change.id);
      if (shown) shown.remove();
      this.dropKeyEvent(change.id);
      return;
    }
    var element = fromHtml(change.html);
    if (!element) return;
    if (shown) this.replace(shown, element);
    else if (this.waiting.has(change.id) || this.belongsHere(sortKey(element))) {
      this.waiting.set(change.id, element);
      if (change.key_event) this.waitingKeys.set(change.id, change.key_event_html);
      else this.waitingKeys.delete(change.id);
      return;
    }
    // An update the page shows, or one its summary lists: its entry follows it now.
    if (!change.key_event) this.dropKeyEvent(change.id);
    else if (shown || this.keyEvent(change.id)) this.putKeyEvent(change.id, change.key_event_html);
  };

  // The summary's entry for update ``id`` (its link ends with the update's anchor, on this page or another).
  Stream.prototype.keyEvent = function (id) {
    var links = this.section.querySelectorAll(".live-key-events li > a[href]"), end = "#update-" + Number(id);
    for (var i = 0; i < links.length; i++) {
      var href = links[i].getAttribute("href");
      if (href.slice(-end.length) === end) return links[i].parentNode;
    }
    return null;
  };

  Stream.prototype.dropKeyEvent = function (id) {
    var entry = this.keyEvent(id);
    if (!entry) return;
    var nav = entry.closest(".live-key-events");
    entry.remove();
    if (nav && !nav.querySelector("li")) nav.remove();  // no key event left: no summary, as the page renders it
  };

  // Puts the entry in the summary (made when the page had none), newest first, or changes the one there.
  Stream.prototype.putKeyEvent = function (id, html) {
    var entry = html ? parse(html) : null;
    if (!entry || entry.tagName !== "LI") return;
    var old = this.keyEvent(id);
    if (old) {  // it keeps its link: the page that holds the update did not change
      entry.querySelector("a").setAttribute("href", old.querySelector("a").getAttribute("href"));
      old.replaceWith(entry);
      return;
    }
    var list = this.summary(), at = timeOf(entry), items = list.children;
    for (var i = 0; i < items.length; i++) {
      if (at > timeOf(items[i])) break;
    }
    list.insertBefore(entry, items[i] || null);
    while (list.children.length > KEY_EVENTS_SHOWN) list.lastElementChild.remove();
  };

  Stream.prototype.summary = function () {
    var list = this.section.querySelector(".live-key-events ol");
    if (list) return list;
    var nav = document.createElement("nav"), heading = document.createElement("h3");
    nav.className = "live-key-events";
    nav.setAttribute("aria-labelledby", "key-events-heading");
    heading.id = "key-events-heading";
    heading.textContent = "Key events";
    list = document.createElement("ol");
    nav.append(heading, list);
    if (this.count) this.count.after(nav);
    else this.list.parentNode.insertBefore(nav, this.list);
    return list;
  };

  // "N updates · page x of y": the stream's count less the new updates still waiting behind the button.
  Stream.prototype.recount = function () {
    if (!this.count || this.shownCount === null || !this.perPage) return;
    var count = Math.max(0, this.shownCount - this.waiting.size);
    var pages = Math.max(Math.ceil(count / this.perPage), this.pageNumber);
    var text = plural(count, "update", "updates");
    if (pages > 1) text += " · page " + this.pageNumber + " of " + pages;
    if (!this.newestFirst) text += " · oldest first";
    if (this.count.textContent !== text) this.count.textContent = text;
  };

  Stream.prototype.render = function () {
    var count = this.waiting.size, here = window.location.pathname + window.location.search;
    this.button.hidden = true;
    this.link.hidden = true;
    if (this.behind) {
      this.offer(this.link, "This page has fallen behind: reload it for the latest updates", here);
      this.announce("This page has fallen behind the live coverage: reload it for the latest updates.");
    } else if (count && this.insertable()) {
      this.offer(this.button, "Show " + plural(count, "new update", "new updates"));
      this.announce(plural(count, "new update", "new updates") + ": the button above the updates shows them.");
    } else if (count && this.newestFirst) {  // an older page: the new updates are on the first
      this.offer(this.link, "Newer updates have been posted: see the latest", window.location.pathname);
      this.announce("Newer updates have been posted.");
    } else if (count) {
      this.offer(this.link, plural(count, "new update", "new updates") + " since this page loaded: reload", here);
      this.announce(plural(count, "new update", "new updates") + " since this page loaded.");
    }
  };

  Stream.prototype.offer = function (control, text, href) {
    control.textContent = text;
    if (href) control.href = href;
    control.hidden = false;
  };

  Stream.prototype.showWaiting = function () {
    var elements = Array.from(this.waiting.values()), keys = Array.from(this.waitingKeys), first = null;
    this.waiting.clear();
    this.waitingKeys.clear();
    var empty = this.list.parentNode.querySelector(".live-empty");  // "No updates yet." is no longer true
    if (empty && elements.length) empty.hidden = true;
    elements.forEach(function (element) {
      var stale = this.list.querySelector("#" + element.id);
      if (stale) stale.remove();
      this.place(element);
    }, this);
    keys.forEach(function (entry) { this.putKeyEvent(entry[0], entry[1]); }, this);
    this.recount();
    elements.forEach(function (element) {
      if (!first || this.before(sortKey(element), sortKey(first))) first = element;
    }, this);
    this.render();
    this.announce(plural(elements.length, "new update", "new updates") + " shown.");
    if (first) {
      first.setAttribute("tabindex", "-1");
      first.focus();
    }
  };

  Stream.prototype.delay = function () {
    var wait = document.hidden ? HIDDEN_EVERY : EVERY;
    wait += Math.random() * JITTER;
    return Math.min(LONGEST, wait * Math.pow(2, Math.min(this.failures, 5)));
  };

  Stream.prototype.schedule = function (wait) {
    clearTimeout(this.timer);
    this.timer = setTimeout(this.poll.bind(this), wait === undefined ? this.delay() : wait);
  };

  Stream.prototype.poll = function () {
    if (this.busy || this.stopped) return;
    var self = this;
    this.busy = true;
    this.lastPoll = Date.now();
    fetch(this.url, { cache: "no-cache", credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 404 || response.status === 410) self.stopped = true;  // no longer a live page
        if (!response.ok) throw new Error("poll answered " + response.status);
        return response.json();
      })
      .then(function (answer) {
        self.failures = 0;
        self.apply(answer);
      })
      .catch(function () { self.failures += 1; })  // offline or the server busy: ask again, later
      .then(function () {
        self.busy = false;
        if (!self.stopped) self.schedule();
      });
  };

  Stream.prototype.start = function () {
    var self = this;
    document.addEventListener("visibilitychange", function () {
      if (document.hidden) self.schedule();
      else if (Date.now() - self.lastPoll > SOON) self.schedule(0);
    });
    this.schedule();
  };

  ready(function () {
    if (!window.fetch || !window.Map || !("content" in document.createElement("template"))) return;
    var list = document.querySelector("ol.live-stream[data-poll]");
    if (list && list.getAttribute("data-poll")) new Stream(list).start();
  });
})();
