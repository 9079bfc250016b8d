{#- Under `mkdocs serve` (scripts/workbook/offline.py: write_remover). -#}
/* The live preview's sw.js: no offline copy while editing. A worker left by
   a published copy of the site, looked at earlier on this same address,
   would keep showing that copy instead of the preview. This one replaces
   it and deletes the workbook's caches for this address.

   - While it installs, it tells the open pages of this address
     ("wb-removed"). Their script (assets/workbook.js) removes the worker,
     deletes the caches again (a page may have fetched in between) and
     reloads from the preview. This does not wait for the old worker to
     finish its work, which can take seconds, or minutes while DevTools is
     open.
   - Once it takes over, it deletes the caches, removes itself and reloads
     the pages it controls that did not answer: pages of an older copy,
     whose script does not know "wb-removed", or a page still opening. A
     page that answered reloads itself, and waits while something typed
     there is not saved. */
(function () {
  "use strict";
  var SCOPE = self.registration.scope;
  var PREFIX = "after-rejection-workbook " + SCOPE + " ";

  function forget() {
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(PREFIX) === 0;
      }).map(function (name) { return caches.delete(name); }));
    });
  }

  self.addEventListener("install", function (event) {
    self.skipWaiting();
    // Never fails: a failed install would leave the published copy in use.
    event.waitUntil(forget().then(function () {
      return self.clients.matchAll({ type: "window", includeUncontrolled: true });
    }).then(function (windows) {
      windows.forEach(function (client) {
        if (client.url.indexOf(SCOPE) !== 0) return;
        client.postMessage({ type: "wb-removed", scope: SCOPE, caches: PREFIX });
      });
    }).catch(function () {}));
  });

  // Pages that took "wb-removed" in hand: they reload themselves, once
  // nothing typed would be lost.
  var inHand = Object.create(null);
  self.addEventListener("message", function (event) {
    if (event.data && event.data.type === "wb-removed-here" && event.source) inHand[event.source.id] = true;
  });

  self.addEventListener("activate", function (event) {
    event.waitUntil(forget().then(function () {
      return self.registration.unregister();
    }).then(function () {
      return self.clients.matchAll({ type: "window" });
    }).then(function (windows) {
      windows.forEach(function (client) {
        if (!inHand[client.id]) client.navigate(client.url);
      });
    }));
  });
})();
