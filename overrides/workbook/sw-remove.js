{#- Under `mkdocs serve` (scripts/workbook/offline.py: write_remover). -#}
/* The live preview's sw.js: no offline copy while editing. A worker left by
   a published copy of the site, looked at earlier on this same address,
   would keep showing that copy instead of the preview; this one replaces
   it, deletes the workbook's caches for this address, removes itself and
   reloads the open pages, which then come from the preview. */
(function () {
  "use strict";
  var PREFIX = "after-rejection-workbook " + self.registration.scope + " ";
  self.addEventListener("install", function () { self.skipWaiting(); });
  self.addEventListener("activate", function (event) {
    event.waitUntil(caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(PREFIX) === 0;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () {
      return self.registration.unregister();
    }).then(function () {
      return self.clients.matchAll({ type: "window" });
    }).then(function (windows) {
      windows.forEach(function (client) { client.navigate(client.url); });
    }));
  });
})();
