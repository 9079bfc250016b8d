/* The workbook's own script. Small, no dependencies, no network requests.
   Each part finds its elements by a data-wb-* attribute and does nothing on
   pages without them. Everything a reader enters stays in this browser
   (localStorage); nothing is ever sent anywhere. */
(function () {
  "use strict";

  /* ----------------------------------------------------------- messages */

  /* The one place where the page speaks about saving: the banner in
     overrides/workbook/messages.html, whose sentences it shows or hides.
     It stays until the reader hides it, and comes back with a new problem
     (the same failure again does not bring it back: the worksheet or
     checklist still says "Not saved" where the reader is). */
  var messages = (function () {
    var box = document.querySelector("[data-wb-messages]");
    var failing = Object.create(null);  // keys whose last write failed
    var shown = Object.create(null);    // which sentences are on
    var hiddenByReader = false;
    var lastFocus = null;               // where to return after "Hide"
    // The new-version notice (offline, below): "ready" or "elsewhere".
    var update = document.querySelector("[data-wb-update]");
    var offered = null, applyUpdate = null;

    // "Not now" holds for the rest of this visit (this tab), not only
    // this page: a note in sessionStorage, which is not the reader's data.
    function notNow(set) {
      try {
        if (set) window.sessionStorage.setItem("wb-update-not-now", "1");
        return window.sessionStorage.getItem("wb-update-not-now") === "1";
      } catch (error) {
        return set;
      }
    }
    function allSaved() {
      return !Object.keys(failing).length && !shown["cannot-save"];
    }
    function refocus() {
      if (lastFocus && document.contains(lastFocus)) lastFocus.focus();
      else document.activeElement.blur();
    }

    // Focused fields stay above the banner (WCAG 2.4.11), whatever its height.
    function makeRoom() {
      var on = !box.hidden ? box : (update && !update.hidden ? update : null);
      var height = on ? on.offsetHeight + "px" : "";
      document.documentElement.style.scrollPaddingBottom = height;
      document.body.style.paddingBottom = height;
    }
    function render() {
      if (!box) return;
      box.querySelectorAll("[data-wb-message]").forEach(function (p) {
        p.hidden = !shown[p.getAttribute("data-wb-message")];
      });
      var any = Object.keys(shown).some(function (name) { return shown[name]; });
      box.hidden = !any || hiddenByReader;
      if (update) {
        // One message at a time: saving goes first, the update waits. And
        // while something typed or ticked is not saved, no update is
        // offered: showing it reloads the page, which would lose it.
        update.hidden = !offered || !box.hidden || !allSaved();
        update.querySelectorAll("[data-wb-update-message]").forEach(function (p) {
          p.hidden = p.getAttribute("data-wb-update-message") !== offered;
        });
      }
      makeRoom();
    }
    function set(name, on) {
      if (on && !shown[name]) hiddenByReader = false;
      shown[name] = on;
    }
    if (box) {
      window.addEventListener("resize", makeRoom);
      document.addEventListener("focusin", function (event) {
        if (!box.contains(event.target) && !(update && update.contains(event.target))) {
          lastFocus = event.target;
        }
      });
      box.querySelector("[data-wb-messages-close]").addEventListener("click", function () {
        hiddenByReader = true;
        shown["saving-works"] = false;
        render();
        refocus();
      });
    }
    if (box && update) {
      update.querySelector("[data-wb-update-apply]").addEventListener("click", function () {
        if (applyUpdate && allSaved()) applyUpdate();
      });
      update.querySelector("[data-wb-update-close]").addEventListener("click", function () {
        offered = null;
        notNow(true);
        render();
        refocus();
      });
    }
    return {
      /* The result of every write: a failure shows the banner; the first
         success after failures says that saving works again. */
      wrote: function (key, ok) {
        var before = Object.keys(failing).length;
        if (ok) delete failing[key];
        else failing[key] = true;
        var now = Object.keys(failing).length;
        if (!ok) {
          set("save-failed", true);
          set("saving-works", false);
        } else if (!now && (before || shown["cannot-save"])) {
          if (shown["save-failed"] || shown["cannot-save"]) set("saving-works", true);
          set("save-failed", false);
          set("cannot-save", false);
        }
        render();
      },
      cannotSave: function () { set("cannot-save", true); render(); },
      damaged: function (keptAside) { set(keptAside ? "damaged" : "damaged-held", true); render(); },
      unreadable: function () { set("unreadable", true); render(); },
      /* Whether everything typed or ticked here is saved. */
      saved: allSaved,
      /* A new version is ready ("ready"), or was shown in another window
         ("elsewhere"); `apply` shows it. Offered once per visit, unless
         `always` (the live preview replaced this copy). */
      update: function (kind, apply, always) {
        if (kind === "ready" && !always && (offered || notNow(false))) return;
        offered = kind;
        applyUpdate = apply;
        render();
      }
    };
  })();

  /* ------------------------------------------------------------ storage */

  /* The one storage layer: every script saves through it, as JSON under one
     key per checklist, worksheet or set of details. It never lies:
     - write() returns true only when the browser really kept the data (it
       can throw when storage is full, blocked or switched off, so every
       write is caught and read back), and tells `messages` either way;
     - read() never hands back damaged data. What is not JSON, or not of the
       shape `check` expects, is kept aside under "wb-damaged:<key>" and
       never written over; `check` may keep the parts that are fine;
     - a key whose saved data could not be read (the browser refused), or
       could not be kept aside (no room), is held: nothing is written over
       it while this page is open.
     Callers read just before they write and change only what the reader
     changed, so two windows never undo each other. A write that failed can
     ask to be tried again: it is, after the next write that works and when
     the page is left. */
  var DAMAGED = "wb-damaged:";
  var held = Object.create(null);     // key: the damaged text (or null: unreadable)
  var retries = Object.create(null);  // key: what to call to save it again

  function rawGet(key) {
    try {
      return { ok: true, text: window.localStorage.getItem(key) };
    } catch (error) {
      return { ok: false, text: null };
    }
  }
  function rawSet(key, text) {
    try {
      window.localStorage.setItem(key, text);
      return window.localStorage.getItem(key) === text;
    } catch (error) {
      return false;
    }
  }
  function rawRemove(key) {
    try {
      window.localStorage.removeItem(key);
      return window.localStorage.getItem(key) === null;
    } catch (error) {
      return false;
    }
  }
  function slot(key, n) { return DAMAGED + key + (n > 1 ? "#" + n : ""); }

  /* Put `text` in the first free "wb-damaged:<key>" slot (or the one that
     holds it already); false when there is no room. */
  function putAside(key, text) {
    for (var n = 1; n <= 50; n++) {
      var there = rawGet(slot(key, n));
      if (!there.ok) return false;
      if (there.text === text) return true;
      if (there.text === null) return rawSet(slot(key, n), text);
    }
    return false;
  }

  function runRetries() {
    var waiting = retries;
    retries = Object.create(null);
    Object.keys(waiting).forEach(function (key) { waiting[key](); });
  }
  window.addEventListener("pagehide", runRetries);

  function reported(key, ok) {
    messages.wrote(key, ok);
    if (ok && Object.keys(retries).length) setTimeout(runRetries, 0);
    return ok;
  }

  var store = {
    /* The value saved under `key`, null if there is none, or undefined if
       the browser would not read it. check(value) returns {keep: what to
       use (or null), lost: true if anything was left out}. */
    read: function (key, check) {
      var got = rawGet(key);
      if (!got.ok) {
        if (!(key in held)) held[key] = null;
        messages.unreadable();
        return undefined;
      }
      if (key in held && held[key] === null) delete held[key];  // readable again
      if (got.text === null) return null;
      var value, result;
      try {
        value = JSON.parse(got.text);
        result = check ? check(value) : { keep: value, lost: false };
      } catch (error) {
        result = { keep: null, lost: true };
      }
      if (result.lost) {
        if (putAside(key, got.text)) {
          // The parts that could be read stay where they were.
          if (result.keep === null) rawRemove(key);
          else rawSet(key, JSON.stringify(result.keep));
          messages.damaged(true);
        } else {
          held[key] = got.text;
          messages.damaged(false);
        }
      }
      return result.keep;
    },
    write: function (key, value) {
      return reported(key, !(key in held) && rawSet(key, JSON.stringify(value)));
    },
    remove: function (key) {
      return reported(key, !(key in held) && rawRemove(key));
    },
    /* Call `again` after the next write that works (or when leaving). */
    retry: function (key, again) { retries[key] = again; },
    /* The damaged data kept aside for `key`, as text, to put in a download. */
    rescued: function (key) {
      var found = [];
      for (var n = 1; n <= 50; n++) {
        var got = rawGet(slot(key, n));
        if (got.text === null) break;
        found.push(got.text);
      }
      if (typeof held[key] === "string") found.push(held[key]);
      return found;
    },
    /* Damaged data from a file (or replaced by one), kept aside: never lost. */
    keepAside: function (key, texts) {
      return texts.every(function (text) { return putAside(key, text); });
    },
    /* Forget the damaged copies of `key` (the reader cleared it). */
    forget: function (key) {
      var ok = true;
      for (var n = 50; n >= 1; n--) {
        if (rawGet(slot(key, n)).text !== null) ok = rawRemove(slot(key, n)) && ok;
      }
      return ok;
    },
    /* Whether this browser lets us save at all (checked at load). */
    works: function () {
      var ok = rawSet("wb-probe", "1");
      rawRemove("wb-probe");
      return ok;
    }
  };

  /* --------------------------------------------------------- menu button */

  /* The menu button (overrides/partials/header.html): opens and closes
     Material's drawer from the keyboard, says whether it is open, and
     closes it again with Escape. In the open phone menu, the keyboard
     reaches only what the reader sees (below). Wide screens have no
     drawer: the menu is a column there. */
  function menuButton(button) {
    var toggle = document.getElementById("__drawer");
    var menu = document.querySelector(".md-sidebar--primary");
    if (!toggle) return;
    var drawer = window.matchMedia("(max-width: 76.234375em)");
    function phoneMenu() {
      return menu && toggle.checked && drawer.matches;
    }
    function sync() {
      button.setAttribute("aria-expanded", String(toggle.checked));
    }
    function shown(element) {
      return element.getClientRects().length > 0;
    }
    function focusable(root) {
      return Array.prototype.filter.call(
        root.querySelectorAll("a[href], button, input, select, textarea, [tabindex]"),
        function (element) {
          return element.tabIndex >= 0 && shown(element) && !element.closest(".wb-covered");
        });
    }
    /* The panel the reader sees. On a page in a section, that section's
       panel lies over the menu's first level (and the contents list, once
       opened, over that; wider than 60em it is not in the menu). */
    function openPanel() {
      var open = Array.prototype.filter.call(
        menu.querySelectorAll(".md-nav__toggle:checked ~ .md-nav"), shown);
      return open.length ? open[open.length - 1] : menu;
    }
    /* The first link in the open panel (after its back arrow). */
    // (Without scrolling: a panel still sliding in lies beside the menu,
    // and the browser scrolled the menu's box sideways to it, for good.)
    function focusFirstLink() {
      var all = focusable(openPanel());
      var first = all.filter(function (element) { return !element.matches(".md-nav__title"); })[0];
      if (first || all[0]) (first || all[0]).focus({ preventScroll: true });
    }
    /* What lies under the open panel, and closed panels inside it (the
       contents list: drawn, but transparent), are hidden (`wb-covered`,
       assets/workbook.css), so they take no focus and screen readers skip
       them: Tab went on through links no one could see. The panel's back
       arrow (Material's panel title) and the label that opens the page's
       contents list answered only taps: they take the keyboard (Material's
       Enter on a label clicks it; Space below). All undone as the menu
       closes or the screen widens. */
    var covered = [], keyed = [];
    function cover() {
      covered.forEach(function (element) { element.classList.remove("wb-covered"); });
      keyed.forEach(function (element) { element.removeAttribute("tabindex"); });
      covered = [];
      keyed = [];
      if (!phoneMenu()) return;
      var panel = openPanel();
      function hide(element) {
        // Not a panel's checkbox (hidden already; its labels open the panel)
        if (element.classList.contains("wb-covered") || element.matches(".md-toggle")) return;
        element.classList.add("wb-covered");
        covered.push(element);
      }
      for (var node = panel; node !== menu; node = node.parentElement) {
        Array.prototype.forEach.call(node.parentElement.children, function (sibling) {
          if (sibling !== node) hide(sibling);
        });
      }
      panel.querySelectorAll(".md-nav__toggle:not(:checked) ~ .md-nav").forEach(hide);
      var labels = [panel === menu ? null : panel.querySelector(":scope > label.md-nav__title"),
                    panel.querySelector("label.md-nav__link[for=__toc]")];
      labels.forEach(function (label) {
        if (!label || label.hasAttribute("tabindex") || !shown(label) ||
            label.closest(".wb-covered")) return;
        label.tabIndex = 0;
        keyed.push(label);
      });
    }
    /* A panel opened or closed from the keyboard: focus goes into the
       panel opened, or back to the label that opens the panel closed,
       unless it is still on something the reader sees. (Not after a tap:
       with focus in the contents list, Chromium 150 can crash when the
       window then widens, Material's own menu too.) */
    function keyboardFocus(element) {
      try { return element.matches(":focus-visible"); } catch (error) { return false; }
    }
    function panelChanged(event) {
      var input = event.target;
      var here = document.activeElement;  // before cover() may hide it
      var fromKeyboard = here && menu.contains(here) && keyboardFocus(here);
      cover();
      if (!phoneMenu() || !input.matches(".md-nav__toggle") || !fromKeyboard ||
          focusable(openPanel()).indexOf(document.activeElement) >= 0) return;
      var label = input.checked ? null : menu.querySelector(
        "label.md-nav__link[for=\"" + (window.CSS && CSS.escape ? CSS.escape(input.id) : input.id) +
        "\"]");
      if (label && focusable(openPanel()).indexOf(label) >= 0) label.focus({ preventScroll: true });
      else focusFirstLink();
    }
    button.addEventListener("click", function () {
      toggle.click(); // toggles the drawer and tells Material (change event)
      // Not if the menu was closed again meanwhile (Escape at once).
      if (toggle.checked) setTimeout(function () { if (phoneMenu()) focusFirstLink(); }, 50);
    });
    toggle.addEventListener("change", sync);
    toggle.addEventListener("change", cover);
    if (menu) menu.addEventListener("change", panelChanged);
    [drawer, window.matchMedia("(min-width: 60em)")].forEach(function (query) {
      if (query.addEventListener) query.addEventListener("change", cover);
      else if (query.addListener) query.addListener(cover);  // Safari before 14
    });
    // A reload or Back that puts the drawer's checkbox back as it was
    // leaves the menu closed, as it starts.
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted && toggle.checked) toggle.click();
      sync();
      cover();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.checked) {
        toggle.click();
        button.focus();
      } else if (event.key === " " && phoneMenu() && event.target.matches &&
                 event.target.matches(".md-sidebar--primary label[for][tabindex]")) {
        event.preventDefault();  // Space on a section's label or back arrow, as Enter
        event.target.click();
      } else if (event.key === "Tab" && event.shiftKey && phoneMenu() &&
                 event.target === focusable(openPanel())[0]) {
        // Shift+Tab back out of the menu: it closes, and focus is on the
        // Menu button (which the open menu covers).
        event.preventDefault();
        toggle.click();
        button.focus();
      }
    });
    // Tab past the menu's last link: the menu closes, so the link or
    // button reached on the page is not hidden behind it; also the Menu
    // button, which lies under the open menu (Tab from the browser's own
    // controls, on a page with nothing after the menu). Not for the
    // message banners, which sit above the menu (their "Hide" and "Not
    // now" send focus back into it).
    document.addEventListener("focusin", function (event) {
      var target = event.target;
      if (!toggle.checked || !drawer.matches || !target.closest ||
          target.closest(".md-sidebar--primary, .wb-messages")) return;
      toggle.click();
    });
    // The menu's box never scrolls sideways (a link focused in a panel
    // sliding in, by Tab): it showed an empty column until a reload.
    var box = menu && menu.querySelector(".md-sidebar__scrollwrap");
    if (box) box.addEventListener("scroll", function () { if (box.scrollLeft) box.scrollLeft = 0; });
    sync();
  }

  /* ---------------------------------------------------------- checklists */

  /* A checklist (overrides/workbook/checklist.html). Ticks are saved under
     "wb-checklist:<checklist id>" as the ids of the ticked items, so the
     same list on another page (the master checklist) shares them, and
     reordering the data keeps them. Ticks of items not on this page are
     kept as they are. Each save reads the list first and changes only the
     boxes ticked or unticked here, so two windows never undo each other.
     The progress line says "saved" only after the browser kept the ticks. */
  function doneIds(value) {
    var fine = value && typeof value === "object" && Array.isArray(value.done) &&
      value.done.every(function (id) { return typeof id === "string" && id.length <= 200; });
    return fine ? { keep: value, lost: false } : { keep: null, lost: true };
  }

  function checklist(box, canSave) {
    var key = "wb-checklist:" + box.getAttribute("data-wb-checklist");
    var inputs = Array.prototype.slice.call(box.querySelectorAll(".wb-check"));
    var tools = box.querySelector("[data-wb-tools]");
    var progress = box.querySelector("[data-wb-progress]");
    var reset = box.querySelector("[data-wb-reset]");
    var changed = Object.create(null);  // item id: ticked, for boxes not saved yet
    var resetAll = false;               // "Reset" not saved yet
    var state = canSave ? "saved" : "cannot";

    function itemId(input) {
      return input.closest("[data-wb-item]").getAttribute("data-wb-item");
    }
    function show() {
      var done = inputs.filter(function (input) { return input.checked; }).length;
      progress.textContent = done + " of " + inputs.length + " done" + {
        saved: ". Saved on this device only.",
        failed: ". Not saved: see the message about saving.",
        unread: ". Your saved checks could not be read: see the message about saving.",
        cannot: ". (This browser cannot save your checks.)"
      }[state];
    }
    /* The saved ticks; undefined if the browser would not read them. */
    function savedDone() {
      if (resetAll) return [];
      var saved = store.read(key, doneIds);
      return saved === undefined ? undefined : (saved ? saved.done : []);
    }
    /* The saved ticks, with this window's unsaved changes on top. If they
       cannot be read, the screen stays as it is. */
    function load() {
      var done = savedDone();
      if (done === undefined) {
        state = "unread";
        return show();
      }
      inputs.forEach(function (input) {
        var id = itemId(input);
        input.checked = id in changed ? changed[id] : done.indexOf(id) !== -1;
      });
      show();
    }
    function save() {
      var done = savedDone();
      if (done === undefined) {  // not read: nothing is written over it
        state = "unread";
        store.retry(key, save);
        return show();
      }
      done = done.filter(function (id) { return !(id in changed); });
      Object.keys(changed).forEach(function (id) { if (changed[id]) done.push(id); });
      var ok = done.length ? store.write(key, { v: 1, done: done }) : store.remove(key);
      state = ok ? "saved" : "failed";
      if (ok) {
        changed = Object.create(null);
        resetAll = false;
        load();  // ticks saved meanwhile elsewhere show here too
      } else {
        store.retry(key, save);
        show();
      }
    }

    inputs.forEach(function (input) {
      input.addEventListener("change", function () {
        changed[itemId(input)] = input.checked;
        save();
      });
    });
    reset.addEventListener("click", function () {
      if (!window.confirm("Uncheck every box in this checklist?")) return;
      inputs.forEach(function (input) { input.checked = false; });
      changed = Object.create(null);
      resetAll = true;
      save();
    });
    // The same list open in another tab (or the master checklist).
    window.addEventListener("storage", function (event) {
      if (event.key === key) load();
    });
    // Ticked before this script started (a slow phone shows the page
    // first): kept, and saved like any tick. And the browser must not tick
    // boxes again by itself after Back, once the saved ticks are shown
    // (autocomplete="off", set here: HTML allows it only on text boxes).
    inputs.forEach(function (input) {
      input.setAttribute("autocomplete", "off");
      if (input.checked !== input.defaultChecked) changed[itemId(input)] = input.checked;
    });
    load();
    if (Object.keys(changed).length) save();
    tools.hidden = false;
  }

  /* ------------------------------------------------------------ copying */

  /* Put text on the clipboard; say so in `status`. Where the browser
     refuses, `fallback` shows the text selected, ready to copy by hand. */
  function copyText(text, status, done, fallback) {
    function refused() { fallback(); }
    if (!navigator.clipboard || !navigator.clipboard.writeText) return refused();
    navigator.clipboard.writeText(text).then(function () { status.textContent = done; }, refused);
  }

  /* A copy-link button ([data-wb-copy-url]): the full permanent address.
     The build writes one under every section heading (scripts/workbook/
     copylinks.py); copyableLinks() below adds those of the link table.
     Where copying is refused, the address appears in a box, selected. */
  function copyLink(button) {
    var holder = button.parentNode;
    var status = holder.querySelector("[data-wb-copy-link-status]");
    var url = button.getAttribute("data-wb-copy-url");
    copyText(url, status, "Link copied: " + url, function () {
      var field = holder.querySelector("input[data-wb-copy-field]");
      if (!field) {
        field = document.createElement("input");
        field.type = "text";
        field.readOnly = true;
        field.className = "wb-input wb-copy-field";
        field.setAttribute("data-wb-copy-field", "");
        field.setAttribute("aria-label", "Link to copy");
        holder.appendChild(field);
      }
      field.value = url;
      field.focus();
      field.select();
      status.textContent = "Copying is not allowed here. The link is selected in the box: " +
        "press Ctrl+C (or Command+C) to copy it.";
    });
  }

  /* A copy button, its status line and a holder for both; `name` completes
     the button's accessible name ("Copy link" + name). */
  function copyButton(url, label, name, holderTag, className) {
    var holder = document.createElement(holderTag);
    holder.className = "wb-copy-link";
    var button = document.createElement("button");
    button.type = "button";
    button.className = className;
    button.setAttribute("data-wb-copy-url", url);
    button.textContent = label;
    var hidden = document.createElement("span");
    hidden.className = "wb-visually-hidden";
    hidden.textContent = name;
    button.appendChild(hidden);
    var status = document.createElement("span");
    status.className = "wb-copy-link__status";
    status.setAttribute("role", "status");
    status.setAttribute("data-wb-copy-link-status", "");
    holder.appendChild(button);
    holder.appendChild(status);
    return holder;
  }
  // One listener for every copy button, however many a page has.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-wb-copy-url]");
    if (button) copyLink(button);
  });

  /* A copy button next to each link marked data-wb-copyable (the career-
     center table, whose links show their full address), named after its row.
     A long table gets its buttons 40 rows at a time, in separate tasks, so
     the page never stops answering the reader while they are made. */
  function copyableLinks() {
    var links = document.querySelectorAll("[data-wb-copyable]"), next = 0;
    function some() {
      for (var end = Math.min(next + 40, links.length); next < end; next++) {
        var link = links[next], row = link.closest("tr");
        var title = row ? row.cells[0].textContent.trim() : link.textContent;
        link.insertAdjacentElement("afterend", copyButton(
          link.textContent.trim(), "Copy", " the link to " + title, "span", "wb-copy-button"));
      }
      if (next < links.length) setTimeout(some, 0);
    }
    some();
  }

  /* ------------------------------------------------------------ offline */

  // sessionStorage: the caches of a copy the live preview replaced (below).
  var REMOVED = "wb-removed-caches";

  function deleteCaches(prefix) {
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(prefix) === 0;
      }).map(function (name) { return caches.delete(name); }));
    });
  }

  /* The service worker (sw.js, written by the build: scripts/workbook/
     offline.py) keeps the whole site on this device, to read offline.
     The page asks for it only once it has loaded and the browser is idle,
     so that a first visit downloads the page before anything else. The web
     app manifest (what an installed workbook is called, its icons) is
     linked at that moment too: the page names it in <meta name="wb-manifest">,
     and a <link rel="manifest"> in the HTML would have the browser fetch it
     while the page is still being drawn. Pages of the live preview
     (`mkdocs serve`) name no manifest: no worker. A new version waits until
     the reader chooses to see it; answers and ticks are in localStorage,
     which no version of the site replaces. */
  function offline() {
    // The page reloaded after "wb-removed" (below): the replaced copy's
    // worker has stopped, so what it kept after the page deleted its
    // caches (it may still have been fetching) goes now, for good.
    var removed = null;
    try { removed = window.sessionStorage.getItem(REMOVED); } catch (error) { /* no cleanup */ }
    if (removed && window.caches && !(navigator.serviceWorker && navigator.serviceWorker.controller)) {
      var cleanUp = function () {
        deleteCaches(removed).then(function () {
          try { window.sessionStorage.removeItem(REMOVED); } catch (error) { /* tried again next page */ }
        }, function () {});
      };
      if (document.readyState === "complete") cleanUp();
      else window.addEventListener("load", cleanUp);
    }
    var named = document.querySelector('meta[name="wb-manifest"]');
    if (!named) return;
    var manifest = new URL(named.content, location.href).href;
    var root = new URL("./", manifest).href;
    function whenIdle(task) {
      function idle() {
        if (window.requestIdleCallback) window.requestIdleCallback(task, { timeout: 10000 });
        else setTimeout(task, 2000);
      }
      if (document.readyState === "complete") idle();
      else window.addEventListener("load", idle);
    }
    whenIdle(function () {
      var link = document.createElement("link");
      link.rel = "manifest";
      link.href = manifest;
      document.head.appendChild(link);
    });
    var workers = navigator.serviceWorker;
    if (!workers) return;
    var chosen = false, current = null;

    // Show the newest version: the one waiting, if any (another may have
    // arrived since the notice was shown), or else the one now in use.
    function showNewest() {
      var waiting = current && current.waiting;
      if (!waiting) return location.reload();
      chosen = true;
      waiting.postMessage({ type: "wb-update" });
    }
    function offer(registration) {
      if (!registration.waiting || !workers.controller) return;  // a first install replaces nothing
      messages.update("ready", showNewest);
    }
    // The new version took over: reload if the reader asked for it here
    // (worksheets.js saves what was typed on "pagehide", before the page
    // goes); if it was asked for in another window, say so and wait.
    var hadWorker = !!workers.controller;
    workers.addEventListener("controllerchange", function () {
      if (!hadWorker) {  // the first worker on this device took this page in: same version
        hadWorker = true;
        return;
      }
      if (chosen) location.reload();
      else messages.update("elsewhere", showNewest);
    });
    // The live preview (`mkdocs serve`) now answers on this address: its
    // sw.js (overrides/workbook/sw-remove.js) says so while it installs.
    // This copy's worker and caches go, and the page shows the preview,
    // at once if all is saved; if not, once saving works and the reader
    // chooses (a reload would lose what is typed).
    var removing = false, ours = "after-rejection-workbook " + root + " ";
    workers.addEventListener("message", function (event) {
      var said = event.data;
      // Only for this copy: one in another folder of this host stays.
      if (removing || !said || said.type !== "wb-removed" || said.scope !== root || said.caches !== ours) return;
      removing = true;
      // The preview's worker leaves this page to us (it would reload it).
      if (event.source) event.source.postMessage({ type: "wb-removed-here" });
      function reload() { location.reload(); }
      function show() {
        if (messages.saved()) reload();
        else messages.update("ready", reload, true);
      }
      try { window.sessionStorage.setItem(REMOVED, ours); } catch (error) { /* no cleanup */ }
      workers.getRegistration(root).then(function (registration) {
        return registration && registration.unregister();
      }).then(function () { return deleteCaches(ours); }).then(show, show);
    });
    workers.startMessages();
    function register() {
      workers.register(root + "sw.js", { scope: root }).then(function (registration) {
        if (!registration) return;  // workers switched off (a test browser, a policy)
        current = registration;
        // A new version may be waiting, installing already, or found later.
        function watch(worker) {
          if (!worker) return;
          worker.addEventListener("statechange", function () {
            if (worker.state === "installed") offer(registration);
          });
        }
        offer(registration);
        watch(registration.installing);
        registration.addEventListener("updatefound", function () { watch(registration.installing); });
        // Look for a new version each time a page is opened (browsers do
        // not always); offline, the next page opened looks again.
        if (workers.controller) registration.update().then(null, function () {});
      }, function () {});  // no offline copy (blocked, or a private window): online as before
    }
    whenIdle(register);
  }

  document.querySelectorAll("[data-wb-drawer-button]").forEach(menuButton);
  var lists = document.querySelectorAll("[data-wb-checklist]");
  if (lists.length) {
    var canSave = store.works();
    if (!canSave) messages.cannotSave();
    lists.forEach(function (box) { checklist(box, canSave); });
  }
  copyableLinks();
  offline();

  /* For assets/worksheets.js, loaded after this file where it is needed. */
  window.workbook = { store: store, messages: messages, copyText: copyText };
})();
