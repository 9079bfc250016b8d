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
   - A page is served from the newest version's cache, and everything that
     page loads later comes from the same version's cache, even after a
     newer version took over in another window. Other requests go to the
     network; PDFs and other files of this site are kept when opened.
     A page that was never kept, asked for offline, gets the offline page.
     An address without its final "/" (a printed short link) is sent to
     the address with it, as the web server would.
   - A new version installs in the background and waits. The page tells the
     reader and sends "wb-update" only if they choose to update; then this
     worker takes over. Older versions' caches are deleted once no open
     page uses them; a newer version's cache (still installing) is never
     touched. PDFs kept by the version before are fetched again.
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
  var PAGES = PREFIX + "pages";  // which version's cache each open page uses
  var INSTALLED = SCOPE + "__wb-installed";  // in each cache: when it was filled
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

  /* The files of `urls` into `cache`, a few at a time; all or nothing. */
  function fill(cache, urls) {
    var next = 0;
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
    event.waitUntil(caches.has(CACHE).then(function (existed) {
      // A cache of this very version may be on the device already (a
      // version published again): it is complete, and stays if this fails.
      return caches.open(CACHE).then(function (cache) {
        return (existed ? Promise.resolve() : cache.put(INSTALLED, new Response(String(Date.now()))))
          .then(function () { return fill(cache, Object.keys(HASHES)); })
          .then(function () { return caches.has(CACHE); })
          .then(function (still) { if (!still) throw new Error("the cache was removed while filling"); })
          .catch(function (error) {
            return (existed ? Promise.resolve() : caches.delete(CACHE)).then(function () { throw error; });
          });
      });
    }));
  });

  self.addEventListener("message", function (event) {
    if (event.data && event.data.type === "wb-update") self.skipWaiting();
  });

  function installedAt(name) {
    return caches.open(name).then(function (cache) { return cache.match(INSTALLED); })
      .then(function (found) { return found ? found.text().then(Number) : 0; });
  }

  /* The versions' caches of this site, but the list of pages. */
  function versions() {
    return caches.keys().then(function (names) {
      return names.filter(function (name) { return name.indexOf(PREFIX) === 0 && name !== PAGES; });
    });
  }

  /* Every file of this version in its cache; any that went missing (the
     browser may free space) fetched and checked again, if online. */
  function complete() {
    return caches.open(CACHE).then(function (cache) {
      return cache.keys().then(function (requests) {
        var have = Object.create(null);
        requests.forEach(function (request) { have[request.url] = true; });
        return fill(cache, Object.keys(HASHES).filter(function (url) { return !have[url]; }));
      });
    }).catch(function () {});
  }

  /* PDFs kept by older versions, fetched again for this one (best effort). */
  function keepPdfs() {
    return versions().then(function (names) {
      return Promise.all(names.filter(function (name) { return name !== CACHE; }).map(function (name) {
        return caches.open(name).then(function (cache) { return cache.keys(); });
      }));
    }).then(function (lists) {
      var urls = Object.create(null);
      lists.forEach(function (requests) {
        requests.forEach(function (request) { if (/\.pdf$/.test(request.url)) urls[request.url] = true; });
      });
      return Promise.all(Object.keys(urls).map(function (url) {
        return networkKept(new Request(url), CACHE).catch(function () {});
      }));
    }).catch(function () {});
  }

  /* Delete the caches of versions older than this one that no open page
     uses, and forget closed pages. */
  function tidy() {
    return Promise.all([self.clients.matchAll({ includeUncontrolled: true, type: "window" }),
                        caches.open(PAGES)]).then(function (both) {
      var open = Object.create(null);
      both[0].forEach(function (client) { open[client.id] = true; });
      var pages = both[1], used = Object.create(null);
      return pages.keys().then(function (requests) {
        return Promise.all(requests.map(function (request) {
          var id = request.url.slice(request.url.lastIndexOf("/") + 1);
          return pages.match(request).then(function (found) { return found.text(); }).then(function (text) {
            var entry = text.split("\n");  // cache name, when the page was served
            // A page being opened is not a window yet: give it ten seconds.
            if (!open[id] && Date.now() - Number(entry[1]) > 10000) return pages.delete(request);
            used[entry[0]] = true;
          });
        }));
      }).then(function () { return Promise.all([versions(), installedAt(CACHE)]); })
        .then(function (found) {
          return Promise.all(found[0].filter(function (name) {
            return name !== CACHE && !used[name];
          }).map(function (name) {
            return installedAt(name).then(function (when) {
              if (when <= found[1]) return caches.delete(name);
            });
          }));
        });
    }).catch(function () {});
  }

  self.addEventListener("activate", function (event) {
    event.waitUntil(versions().then(function (names) {
      // The first version on this device takes the open pages in at once
      // (they are this version: nothing else was kept), so that a PDF
      // opened from the first page is kept too.
      var first = names.length === 1;
      return complete().then(keepPdfs).then(tidy).then(function () {
        if (!first) return;
        return self.clients.claim().then(function () {
          return self.clients.matchAll({ type: "window" });
        }).then(function (windows) {
          return Promise.all(windows.map(function (client) { return remember(client.id); }));
        });
      });
    }));
  });

  function pageKey(id) { return SCOPE + "__wb-page/" + id; }

  function remember(id) {
    return caches.open(PAGES).then(function (pages) {
      return pages.put(pageKey(id), new Response(CACHE + "\n" + Date.now()));
    });
  }

  /* The cache of the version the page `id` was served from (this one if
     unknown, or if that cache is gone). */
  function cacheOf(id) {
    if (!id) return Promise.resolve(CACHE);
    return caches.open(PAGES).then(function (pages) { return pages.match(pageKey(id)); })
      .then(function (found) { return found ? found.text() : CACHE; })
      .then(function (text) {
        var name = text.split("\n")[0];
        return name === CACHE ? name : caches.has(name).then(function (has) { return has ? name : CACHE; });
      }).catch(function () { return CACHE; });
  }

  /* The address of this version's copy of a request, or null. */
  function precached(url) {
    var key = url.origin + url.pathname;
    if (key in HASHES) return key;
    if (/\/index\.html$/.test(key) && key.slice(0, -10) in HASHES) return key.slice(0, -10);
    return null;
  }

  function fromCache(name, key) {
    return caches.open(name).then(function (cache) { return cache.match(key); });
  }

  /* From the network, kept in the cache `name`; the kept copy offline. */
  function networkKept(request, name) {
    var url = request.url.split("#")[0];
    // A page keeps its own request (and its redirects); any other file is
    // fetched whole, without a Range header, so that it can be kept.
    var fetched = request.mode === "navigate" ? fetch(request)
      : fetch(url, { credentials: "same-origin" });
    return fetched.then(function (response) {
      if (response.status === 200 && !response.redirected) {
        var copy = response.clone();
        caches.open(name).then(function (cache) { return cache.put(url, copy); });
      }
      return response;
    }, function (error) {
      return fromCache(name, url).then(function (kept) {
        if (kept) return kept;
        if (request.mode === "navigate") return fromCache(CACHE, new URL(OFFLINE, SCOPE).href);
        throw error;
      });
    });
  }

  function respond(request, url, name) {
    var key = precached(url);
    if (!key) return networkKept(request, name);
    return fromCache(name, key).then(function (kept) { return kept || networkKept(request, name); });
  }

  self.addEventListener("fetch", function (event) {
    var request = event.request;
    if (request.method !== "GET") return;
    var url = new URL(request.url);
    if (url.href.indexOf(SCOPE) !== 0) return;
    if (!/\/$/.test(url.pathname) && url.origin + url.pathname + "/" in HASHES) {
      event.respondWith(Response.redirect(url.origin + url.pathname + "/" + url.search, 301));
    } else if (request.mode === "navigate") {
      event.respondWith(respond(request, url, CACHE));
      // Also: files of this version the browser let go of are fetched again.
      if (event.resultingClientId) {
        event.waitUntil(remember(event.resultingClientId).then(tidy).then(complete));
      }
    } else {
      event.respondWith(cacheOf(event.clientId).then(function (name) {
        return respond(request, url, name);
      }));
    }
  });
})();
