/* Worksheets and email templates: loaded only on the pages that have them
   (overrides/main.html), after assets/workbook.js, whose storage layer,
   messages and copying helpers it uses. Everything a reader types stays in
   this browser (localStorage); nothing is ever sent anywhere.

   The page always works from what is on screen: storage is where it is
   copied to, and a copy that fails is said so (workbook.messages), never
   claimed. */
(function () {
  "use strict";

  var store = window.workbook.store;
  var copyText = window.workbook.copyText;

  var FIELD_NAME = /^[a-z]+(-[a-z]+)*$/;

  function plainObject(value) {
    return Boolean(value) && typeof value === "object" && !Array.isArray(value);
  }
  function own(object, name) {
    return Object.prototype.hasOwnProperty.call(object, name);
  }
  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  /* ------------------------------------------------------ email details */

  /* The details every email template uses (name, company, role...): typed
     once, saved under "wb-details", filled into every template on every
     page as the reader types (WCAG 3.3.7, redundant entry). `details` is
     what the templates show: the saved details with this window's changes
     on top, whether or not the browser managed to save them. */
  var DETAILS_KEY = "wb-details";
  var details = {};
  var detailsChanged = {};    // name: new value ("" to remove), not saved yet
  var detailsCleared = false; // "Clear these details", not saved yet
  var detailsUnsaved = false;

  /* Stored details: text values are used; anything else is left out and
     the stored copy is kept aside by the storage layer. */
  function checkDetails(value) {
    if (!plainObject(value)) return { keep: null, lost: true };
    var keep = {}, lost = false;
    Object.keys(value).forEach(function (name) {
      if (FIELD_NAME.test(name) && typeof value[name] === "string") keep[name] = value[name];
      else lost = true;
    });
    return { keep: keep, lost: lost };
  }

  function mergedDetails() {
    var merged = detailsCleared ? {} : (store.read(DETAILS_KEY, checkDetails) || {});
    Object.keys(detailsChanged).forEach(function (name) {
      if (detailsChanged[name].trim()) merged[name] = detailsChanged[name];
      else delete merged[name];
    });
    return merged;
  }

  function saveDetails() {
    details = mergedDetails();
    var ok = Object.keys(details).length ? store.write(DETAILS_KEY, details) : store.remove(DETAILS_KEY);
    if (ok) {
      detailsChanged = {};
      detailsCleared = false;
    } else {
      store.retry(DETAILS_KEY, saveDetails);
    }
    detailsUnsaved = !ok;
    return ok;
  }

  /* Show the details in every template and box; `all` includes the box
     being typed in (after a file load, say). */
  function showDetails(all) {
    document.querySelectorAll("[data-wb-blank]").forEach(function (blank) {
      if (!blank.hasAttribute("data-wb-placeholder")) {
        blank.setAttribute("data-wb-placeholder", blank.textContent);
      }
      var value = (details[blank.getAttribute("data-wb-blank")] || "").trim();
      blank.textContent = value || blank.getAttribute("data-wb-placeholder");
      blank.toggleAttribute("data-wb-filled", Boolean(value));
    });
    document.querySelectorAll("[data-wb-detail]").forEach(function (input) {
      var value = details[input.getAttribute("data-wb-detail")] || "";
      if (input.value !== value && (all || document.activeElement !== input)) input.value = value;
    });
  }

  function setDetails(values) {
    Object.keys(values).forEach(function (name) { detailsChanged[name] = values[name]; });
    var ok = saveDetails();
    showDetails(true);
    return ok;
  }

  function clearDetails() {
    detailsChanged = {};
    detailsCleared = true;
    var ok = saveDetails();
    showDetails(true);
    return ok;
  }

  function detailsSetUp() {
    document.addEventListener("input", function (event) {
      var id = event.target.getAttribute && event.target.getAttribute("data-wb-detail");
      if (!id) return;
      noteFull(event.target);
      detailsChanged[id] = event.target.value;
      saveDetails();
      showDetails();
    });
    // Leaving a box shows what the templates use (another window may have
    // changed it meanwhile).
    document.addEventListener("focusout", function (event) {
      if (event.target.hasAttribute && event.target.hasAttribute("data-wb-detail")) showDetails(true);
    });
    document.querySelectorAll("[data-wb-clear-details]").forEach(function (button) {
      button.addEventListener("click", function () {
        if (!window.confirm("Clear your details from every email template?")) return;
        clearDetails();
      });
    });
    // Typed in another window: shown here too, with this window's unsaved
    // changes kept on top.
    window.addEventListener("storage", function (event) {
      if (event.key === DETAILS_KEY) {
        details = mergedDetails();
        showDetails();
      }
    });
    document.querySelectorAll("[data-wb-email-tools]").forEach(function (tools) {
      tools.hidden = false;
    });
    // Typed before this script started (a slow phone shows the page
    // first): kept, and saved like any typing. The page marks each box the
    // reader types in (overrides/workbook/early-typing.html). Any other
    // value is the browser's: these boxes keep its autofill
    // (autocomplete="name"...), so after Back or a reload it may put back
    // what they held when the page was left, even after this script has
    // started (Chrome does at "pageshow"). They show the saved details
    // then, and again whenever the reader goes into one.
    // A box typed in and emptied again before the script started (or
    // cleared by the browser's autofill) does not delete a saved detail:
    // once the script runs, the reader can clear it.
    var early = false;
    document.querySelectorAll("[data-wb-detail][data-wb-typed]").forEach(function (input) {
      if (!input.value.trim()) return;
      detailsChanged[input.getAttribute("data-wb-detail")] = input.value;
      early = true;
    });
    if (early) saveDetails();
    showDetails(true);
    window.addEventListener("pageshow", function () {
      details = mergedDetails();
      showDetails();  // not the box being typed in, as for another window's change...
      // ...but the box the reader is in, not typed in yet, holds the browser's text.
      var input = document.activeElement;
      var name = input && input.getAttribute && input.getAttribute("data-wb-detail");
      if (name && !input.hasAttribute("data-wb-typed")) input.value = details[name] || "";
    });
    document.addEventListener("focusin", function (event) {
      var input = event.target, name = input.getAttribute && input.getAttribute("data-wb-detail");
      if (name && input.value !== (details[name] || "")) input.value = details[name] || "";
    });
  }

  function copyEmail(button) {
    var email = button.closest("[data-wb-email]");
    var status = email.querySelector("[data-wb-copy-status]");
    var subject = email.querySelector('[data-wb-email-part="subject"]');
    var body = email.querySelector('[data-wb-email-part="body"]');
    copyText("Subject: " + subject.textContent + "\n\n" + body.textContent, status,
      "Copied. Paste it into your email, then check it before you send it.", function () {
        var range = document.createRange();
        range.selectNodeContents(body);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        status.textContent = "Your browser did not allow copying. The email text is selected: " +
          "press Ctrl+C (or Command+C) to copy it.";
      });
  }

  /* A box that reached its limit (maxlength) says so: pasting more is cut
     by the browser, and the reader must know. */
  function noteFull(input) {
    var field = input.closest("[data-wb-field], .wb-detail");
    var note = field && field.querySelector('[data-wb-full="chars"]');
    if (!note || !(input.maxLength > 0)) return;
    var full = Array.prototype.some.call(field.querySelectorAll("input, textarea"), function (box) {
      return box.maxLength > 0 && box.value.length >= box.maxLength;
    });
    note.hidden = !full;
  }

  /* --------------------------------------------------------- worksheets */

  /* A worksheet (overrides/workbook/worksheet.html). Answers are saved as
     the reader types, under "wb-worksheet:<id>", on this device only.
     Each save reads what is saved first and changes only the fields
     changed in this window, so two windows never undo each other, and
     whatever this page cannot show is kept as it is: answers to fields or
     options renamed since, table columns it no longer has, and rows past
     the most it shows. Download writes the same record to a file; Load
     reads such a file back after checking it, and changes nothing if
     anything is wrong. The page's limits (maxlength, data-wb-max-rows)
     bound what a reader can type; loading accepts anything it could have
     written, this version or an older one. */
  var MAX_KEPT_ROWS = 5000;
  var MAX_CHOICES = 100;
  // Where this script came from: worksheet-files.js is beside it.
  var ASSETS = document.currentScript ? document.currentScript.src.replace(/[^\/]*$/, "") : "assets/";

  function worksheet(root) {
    var id = root.getAttribute("data-wb-worksheet");
    var title = root.getAttribute("data-wb-title");
    var key = "wb-worksheet:" + id;
    var status = root.querySelector("[data-wb-status]");
    var error = root.querySelector("[data-wb-error]");
    var fileInput = root.querySelector("[data-wb-file]");
    var fields = Object.create(null);
    root.querySelectorAll("[data-wb-field]").forEach(function (field) {
      fields[field.getAttribute("data-wb-field")] = field;
    });
    // What this window changed and has not saved yet, by field name:
    // {cells: {"row|column": true}} in a table, {options: {value: true}} in
    // a list of tick boxes, {field: true} elsewhere, or {whole: true, value,
    // base} for an answer set by a file or by Clear, where `base` is what
    // was saved then: if another window saves something else meanwhile,
    // theirs stays.
    var dirty = Object.create(null);
    var lastKnown = {};    // the saved answers as last read (for when a read fails)
    var timer = null;      // a save waiting for a pause in typing
    var unsaved = false;   // the last save failed
    var toldUnsaved = false;  // a message on screen says so

    function known(name) { return name in fields; }
    function type(field) { return field.getAttribute("data-wb-type"); }
    function inputs(field) { return Array.prototype.slice.call(field.querySelectorAll("[data-wb-input]")); }
    function rows(field) { return Array.prototype.slice.call(field.querySelectorAll("[data-wb-row]")); }
    function columns(field) {
      return Array.prototype.map.call(rows(field)[0].querySelectorAll("[data-wb-column]"), function (cell) {
        return cell.getAttribute("data-wb-column");
      });
    }
    function maxRows(field) { return Number(field.getAttribute("data-wb-max-rows")); }
    function options(field) { return inputs(field).map(function (i) { return i.value; }); }
    function multiple(field) { return inputs(field)[0].type === "checkbox"; }
    // Messages are rewritten only when they change, so a screen reader
    // does not hear the same alert at every pause in typing.
    function put(element, message) { if (element.textContent !== message) element.textContent = message; }
    function say(message) {
      if (!unsaved) {
        put(error, "");
        toldUnsaved = false;
      }
      put(status, message);
    }
    function complain(message, aboutSaving) {
      put(status, "");
      put(error, message);
      if (aboutSaving) toldUnsaved = true;
    }
    var NOT_SAVED = "Not saved on this device. What you typed is still on this page: " +
      "see the message about saving.";

    /* ------------------------------------------- answers: shape checks */

    function text(value) { return typeof value === "string"; }
    function tableRows(value) {
      return Array.isArray(value) && value.length <= MAX_KEPT_ROWS && value.every(function (row) {
        return plainObject(row) && Object.keys(row).every(function (column) {
          return FIELD_NAME.test(column) && text(row[column]);
        });
      });
    }

    /* Whether `value` can be the answer called `name`: for a field this page
       has, of that field's kind; for another, text, or a list of texts or
       rows. Text may be any length (a file holds at most MAX_FILE_BYTES). */
    function fits(name, value) {
      if (!FIELD_NAME.test(name)) return false;
      if (!known(name)) {
        return text(value) || (Array.isArray(value) && value.every(text) && value.length <= MAX_KEPT_ROWS) ||
          tableRows(value);
      }
      var field = fields[name], kind = type(field);
      if (kind === "text" || kind === "longtext") return text(value);
      if (kind === "table") return tableRows(value);
      if (kind === "rating") return text(value) && options(field).indexOf(value) !== -1;
      if (kind === "choice" && multiple(field)) {
        return Array.isArray(value) && value.length <= MAX_CHOICES && value.every(text);
      }
      if (kind === "choice") return text(value);
      return false;  // email fields: their details are saved separately
    }

    /* Stored answers: the ones that fit are used. If anything was left out,
       the storage layer keeps the whole stored copy aside. */
    function checkRecord(value) {
      if (!plainObject(value) || !plainObject(value.answers)) return { keep: null, lost: true };
      var answers = {}, lost = false;
      Object.keys(value.answers).forEach(function (name) {
        if (fits(name, value.answers[name])) answers[name] = value.answers[name];
        else lost = true;
      });
      return { keep: { v: 1, saved: value.saved, answers: answers }, lost: lost };
    }

    /* The saved answers, freshly read; undefined if the browser would not
       read them (the storage layer then refuses to write over them). */
    function savedAnswers() {
      var saved = store.read(key, checkRecord);
      if (saved === undefined) return undefined;
      lastKnown = saved ? saved.answers : {};
      return lastKnown;
    }

    /* ------------------------------------------ answers: on the screen */

    function read(field) {
      var kind = type(field);
      if (kind === "text" || kind === "longtext") {
        var value = inputs(field)[0].value;
        return value.trim() ? value : undefined;
      }
      if (kind === "choice" || kind === "rating") {
        var picked = inputs(field).filter(function (i) { return i.checked; })
          .map(function (i) { return i.value; });
        if (multiple(field)) return picked.length ? picked : undefined;
        return picked[0];
      }
      if (kind === "table") {
        return trimmed(rows(field).map(function (row) {
          var cells = {};
          row.querySelectorAll("[data-wb-column]").forEach(function (cell) {
            if (cell.value.trim()) cells[cell.getAttribute("data-wb-column")] = cell.value;
          });
          return cells;
        }));
      }
      return undefined; // email fields: their details are saved separately
    }
    function trimmed(table) {
      while (table.length && !Object.keys(table[table.length - 1]).length) table.pop();
      return table.length ? table : undefined;
    }

    /* The part of a saved answer that this page shows (what read() gives). */
    function shown(field, value) {
      var kind = type(field);
      if (value === undefined) return undefined;
      if (kind === "choice" && multiple(field)) {
        var picked = options(field).filter(function (o) { return value.indexOf(o) !== -1; });
        return picked.length ? picked : undefined;
      }
      if (kind === "choice" || kind === "rating") return options(field).indexOf(value) !== -1 ? value : undefined;
      if (kind === "table") {
        var wanted = columns(field);
        return trimmed(value.slice(0, maxRows(field)).map(function (row) {
          var cells = {};
          wanted.forEach(function (c) { if (own(row, c) && row[c].trim()) cells[c] = row[c]; });
          return cells;
        }));
      }
      return value.trim() ? value : undefined;
    }

    /* The screen's answer, on top of the parts of `saved` this page cannot
       show (retired options, other columns, rows past the most it shows). */
    function overSaved(field, saved) {
      var now = read(field), kind = type(field);
      if (saved === undefined) return now;
      if (kind === "choice" && multiple(field)) {
        var gone = saved.filter(function (v) { return options(field).indexOf(v) === -1; });
        var all = (now || []).concat(gone);
        return all.length ? all : undefined;
      }
      if (kind === "choice") return now !== undefined ? now : (options(field).indexOf(saved) === -1 ? saved : undefined);
      if (kind !== "table") return now;
      var here = rows(field).length, wanted = columns(field), out = [];
      for (var n = 0; n < Math.max(here, saved.length); n++) {
        var row = {}, old = saved[n] || {};
        Object.keys(old).forEach(function (c) {
          if (n >= here || wanted.indexOf(c) === -1) row[c] = old[c];
        });
        if (n < here) {
          rows(field)[n].querySelectorAll("[data-wb-column]").forEach(function (cell) {
            if (cell.value.trim()) row[cell.getAttribute("data-wb-column")] = cell.value;
          });
        }
        out.push(row);
      }
      return trimmed(out);
    }

    function copy(value) { return value === undefined ? undefined : JSON.parse(JSON.stringify(value)); }

    /* What to save for a field changed here, given what is saved now: only
       the cells, ticks or answer changed here replace what is saved. */
    function toSave(name, saved) {
      var d = dirty[name], field = fields[name];
      if (d.whole) {
        if (!same(saved, d.base)) return saved;  // saved elsewhere since: theirs stays
        return field ? overSaved(field, d.value) : d.value;
      }
      if (d.cells) {
        var table = copy(saved) || [];
        Object.keys(d.cells).forEach(function (spot) {
          var n = Number(spot.split("|")[0]), column = spot.split("|")[1];
          var cell = rows(field)[n].querySelector('[data-wb-column="' + column + '"]');
          while (table.length <= n) table.push({});
          if (cell.value.trim()) table[n][column] = cell.value;
          else delete table[n][column];
        });
        return trimmed(table);
      }
      if (d.options) {  // in the page's order, then the retired ones
        var before = saved || [];
        var list = inputs(field).filter(function (input) {
          return own(d.options, input.value) ? input.checked : before.indexOf(input.value) !== -1;
        }).map(function (input) { return input.value; });
        list = list.concat(before.filter(function (v) { return options(field).indexOf(v) === -1; }));
        return list.length ? list : undefined;
      }
      var now = read(field);  // one answer; a retired choice stays until another is picked
      if (now === undefined && type(field) === "choice" && text(saved) && options(field).indexOf(saved) === -1) {
        return saved;
      }
      return now;
    }

    /* The record to save or download: what is saved now, with the changes
       made here on top. */
    function record() {
      var answers = savedAnswers();
      if (answers === undefined) answers = copy(lastKnown);
      Object.keys(dirty).forEach(function (name) {
        var value = toSave(name, answers[name]);
        if (value === undefined) delete answers[name];
        else answers[name] = value;
      });
      return answers;
    }

    /* The Add-a-row button: off, with a note, when the table is full. */
    function rowButton(field) {
      var full = rows(field).length >= maxRows(field);
      field.querySelector("[data-wb-add-row]").disabled = full;
      field.querySelector('[data-wb-full="rows"]').hidden = !full;
    }

    function addRow(field) {
      var all = rows(field);
      if (all.length >= maxRows(field)) return null;
      var row = all[all.length - 1].cloneNode(true);
      var number = all.length + 1;
      row.querySelectorAll("[data-wb-column]").forEach(function (cell) {
        cell.value = "";
        cell.name = cell.name.replace(/--\d+--/, "--" + number + "--");
        cell.setAttribute("aria-label", cell.getAttribute("aria-label").replace(/row \d+$/, "row " + number));
      });
      row.querySelectorAll(".wb-cell-answer").forEach(function (cell) { cell.textContent = ""; });
      all[all.length - 1].parentNode.appendChild(row);
      rowButton(field);
      return row;
    }

    /* Show a saved answer; `d`: the changes made here, which stay. */
    function write(field, value, d) {
      var kind = type(field);
      if (d && !d.cells && !d.options) return;
      if (kind === "text" || kind === "longtext") {
        inputs(field)[0].value = value || "";
      } else if (kind === "choice" || kind === "rating") {
        var chosen = Array.isArray(value) ? value : (value === undefined ? [] : [String(value)]);
        inputs(field).forEach(function (input) {
          if (!(d && own(d.options, input.value))) input.checked = chosen.indexOf(input.value) !== -1;
        });
      } else if (kind === "table") {
        var wanted = shown(field, value) || [];
        while (rows(field).length < wanted.length && addRow(field)) { /* grow */ }
        rows(field).forEach(function (row, n) {
          row.querySelectorAll("[data-wb-column]").forEach(function (cell) {
            var column = cell.getAttribute("data-wb-column");
            if (!(d && own(d.cells, n + "|" + column))) cell.value = (wanted[n] && wanted[n][column]) || "";
          });
        });
        rowButton(field);
      }
      var box = field.querySelector("input[maxlength], textarea");
      if (box) noteFull(box);
    }

    /* Show saved answers where they differ from the screen, but for the
       changes made here (none, after a save). */
    function refresh(answers) {
      Object.keys(fields).forEach(function (name) {
        var field = fields[name], d = dirty[name];
        if (d || !same(read(field), shown(field, answers[name]))) write(field, answers[name], d);
      });
      showOnPaper();
    }

    /* The printed form of each answer: long answers in full, never cut off
       at a text box's height. */
    function showOnPaper() {
      Object.keys(fields).forEach(function (name) {
        var field = fields[name], value = read(field);
        field.toggleAttribute("data-wb-filled", value !== undefined);
        var answer = field.querySelector("[data-wb-answer]");
        if (answer) answer.textContent = typeof value === "string" ? value : "";
        field.querySelectorAll("[data-wb-column]").forEach(function (cell) {
          cell.nextElementSibling.textContent = cell.value;
        });
      });
    }

    /* Save now; true if the browser kept it. On failure it is tried again
       after the next write that works, and when the page is left. */
    function keep() {
      clearTimeout(timer);
      timer = null;
      var answers = record();
      var ok = Object.keys(answers).length ?
        store.write(key, { v: 1, saved: new Date().toISOString(), answers: answers }) : store.remove(key);
      unsaved = !ok;
      if (ok) {
        dirty = Object.create(null);
        lastKnown = answers;
        refresh(answers);
      } else {
        store.retry(key, retried);
        showOnPaper();
      }
      return ok;
    }

    function save() {
      if (keep()) say("Saved on this device.");
      else complain(NOT_SAVED, true);
    }

    /* Tried again after saving failed: says "Saved" only in place of a
       message that said it was not (never over another outcome). */
    function retried() {
      if (keep() && toldUnsaved) say("Saved on this device.");
    }

    /* Everything this window shows, to be saved as a whole: `answers` (from
       a file), or nothing (Clear). */
    function replaceAll(answers) {
      var base = savedAnswers();
      if (base === undefined) base = lastKnown;
      dirty = Object.create(null);
      Object.keys(fields).concat(Object.keys(answers), Object.keys(base)).forEach(function (name) {
        if (known(name) || own(answers, name) || !Object.keys(answers).length) {
          dirty[name] = { whole: true, value: answers[name], base: base[name] };
        }
      });
      Object.keys(fields).forEach(function (name) { write(fields[name], answers[name]); });
    }

    function collect() {
      var answers = {};
      Object.keys(fields).forEach(function (name) {
        var value = read(fields[name]);
        if (value !== undefined) answers[name] = value;
      });
      return answers;
    }

    /* ---------------------------------- what assets/worksheet-files.js uses */

    var sheet = {
      id: id, title: title, key: key, root: root, fields: fields,
      known: known, type: type, maxRows: maxRows, fits: fits, shown: shown,
      record: record, collect: collect, keep: keep, say: say, complain: complain,
      /* Put a whole record (from a file) on the screen, to be saved next. */
      replace: replaceAll
    };

    /* Loading and downloading files: their code is fetched when first used,
       to keep the page's first visit light. */
    function withFiles(use) {
      if (window.workbook.files) return use(window.workbook.files);
      var script = document.createElement("script");
      script.src = ASSETS + "worksheet-files.js";
      function failed() {
        script.remove();
        complain("This page could not fetch the part that reads and writes files: check " +
                 "your connection, then try again. Nothing was changed.");
      }
      script.onload = function () {
        if (window.workbook.files) use(window.workbook.files);
        else failed();  // something else arrived (a portal page, a cut-off file)
      };
      script.onerror = failed;
      document.head.appendChild(script);
    }

    var actions = {
      "print-answers": function () {
        document.documentElement.setAttribute("data-wb-print", "answers");
        showOnPaper();
        window.print();
      },
      "print-blank": function () {
        document.documentElement.setAttribute("data-wb-print", "blank");
        window.print();
      },
      "download": function () { withFiles(function (files) { files.download(sheet); }); },
      "load": function () { fileInput.click(); },
      "clear": function () {
        if (!window.confirm("Clear all your answers on this worksheet? Other worksheets keep theirs.")) return;
        replaceAll({});
        var ok = keep() && store.forget(key);
        var also = "";
        if (Object.keys(details).length) {
          if (window.confirm("Your email details (such as your name and the company) are also kept " +
              "on this device, and every email template uses them. Clear them too?")) {
            also = clearDetails() ? " Your email details were cleared too." :
              " Your email details were cleared from this page, but not from this device.";
          } else {
            also = detailsUnsaved ? " Your email details are still on this page." :
              " Your email details are still saved on this device: \u201cClear these " +
              "details\u201d on the email templates page removes them.";
          }
        }
        if (ok) say("Your answers on this worksheet were cleared." + also);
        else complain("Your answers were cleared from this page, but the saved copy could not be " +
                      "removed: see the message about saving." + also, true);
      }
    };

    /* What the reader typed or ticked before this script started (a slow
       phone shows the page a moment before it runs). The boxes say
       autocomplete="off" (text boxes in the page, tick boxes here: HTML
       allows it only on text), so the browser does not put old answers
       back into them by itself: coming back with Back, it did so after
       this script had shown the saved ones, even where another window had
       changed them since. What is there now was typed on this page. */
    function typedEarly() {
      var boxes = root.querySelectorAll("[data-wb-input], [data-wb-column]");
      return Array.prototype.filter.call(boxes, function (box) {
        if (box.type !== "checkbox" && box.type !== "radio") return box.value !== box.defaultValue;
        box.setAttribute("autocomplete", "off");
        return box.checked !== box.defaultChecked;
      }).map(function (box) { return { box: box, value: box.value, checked: box.checked }; });
    }

    /* Put it back over the saved answers just shown, and save it like any
       change. Where an answer was saved before, the new words go after
       it: neither is lost. */
    function keepEarly(early) {
      early.forEach(function (typed) {
        var box = typed.box;
        if (box.type === "checkbox" || box.type === "radio") {
          box.checked = typed.checked;
        } else if (box.value !== typed.value) {
          box.value = box.value ? box.value + (box.tagName === "TEXTAREA" ? "\n\n" : " ") + typed.value
            : typed.value;
          if (box.maxLength > 0) noteFull(box);
        }
        changed({ target: box });
      });
      if (early.length) {
        clearTimeout(timer);
        timer = setTimeout(save, 300);
      }
    }

    /* Note what the reader changed: the cell, the tick box, or the field. */
    function changed(event) {
      var target = event.target, field = target.closest && target.closest("[data-wb-field]");
      if (!field || target === fileInput || target.hasAttribute("data-wb-detail")) return false;
      var name = field.getAttribute("data-wb-field"), d = dirty[name];
      if (d && d.whole) return true;  // set as a whole (a file): the screen is its answer
      if (target.hasAttribute("data-wb-column")) {
        d = dirty[name] = d || { cells: {} };
        d.cells[rows(field).indexOf(target.closest("[data-wb-row]")) + "|" +
                target.getAttribute("data-wb-column")] = true;
      } else if (type(field) === "choice" && multiple(field)) {
        d = dirty[name] = d || { options: {} };
        d.options[target.value] = true;
      } else {
        dirty[name] = { field: true };
      }
      return true;
    }
    root.addEventListener("input", function (event) {
      if (!changed(event)) return;
      if (event.target.maxLength > 0) noteFull(event.target);
      clearTimeout(timer);
      timer = setTimeout(save, 300);
    });
    root.addEventListener("change", function (event) {
      if (event.target === fileInput) {
        var file = fileInput.files[0];
        fileInput.value = "";
        if (file) withFiles(function (files) { files.load(sheet, file); });
      } else if (changed(event)) {
        save();
      }
    });
    root.addEventListener("click", function (event) {
      var action = event.target.closest("[data-wb-action]");
      if (action) actions[action.getAttribute("data-wb-action")]();
      var table = event.target.closest("[data-wb-csv]");
      if (table) {
        var name = table.closest("[data-wb-field]").getAttribute("data-wb-field");
        withFiles(function (files) { files.csv(sheet, name); });
      }
      var add = event.target.closest("[data-wb-add-row]");
      if (add) {
        var row = addRow(add.closest("[data-wb-field]"));
        if (row) row.querySelector("[data-wb-column]").focus();
      }
    });
    window.addEventListener("beforeprint", showOnPaper);
    window.addEventListener("afterprint", function () {
      document.documentElement.removeAttribute("data-wb-print");
    });
    // Typing is saved after a short pause; leaving the page or the window
    // saves at once.
    function flush() { if (timer) save(); }
    window.addEventListener("pagehide", flush);
    window.addEventListener("blur", flush);
    document.addEventListener("visibilitychange", function () {
      if (document.hidden) flush();
      else catchUp();
    });
    // The same worksheet changed in another tab or window: shown here, in
    // the fields not changed here since the last save.
    function catchUp() {
      var answers = savedAnswers();
      if (answers !== undefined) refresh(answers);
    }
    window.addEventListener("focus", catchUp);
    window.addEventListener("storage", function (event) {
      if (event.key === key) catchUp();
    });

    var early = typedEarly();
    var answers = savedAnswers() || {};
    Object.keys(fields).forEach(function (name) { write(fields[name], answers[name]); });
    keepEarly(early);
    showOnPaper();
    root.querySelectorAll("[data-wb-tools], [data-wb-add-row], [data-wb-csv]").forEach(function (tool) {
      tool.hidden = false;
    });
    if (!store.works()) {
      window.workbook.messages.cannotSave();
      complain("This browser cannot save your answers here. Download them to keep a copy.");
    }
  }

  /* For assets/worksheet-files.js. */
  window.workbook.sheets = {
    FIELD_NAME: FIELD_NAME, DETAILS_KEY: DETAILS_KEY, plainObject: plainObject, own: own, same: same,
    details: function () { return details; },
    detailsUnsaved: function () { return detailsUnsaved; },
    setDetails: setDetails
  };

  if (document.querySelector("[data-wb-blank], [data-wb-detail]")) details = mergedDetails();
  document.querySelectorAll("[data-wb-worksheet]").forEach(worksheet);
  document.querySelectorAll("[data-wb-copy-email]").forEach(function (button) {
    button.addEventListener("click", function () { copyEmail(button); });
  });
  if (document.querySelector("[data-wb-blank], [data-wb-detail]")) detailsSetUp();
})();
