{#- The service worker, written by the build (scripts/workbook/offline.py)
    as sw.js at the site's root. Its scope is the folder it is in, never
    wider. `version` and `files` come from the files just published. -#}
/* The workbook's service worker: keeps this version of the whole site on
   the device, so every page, the search and the reader's answers work with
   no connection. Made by the build; do not edit the copy in the site.

   - One cache per published version, named after this site's scope and a
     hash of every file it holds. Installing fetches every file, straight
     from the server (not from the browser's HTTP cache), and checks each
     against the hash the build wrote here: if one differs (a half-finished
     upload, a proxy that rewrites pages), nothing is kept, and the version
     before stays in use. So the site is never a mix of two versions.
   - The files of this version are served from the cache, also online.
     Other requests go to the network; PDFs and other files of this site
     are kept in the same cache when they are opened. A page that was never
     kept, asked for offline, gets the offline page.
   - A new version installs in the background and waits. The page tells the
     reader and sends "wb-update" only if they choose to update; then this
     worker takes over and deletes the caches of older versions.
   - Typed answers and ticks live in localStorage, which this worker never
     touches. */
(function () {
  "use strict";
  var VERSION = {{ version | tojson }};
  var FILES = {{ files | tojson }};
  var OFFLINE = {{ offline | tojson }};
  var SCOPE = self.registration.scope;
  var PREFIX = "after-rejection-workbook " + SCOPE + " ";
  var CACHE = PREFIX + VERSION;
  var HASHES = Object.create(null);
  FILES.forEach(function (file) { HASHES[new URL(file[0], SCOPE).href] = file[1]; });

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (byte) {
      return ("0" + byte.toString(16)).slice(-2);
    }).join("");
  }

  /* One file, fetched and checked against its hash. */
  function fetchChecked(url) {
    return fetch(url, { cache: "reload", credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      var type = response.headers.get("Content-Type") || "";
      return response.arrayBuffer().then(function (body) {
        return crypto.subtle.digest("SHA-256", body).then(function (digest) {
          if (hex(digest) !== HASHES[url]) throw new Error(url + ": not the published version");
          return new Response(body, { headers: type ? { "Content-Type": type } : {} });
        });
      });
    });
  }

  /* Every file, a few at a time; all or nothing. */
  function precache(cache) {
    var urls = Object.keys(HASHES), next = 0;
    function worker() {
      if (next >= urls.length) return Promise.resolve();
      var url = urls[next++];
      return fetchChecked(url).then(function (response) {
        return cache.put(url, response);
      }).then(worker);
    }
    return Promise.all([worker(), worker(), worker(), worker()]);
  }

  self.addEventListener("install", function (event) {
    event.waitUntil(caches.open(CACHE).then(function (cache) {
      return precache(cache).catch(function (error) {
        return caches.delete(CACHE).then(function () { throw error; });
      });
    }));
  });

  self.addEventListener("message", function (event) {
    if (event.data && event.data.type === "wb-update") self.skipWaiting();
  });

  self.addEventListener("activate", function (event) {
    event.waitUntil(caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(PREFIX) === 0 && name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }));
  });

  /* The address of this version's copy of a request, or null. */
  function precached(url) {
    var key = url.origin + url.pathname;
    if (key in HASHES) return key;
    if (/\/index\.html$/.test(key) && key.slice(0, -10) in HASHES) return key.slice(0, -10);
    if (!/\/$/.test(key) && key + "/" in HASHES) return key + "/";
    return null;
  }

  function fromCache(key) {
    return caches.open(CACHE).then(function (cache) { return cache.match(key); });
  }

  /* From the network, kept in this version's cache; the kept copy offline. */
  function networkKept(request) {
    var url = request.url.split("#")[0];
    // A page keeps its own request (and its redirects); any other file is
    // fetched whole, without a Range header, so that it can be kept.
    var fetched = request.mode === "navigate" ? fetch(request)
      : fetch(url, { credentials: "same-origin" });
    return fetched.then(function (response) {
      if (response.status === 200 && !response.redirected) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { return cache.put(url, copy); });
      }
      return response;
    }, function (error) {
      return fromCache(url).then(function (kept) {
        if (kept) return kept;
        if (request.mode === "navigate") return fromCache(new URL(OFFLINE, SCOPE).href);
        throw error;
      });
    });
  }

  self.addEventListener("fetch", function (event) {
    var request = event.request;
    if (request.method !== "GET") return;
    var url = new URL(request.url);
    if (url.href.indexOf(SCOPE) !== 0) return;
    var key = precached(url);
    if (key) {
      event.respondWith(fromCache(key).then(function (kept) {
        return kept || networkKept(request);
      }));
    } else {
      event.respondWith(networkKept(request));
    }
  });
})();
