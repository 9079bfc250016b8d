/* The workbook's own script. Small, no dependencies, no network requests.
   Each part finds its elements by a data-wb-* attribute and does nothing on
   pages without them. Everything a reader enters stays in this browser
   (localStorage); nothing is ever sent anywhere. */
(function () {
  "use strict";

  /* ------------------------------------------------------------ storage */

  /* Saved data, as JSON under one key per checklist or worksheet. Every
     call is guarded: storage can be full, blocked or switched off. */
  var store = {
    read: function (key) {
      try {
        var text = window.localStorage.getItem(key);
        return text ? JSON.parse(text) : null;
      } catch (error) {
        return null;
      }
    },
    write: function (key, value) {
      try {
        window.localStorage.setItem(key, JSON.stringify(value));
        return true;
      } catch (error) {
        return false;
      }
    },
    remove: function (key) {
      try {
        window.localStorage.removeItem(key);
      } catch (error) {
        /* nothing saved, nothing to remove */
      }
    },
    works: function () {
      try {
        window.localStorage.setItem("wb-probe", "1");
        window.localStorage.removeItem("wb-probe");
        return true;
      } catch (error) {
        return false;
      }
    }
  };

  /* --------------------------------------------------------- menu button */

  /* The menu button (overrides/partials/header.html): opens and closes
     Material's drawer from the keyboard, says whether it is open, and
     closes it again with Escape. */
  function menuButton(button) {
    var toggle = document.getElementById("__drawer");
    if (!toggle) return;
    function sync() {
      button.setAttribute("aria-expanded", String(toggle.checked));
    }
    button.addEventListener("click", function () {
      toggle.click(); // toggles the drawer and tells Material (change event)
      if (toggle.checked) {
        var first = document.querySelector(".md-sidebar--primary a[href]");
        if (first) setTimeout(function () { first.focus(); }, 50);
      }
    });
    toggle.addEventListener("change", sync);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.checked) {
        toggle.click();
        button.focus();
      }
    });
    sync();
  }

  /* ---------------------------------------------------------- checklists */

  /* A checklist (overrides/workbook/checklist.html). Ticks are saved under
     "wb-checklist:<checklist id>" as the ids of the ticked items, so the
     same list on another page (the master checklist) shares them, and
     reordering the data keeps them. Ticks of items not on this page are
     kept as they are. */
  function checklist(box) {
    var key = "wb-checklist:" + box.getAttribute("data-wb-checklist");
    var inputs = Array.prototype.slice.call(box.querySelectorAll(".wb-check"));
    var tools = box.querySelector("[data-wb-tools]");
    var progress = box.querySelector("[data-wb-progress]");
    var reset = box.querySelector("[data-wb-reset]");
    var canSave = store.works();

    function itemId(input) {
      return input.closest("[data-wb-item]").getAttribute("data-wb-item");
    }
    function savedIds() {
      var saved = store.read(key);
      return saved && Array.isArray(saved.done) ? saved.done : [];
    }
    function show() {
      var done = inputs.filter(function (input) { return input.checked; }).length;
      progress.textContent = done + " of " + inputs.length + " done" +
        (canSave ? ". Saved on this device only." : ". (This browser cannot save your ticks.)");
    }
    function load() {
      var done = savedIds();
      inputs.forEach(function (input) {
        input.checked = done.indexOf(itemId(input)) !== -1;
      });
      show();
    }
    function save() {
      var here = inputs.map(itemId);
      var done = savedIds().filter(function (id) { return here.indexOf(id) === -1; });
      inputs.forEach(function (input) {
        if (input.checked) done.push(itemId(input));
      });
      if (done.length) store.write(key, { v: 1, done: done });
      else store.remove(key);
      show();
    }

    inputs.forEach(function (input) { input.addEventListener("change", save); });
    reset.addEventListener("click", function () {
      if (!window.confirm("Untick every box in this checklist?")) return;
      store.remove(key);
      load();
    });
    // The same list open in another tab (or the master checklist).
    window.addEventListener("storage", function (event) {
      if (event.key === key) load();
    });
    tools.hidden = false;
    load();
  }

  document.querySelectorAll("[data-wb-drawer-button]").forEach(menuButton);
  document.querySelectorAll("[data-wb-checklist]").forEach(checklist);
})();
