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

  /* ------------------------------------------------------------ copying */

  /* Put text on the clipboard; say so in `status`. Where the browser
     refuses, `fallback` shows the text selected, ready to copy by hand. */
  function copyText(text, status, done, fallback) {
    function refused() { fallback(); }
    if (!navigator.clipboard || !navigator.clipboard.writeText) return refused();
    navigator.clipboard.writeText(text).then(function () { status.textContent = done; }, refused);
  }

  /* A copy-link button ([data-wb-copy-url]): the full permanent address.
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
    button.addEventListener("click", function () { copyLink(button); });
    return holder;
  }

  /* A copy button next to each link marked data-wb-copyable (the career-
     center table, whose links show their full address), named after its row. */
  function copyableLinks() {
    document.querySelectorAll("[data-wb-copyable]").forEach(function (link) {
      var row = link.closest("tr");
      var title = row ? row.cells[0].textContent.trim() : link.textContent;
      link.insertAdjacentElement("afterend", copyButton(
        link.textContent.trim(), "Copy", " the link to " + title, "span", "wb-copy-button"));
    });
  }

  /* A copy-link button under every section heading (h2, h3) of a page. The
     link is the page's permanent (canonical) address and the heading's id. */
  function headingLinks() {
    var canonical = document.querySelector('link[rel="canonical"]');
    var base = (canonical ? canonical.href : location.href).split("#")[0];
    document.querySelectorAll("article h2[id], article h3[id]").forEach(function (heading) {
      var title = Array.prototype.filter.call(heading.childNodes, function (node) {
        return !(node.classList && node.classList.contains("headerlink"));
      }).map(function (node) { return node.textContent; }).join("").trim();
      var holder = copyButton(base + "#" + heading.id, "Copy link", " to the section " + title,
                              "div", "wb-copy-link__button");
      heading.insertAdjacentElement("afterend", holder);
    });
  }

  document.querySelectorAll("[data-wb-drawer-button]").forEach(menuButton);
  document.querySelectorAll("[data-wb-checklist]").forEach(checklist);
  headingLinks();
  copyableLinks();

  /* For assets/worksheets.js, loaded after this file where it is needed. */
  window.workbook = { store: store, copyText: copyText };
})();
