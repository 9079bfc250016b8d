/* Worksheets and email templates: loaded only on the pages that have them
   (overrides/main.html), after assets/workbook.js, whose storage and
   copying helpers it uses. Everything a reader types stays in this browser
   (localStorage); nothing is ever sent anywhere. */
(function () {
  "use strict";

  var store = window.workbook.store;
  var copyText = window.workbook.copyText;

  /* ------------------------------------------------------ email details */

  /* The details every email template uses (name, company, role...): typed
     once, saved under "wb-details", filled into every template on every
     page as the reader types (WCAG 3.3.7, redundant entry). */
  var DETAILS_KEY = "wb-details";

  function savedDetails() {
    var saved = store.read(DETAILS_KEY);
    return saved && typeof saved === "object" && !Array.isArray(saved) ? saved : {};
  }

  function showDetails() {
    var values = savedDetails();
    document.querySelectorAll("[data-wb-blank]").forEach(function (blank) {
      if (!blank.hasAttribute("data-wb-placeholder")) {
        blank.setAttribute("data-wb-placeholder", blank.textContent);
      }
      var value = (values[blank.getAttribute("data-wb-blank")] || "").trim();
      blank.textContent = value || blank.getAttribute("data-wb-placeholder");
      blank.toggleAttribute("data-wb-filled", Boolean(value));
    });
    document.querySelectorAll("[data-wb-detail]").forEach(function (input) {
      var value = values[input.getAttribute("data-wb-detail")] || "";
      if (input.value !== value && document.activeElement !== input) input.value = value;
    });
  }

  function detailsSetUp() {
    document.addEventListener("input", function (event) {
      var id = event.target.getAttribute && event.target.getAttribute("data-wb-detail");
      if (!id) return;
      var values = savedDetails();
      if (event.target.value.trim()) values[id] = event.target.value;
      else delete values[id];
      store.write(DETAILS_KEY, values);
      showDetails();
    });
    document.querySelectorAll("[data-wb-clear-details]").forEach(function (button) {
      button.addEventListener("click", function () {
        if (!window.confirm("Clear your details from every email template?")) return;
        store.remove(DETAILS_KEY);
        document.querySelectorAll("[data-wb-detail]").forEach(function (input) { input.value = ""; });
        showDetails();
      });
    });
    window.addEventListener("storage", function (event) {
      if (event.key === DETAILS_KEY) showDetails();
    });
    document.querySelectorAll("[data-wb-email-tools]").forEach(function (tools) {
      tools.hidden = false;
    });
    showDetails();
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

  /* --------------------------------------------------------- worksheets */

  /* A worksheet (overrides/workbook/worksheet.html). Answers are saved as
     the reader types, under "wb-worksheet:<id>", on this device only.
     Download writes them to a file; Load reads such a file back after
     checking it, and leaves the answers alone if anything is wrong.
     Answers this page cannot show (a field or an option that was renamed
     or removed since they were saved) are kept as they are, never lost. */
  var FORMAT = "after-rejection-workbook/answers";
  var MAX_FILE_BYTES = 1024 * 1024;
  var MAX_ANSWER_CHARS = 50000;
  var MAX_TABLE_ROWS = 200;
  var FIELD_NAME = /^[a-z]+(-[a-z]+)*$/;

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
    var timer = null;
    var lastWritten = null;

    function known(name) { return Object.prototype.hasOwnProperty.call(fields, name); }
    function type(field) { return field.getAttribute("data-wb-type"); }
    function inputs(field) { return Array.prototype.slice.call(field.querySelectorAll("[data-wb-input]")); }
    function rows(field) { return Array.prototype.slice.call(field.querySelectorAll("[data-wb-row]")); }
    function say(message) { error.textContent = ""; status.textContent = message; }
    function complain(message) { status.textContent = ""; error.textContent = message; }

    function read(field) {
      var kind = type(field);
      if (kind === "text" || kind === "longtext") {
        var value = inputs(field)[0].value;
        return value.trim() ? value : undefined;
      }
      if (kind === "choice" || kind === "rating") {
        var picked = inputs(field).filter(function (i) { return i.checked; })
          .map(function (i) { return i.value; });
        if (inputs(field)[0].type === "checkbox") return picked.length ? picked : undefined;
        return picked[0];
      }
      if (kind === "table") {
        var table = rows(field).map(function (row) {
          var cells = {};
          row.querySelectorAll("[data-wb-column]").forEach(function (cell) {
            if (cell.value.trim()) cells[cell.getAttribute("data-wb-column")] = cell.value;
          });
          return cells;
        });
        while (table.length && !Object.keys(table[table.length - 1]).length) table.pop();
        return table.length ? table : undefined;
      }
      return undefined; // email fields: their details are saved separately
    }

    function collect() {
      var answers = {};
      Object.keys(fields).forEach(function (name) {
        var value = read(fields[name]);
        if (value !== undefined) answers[name] = value;
      });
      return answers;
    }

    function addRow(field) {
      var all = rows(field);
      var row = all[all.length - 1].cloneNode(true);
      var number = all.length + 1;
      row.querySelectorAll("[data-wb-column]").forEach(function (cell) {
        cell.value = "";
        cell.name = cell.name.replace(/--\d+--/, "--" + number + "--");
        cell.setAttribute("aria-label", cell.getAttribute("aria-label").replace(/row \d+$/, "row " + number));
      });
      row.querySelectorAll(".wb-cell-answer").forEach(function (cell) { cell.textContent = ""; });
      all[all.length - 1].parentNode.appendChild(row);
      return row;
    }

    function write(field, value) {
      var kind = type(field);
      if (kind === "text" || kind === "longtext") {
        inputs(field)[0].value = value || "";
      } else if (kind === "choice" || kind === "rating") {
        var chosen = Array.isArray(value) ? value : (value === undefined ? [] : [String(value)]);
        inputs(field).forEach(function (input) { input.checked = chosen.indexOf(input.value) !== -1; });
      } else if (kind === "table") {
        var wanted = Array.isArray(value) ? value : [];
        while (rows(field).length < wanted.length) addRow(field);
        rows(field).forEach(function (row, n) {
          row.querySelectorAll("[data-wb-column]").forEach(function (cell) {
            cell.value = (wanted[n] && wanted[n][cell.getAttribute("data-wb-column")]) || "";
          });
        });
      }
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

    function stored() {
      var saved = store.read(key);
      return saved && saved.answers && typeof saved.answers === "object" ? saved.answers : {};
    }

    /* The saved answers this page cannot show: they go back into every save. */
    function unshown(answers) {
      var kept = {};
      Object.keys(answers).forEach(function (name) {
        var value = answers[name];
        if (!known(name)) { kept[name] = value; return; }
        if (type(fields[name]) !== "choice") return;
        var options = inputs(fields[name]).map(function (i) { return i.value; });
        if (Array.isArray(value)) {
          var gone = value.filter(function (v) { return options.indexOf(v) === -1; });
          if (gone.length) kept[name] = gone;
        } else if (typeof value === "string" && options.indexOf(value) === -1) {
          kept[name] = value;
        }
      });
      return kept;
    }

    /* What to save: the answers on the page, plus the unshown ones. */
    function everything() {
      var answers = collect(), kept = unshown(stored());
      Object.keys(kept).forEach(function (name) {
        if (!known(name)) answers[name] = kept[name];
        else if (Array.isArray(kept[name])) answers[name] = (answers[name] || []).concat(kept[name]);
        else if (answers[name] === undefined) answers[name] = kept[name];
      });
      return answers;
    }

    function save() {
      clearTimeout(timer);
      timer = null;
      var answers = everything();
      if (Object.keys(answers).length) {
        var record = { v: 1, saved: new Date().toISOString(), answers: answers };
        if (store.write(key, record)) {
          lastWritten = JSON.stringify(record);
          say("Saved on this device.");
        } else {
          complain("This browser could not save your answers. Download them to keep a copy.");
        }
      } else {
        store.remove(key);
        lastWritten = null;
      }
      showOnPaper();
    }

    function apply(answers) {
      Object.keys(fields).forEach(function (name) { write(fields[name], answers[name]); });
      showOnPaper();
    }

    function problemWith(data) {
      if (!data || typeof data !== "object" || data.format !== FORMAT) {
        return "This file is not a saved worksheet from this workbook.";
      }
      if (data.worksheet !== id) {
        return "This file holds answers for another worksheet (" +
          String(data.title || data.worksheet).slice(0, 80) + "), not for this one.";
      }
      var answers = data.answers;
      if (!answers || typeof answers !== "object" || Array.isArray(answers)) {
        return "This file is damaged: its answers are missing.";
      }
      var names = Object.keys(answers);
      function text(v) { return typeof v === "string" && v.length <= MAX_ANSWER_CHARS; }
      for (var n = 0; n < names.length; n++) {
        var name = names[n], value = answers[name], fine;
        if (!FIELD_NAME.test(name)) return "This file is damaged: it has an answer with a strange name.";
        var field = known(name) ? fields[name] : null;
        if (field && type(field) === "email") return "This file has an answer this worksheet does not have.";
        var kind = field ? type(field) : "unknown";
        var options = field ? inputs(field).map(function (i) { return i.value; }) : [];
        if (kind === "text" || kind === "longtext") {
          fine = text(value);
        } else if (kind === "table") {
          fine = Array.isArray(value) && value.length <= MAX_TABLE_ROWS && value.every(function (row) {
            return row && typeof row === "object" && !Array.isArray(row) &&
              Object.keys(row).every(function (column) {
                return field.querySelector('[data-wb-column="' + CSS.escape(column) + '"]') &&
                  text(row[column]);
              });
          });
        } else if (kind === "rating") {
          fine = typeof value === "string" && options.indexOf(value) !== -1;
        } else if (kind === "choice" && inputs(field)[0].type === "checkbox") {
          fine = Array.isArray(value) && value.length <= 100 && value.every(text);
        } else if (kind === "choice") {
          fine = text(value);
        } else {  // an answer to a field this page does not have: kept as it is
          fine = text(value) || (Array.isArray(value) && value.length <= MAX_TABLE_ROWS &&
            value.every(function (v) {
              return text(v) || (v && typeof v === "object" && !Array.isArray(v) &&
                Object.keys(v).every(function (c) { return FIELD_NAME.test(c) && text(v[c]); }));
            }));
        }
        if (!fine) return "This file is damaged: the answer to \u201c" +
          (field ? field.querySelector(".wb-field__label").textContent : name) + "\u201d cannot be read.";
      }
      return null;
    }

    function download() {
      var data = { format: FORMAT, version: 1, worksheet: id, title: title,
                   saved: new Date().toISOString(), answers: everything() };
      if (root.querySelector("[data-wb-detail]")) data.details = savedDetails();
      var blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = id + "-answers.json";
      document.body.appendChild(link);
      link.click();
      setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
      say("Your answers were saved to the file " + link.download + ".");
    }

    function loadFile(file) {
      if (file.size > MAX_FILE_BYTES) {
        return complain("This file is too big to be a saved worksheet. Nothing was changed.");
      }
      var reader = new FileReader();
      reader.onerror = function () { complain("This file could not be read. Nothing was changed."); };
      reader.onload = function () {
        var data;
        try {
          data = JSON.parse(reader.result);
        } catch (e) {
          return complain("This file is damaged or is not a saved worksheet. Nothing was changed.");
        }
        var problem = problemWith(data);
        if (problem) return complain(problem + " Nothing was changed.");
        if (Object.keys(collect()).length &&
            !window.confirm("Replace the answers on this page with the ones in the file?")) {
          return say("Nothing was changed.");
        }
        // Stored first, so the answers this page cannot show are kept too.
        store.write(key, { v: 1, saved: new Date().toISOString(), answers: data.answers });
        apply(data.answers);
        if (data.details && typeof data.details === "object" && !Array.isArray(data.details)) {
          var values = savedDetails();
          Object.keys(data.details).forEach(function (name) {
            if (root.querySelector('[data-wb-detail="' + CSS.escape(name) + '"]') &&
                typeof data.details[name] === "string") values[name] = data.details[name].slice(0, 500);
          });
          store.write(DETAILS_KEY, values);
          showDetails();
        }
        save();
        say("Your answers were loaded from " + file.name + ".");
      };
      reader.readAsText(file);
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
      "download": download,
      "load": function () { fileInput.click(); },
      "clear": function () {
        if (!window.confirm("Clear all your answers on this worksheet? Other worksheets keep theirs.")) return;
        clearTimeout(timer);
        timer = null;
        store.remove(key);
        lastWritten = null;
        apply({});
        say("Your answers on this worksheet were cleared.");
      }
    };

    root.addEventListener("input", function (event) {
      if (event.target.hasAttribute("data-wb-detail")) return;
      clearTimeout(timer);
      timer = setTimeout(save, 300);
    });
    root.addEventListener("change", function (event) {
      if (event.target === fileInput) {
        if (fileInput.files[0]) loadFile(fileInput.files[0]);
        fileInput.value = "";
      } else if (!event.target.hasAttribute("data-wb-detail")) {
        save();
      }
    });
    root.addEventListener("click", function (event) {
      var action = event.target.closest("[data-wb-action]");
      if (action) actions[action.getAttribute("data-wb-action")]();
      var add = event.target.closest("[data-wb-add-row]");
      if (add) {
        var row = addRow(add.closest("[data-wb-field]"));
        row.querySelector("[data-wb-column]").focus();
      }
    });
    window.addEventListener("beforeprint", showOnPaper);
    window.addEventListener("afterprint", function () {
      document.documentElement.removeAttribute("data-wb-print");
    });
    // Typing is saved after a short pause; leaving the page saves at once.
    function flush() { if (timer) save(); }
    window.addEventListener("pagehide", flush);
    document.addEventListener("visibilitychange", function () {
      if (document.hidden) flush();
      else catchUp();
    });
    // The same worksheet saved in another tab or window: show it here when
    // the reader comes back to this one.
    function catchUp() {
      var saved = store.read(key);
      var now = saved ? JSON.stringify(saved) : null;
      if (now !== lastWritten && !timer) {
        lastWritten = now;
        apply(stored());
      }
    }
    window.addEventListener("focus", catchUp);
    window.addEventListener("storage", function (event) {
      if (event.key === key && document.hidden) catchUp();
    });

    var saved = store.read(key);
    lastWritten = saved ? JSON.stringify(saved) : null;
    apply(stored());
    root.querySelectorAll("[data-wb-tools], [data-wb-add-row]").forEach(function (tool) {
      tool.hidden = false;
    });
    if (!store.works()) complain("This browser cannot save your answers here. Download them to keep a copy.");
  }

  document.querySelectorAll("[data-wb-worksheet]").forEach(worksheet);
  document.querySelectorAll("[data-wb-copy-email]").forEach(function (button) {
    button.addEventListener("click", function () { copyEmail(button); });
  });
  if (document.querySelector("[data-wb-blank], [data-wb-detail]")) detailsSetUp();
})();
