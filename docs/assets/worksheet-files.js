/* Downloading a worksheet's answers to a file, and loading such a file
   back. Fetched by assets/worksheets.js the first time a reader downloads
   or loads, to keep every worksheet page's first visit light; it works on
   the `sheet` that worksheets.js hands it, through workbook.store.

   A file holds what the page saves: the answers (with those the page
   cannot show), the email details, and copies of damaged saved data
   ("rescued"). Loading checks the whole file first and changes nothing
   if anything is wrong; it loads back anything this page, or an older
   version of it, could have written. */
(function () {
  "use strict";

  var store = window.workbook.store;
  var kit = window.workbook.sheets;
  var FORMAT = "after-rejection-workbook/answers";
  // Far above anything a worksheet can hold, and above what a browser lets
  // a site store; it stops a wrong file from freezing the page.
  var MAX_FILE_BYTES = 64 * 1024 * 1024;
  var STORAGE_KEY = /^wb-(worksheet:[a-z-]+|details|checklist:[a-z-]+)$/;

  function text(value) { return typeof value === "string"; }
  function label(sheet, name) {
    return sheet.known(name) ? sheet.fields[name].querySelector(".wb-field__label").textContent : name;
  }

  function download(sheet) {
    var data = { format: FORMAT, version: 1, worksheet: sheet.id, title: sheet.title,
                 saved: new Date().toISOString(), answers: sheet.record() };
    if (sheet.root.querySelector("[data-wb-detail]")) data.details = kit.details();
    var rescued = {};
    [sheet.key, kit.DETAILS_KEY].forEach(function (key) {
      var found = store.rescued(key);
      if (found.length) rescued[key] = found;
    });
    if (Object.keys(rescued).length) data.rescued = rescued;
    var blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = sheet.id + "-answers.json";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
    sheet.say("Your answers are being downloaded as the file " + link.download +
              ". Check your downloads to see that it arrived.");
  }

  function problemWith(sheet, data) {
    if (!kit.plainObject(data) || data.format !== FORMAT) {
      return "This file is not a saved worksheet from this workbook.";
    }
    if (data.worksheet !== sheet.id) {
      var other = text(data.title) ? data.title : (text(data.worksheet) ? data.worksheet : "");
      return "This file holds answers for another worksheet" +
        (other ? " (" + other.slice(0, 80) + ")" : "") + ", not for this one.";
    }
    if (!kit.plainObject(data.answers)) return "This file is damaged: its answers are missing.";
    var names = Object.keys(data.answers);
    for (var n = 0; n < names.length; n++) {
      var name = names[n];
      if (!kit.FIELD_NAME.test(name)) return "This file is damaged: it has an answer with a strange name.";
      if (sheet.known(name) && sheet.type(sheet.fields[name]) === "email") {
        return "This file has an answer this worksheet does not have.";
      }
      if (!sheet.fits(name, data.answers[name])) {
        return "This file is damaged: the answer to \u201c" + label(sheet, name) + "\u201d cannot be read.";
      }
    }
    if (data.details !== undefined && !(kit.plainObject(data.details) &&
        Object.keys(data.details).every(function (k) { return kit.FIELD_NAME.test(k) && text(data.details[k]); }))) {
      return "This file is damaged: its email details cannot be read.";
    }
    if (data.rescued !== undefined && !(kit.plainObject(data.rescued) &&
        Object.keys(data.rescued).every(function (k) {
          return STORAGE_KEY.test(k) && Array.isArray(data.rescued[k]) && data.rescued[k].every(text);
        }))) {
      return "This file is damaged: the copy of damaged answers in it cannot be read.";
    }
    return null;
  }

  /* The file's email details, if they differ from this device's and the
     reader agrees to take them. Returns a sentence for the outcome. */
  function takeDetails(fromFile) {
    var details = kit.details();
    var changed = Object.keys(fromFile).filter(function (name) {
      return fromFile[name].trim() && fromFile[name] !== (details[name] || "");
    });
    if (!changed.length) return "";
    var lines = changed.map(function (name) {
      var input = document.querySelector('[data-wb-detail="' + name + '"]');
      var tag = input && document.querySelector('label[for="' + input.id + '"]');
      return (tag ? tag.textContent : name) + ": \u201c" + fromFile[name] + "\u201d";
    });
    if (!window.confirm("The file also has email details, which every email template on this " +
        "site uses. Replace the ones on this device with these?\n\n" + lines.join("\n"))) {
      return " Your email details were left as they were.";
    }
    var values = {};
    changed.forEach(function (name) { values[name] = fromFile[name]; });
    return kit.setDetails(values) ? " Your email details were replaced with the ones in the file." :
      " Your email details were replaced on this page, but could not be saved.";
  }

  function loaded(sheet, file, data) {
    var problem = problemWith(sheet, data);
    if (problem) return sheet.complain(problem + " Nothing was changed.");
    var before = sheet.record();
    if ((Object.keys(before).length || Object.keys(sheet.collect()).length) &&
        !window.confirm("Replace your answers on this worksheet with the ones in the file?")) {
      return sheet.say("Nothing was changed.");
    }
    var notes = "";
    var next = JSON.parse(JSON.stringify(data.answers));
    Object.keys(next).forEach(function (name) {  // a one-line box holds no line breaks
      if (sheet.known(name) && sheet.type(sheet.fields[name]) === "text" && /[\r\n]/.test(next[name])) {
        next[name] = next[name].replace(/\s*[\r\n]+\s*/g, " ");
        notes = " Line breaks in one-line answers became spaces.";
      }
    });
    // What this device had that the page cannot show: kept where the file
    // has nothing in its place, and kept aside where the file replaces it.
    var replaced = {};
    Object.keys(before).forEach(function (name) {
      var hidden = !sheet.known(name) || !kit.same(sheet.shown(sheet.fields[name], before[name]), before[name]);
      if (!hidden) return;
      if (!kit.own(next, name)) next[name] = before[name];
      else if (!kit.same(next[name], before[name])) replaced[name] = before[name];
    });
    var kept = !Object.keys(replaced).length ||
      store.keepAside(sheet.key, [JSON.stringify({ v: 1, answers: replaced })]);
    Object.keys(data.rescued || {}).forEach(function (key) {
      kept = store.keepAside(key, data.rescued[key]) && kept;
    });
    sheet.replace(next);
    Object.keys(sheet.fields).forEach(function (name) {
      var field = sheet.fields[name];
      if (sheet.type(field) === "table" && Array.isArray(next[name]) && next[name].length > sheet.maxRows(field)) {
        notes += " \u201c" + label(sheet, name) + "\u201d has more rows than this page shows (" +
          sheet.maxRows(field) + "): the others are kept, and are in your downloads.";
      }
    });
    var ok = sheet.keep();
    var also = data.details ? takeDetails(data.details) : "";
    if (!kept) also += " A copy of earlier answers could not be kept on this device: keep the file.";
    if (ok) sheet.say("Your answers were loaded from " + file.name + " and saved on this device." + notes + also);
    else sheet.complain("Your answers were loaded from " + file.name + " and are on this page, but this " +
                        "browser could not save them: see the message about saving." + notes + also, true);
  }

  function load(sheet, file) {
    if (file.size > MAX_FILE_BYTES) {
      return sheet.complain("This file is too big to be a saved worksheet. Nothing was changed.");
    }
    var reader = new FileReader();
    reader.onerror = function () { sheet.complain("This file could not be read. Nothing was changed."); };
    reader.onload = function () {
      var data;
      try {
        data = new TextDecoder("utf-8", { fatal: true }).decode(reader.result);
      } catch (e) {
        return sheet.complain("This file is not in the text format this workbook writes (UTF-8): " +
                              "it may have been changed in another program. Nothing was changed.");
      }
      try {
        data = JSON.parse(data);
      } catch (e) {
        return sheet.complain("This file is damaged or is not a saved worksheet. Nothing was changed.");
      }
      loaded(sheet, file, data);
    };
    reader.readAsArrayBuffer(file);
  }

  /* A table as a spreadsheet file (CSV) that opens in any spreadsheet
     program: UTF-8 with a byte order mark (so Excel shows accents), a
     header row of the column names, one line per row. A cell that a
     spreadsheet would run as a formula (it starts with = + - @, a tab or a
     carriage return) gets an apostrophe in front, as OWASP advises against
     CSV injection. */
  function csvCell(value) {
    var safe = /^[=+\-@\t\r]/.test(value) ? "'" + value : value;
    return '"' + safe.replace(/"/g, '""') + '"';
  }

  function csv(sheet, name) {
    var field = sheet.fields[name];
    var heads = Array.prototype.map.call(field.querySelectorAll("thead th"), function (th) {
      return th.textContent;
    });
    var ids = Array.prototype.map.call(field.querySelector("[data-wb-row]").querySelectorAll("[data-wb-column]"),
      function (cell) { return cell.getAttribute("data-wb-column"); });
    var rows = (sheet.record()[name] || []).filter(function (row) {
      return ids.some(function (column) { return row[column] && row[column].trim(); });
    });
    var lines = [heads.map(csvCell).join(",")].concat(rows.map(function (row) {
      return ids.map(function (column) { return csvCell(row[column] || ""); }).join(",");
    }));
    var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = sheet.id + "-" + name + ".csv";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
    sheet.say("Your table is being downloaded as the file " + link.download + ", with " + rows.length +
              (rows.length === 1 ? " row" : " rows") + ". It opens in any spreadsheet program.");
  }

  window.workbook.files = { download: download, load: load, csv: csv };
})();
