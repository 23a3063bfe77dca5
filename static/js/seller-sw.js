/* The seller dashboard's service worker (decision 0012): our own, no framework.
 *
 * Pages under the scope (/seller/ or /en/seller/): network first; every successful GET page is
 * kept as the seller last saw it, and opened from the cache when the network fails, marked as
 * an offline copy so that seller-offline.js shows its banner. Static files: network first too,
 * with the cache as fallback. Nothing else is touched: POSTs always go to the network (changes
 * made offline are queued by seller-offline.js, not here). */
"use strict";

var VERSION = "v1";
var PAGES = "seller-pages-" + VERSION;
var ASSETS = "seller-assets-" + VERSION;
var SCOPE = new URL(self.registration.scope).pathname;
var MARK = '<meta name="seller-offline-copy" content="1">';

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("seller-") === 0 && name !== PAGES && name !== ASSETS;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function isPage(url) {
  return url.origin === self.location.origin && url.pathname.indexOf(SCOPE) === 0 &&
    !/\.(js|webmanifest)$/.test(url.pathname);
}

function isAsset(url) {
  return url.origin === self.location.origin && url.pathname.indexOf("/static/") === 0;
}

function pageKey(url) {
  var key = new URL(url);
  key.hash = "";
  return key.href;
}

function keepPage(url, response) {
  // Only a page the seller really saw: not a redirect (the sign-in page), not an error.
  var type = response.headers.get("Content-Type") || "";
  if (!response.ok || response.redirected || type.indexOf("text/html") !== 0) {
    if (response.redirected && new URL(response.url).pathname.indexOf("/accounts/login/") !== -1) {
      return caches.delete(PAGES);  // signed out: forget the shop's pages
    }
    return Promise.resolve();
  }
  return caches.open(PAGES).then(function (cache) { return cache.put(pageKey(url), response); });
}

function offlineCopy(cached) {
  return cached.text().then(function (html) {
    return new Response(html.replace("<head>", "<head>" + MARK), {
      status: 200,
      headers: {"Content-Type": "text/html; charset=utf-8"},
    });
  });
}

function notCached() {
  var html = '<!doctype html><html lang="id"><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    "<title>Offline · Pasar Kreatif</title>" +
    '<body style="font-family:sans-serif;padding:1rem;background:#faf8f4;color:#222">' +
    '<h1 style="color:#5b1a10">Offline</h1>' +
    "<p>Halaman ini belum pernah dibuka di ponsel ini, jadi belum bisa dibuka tanpa koneksi.</p>" +
    '<p lang="en">This page has not been opened on this phone before, so it cannot be shown offline.</p>' +
    '<p><a href="javascript:history.back()">‹ Kembali / Back</a></p></body></html>';
  return new Response(html, {status: 503, headers: {"Content-Type": "text/html; charset=utf-8"}});
}

function page(request) {
  return fetch(request).then(function (response) {
    return keepPage(request.url, response.clone()).then(function () { return response; });
  }, function () {
    return caches.open(PAGES).then(function (cache) {
      return cache.match(pageKey(request.url), {ignoreVary: true});
    }).then(function (cached) { return cached ? offlineCopy(cached) : notCached(); });
  });
}

function asset(request) {
  return fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(ASSETS).then(function (cache) { return cache.put(request, copy); });
    }
    return response;
  }, function () {
    return caches.match(request, {ignoreVary: true}).then(function (cached) {
      return cached || Response.error();
    });
  });
}

// The posts that seller-offline.js can queue: a variant's stock, an order's process / ship /
// ready, a payment received. When one of them fails on the network while the phone believes
// it is online (a signal that carries nothing), its fields are kept under FAILED and the seller
// is sent back to the page the form was on; the page finds them there and queues the change.
var QUEUEABLE = [
  /\/variants\/\d+\/stock\/$/,
  /\/products\/\d+\/variants\/\d+\/$/,
  /\/orders\/[^/]+\/(process|ship|ready)\/$/,
  /\/payments\/[^/]+\/confirm\/$/,
];
var FAILED = self.registration.scope + "__failed-post";

function isQueueable(url) {
  return isPage(url) && QUEUEABLE.some(function (pattern) { return pattern.test(url.pathname); });
}

function post(request) {
  var copy = request.clone();
  return fetch(request).catch(function () {
    return copy.formData().then(function (data) {
      var fields = {};
      data.forEach(function (value, name) { if (typeof value === "string") fields[name] = value; });
      var kept = new Response(JSON.stringify({action: request.url, fields: fields}),
        {headers: {"Content-Type": "application/json"}});
      return caches.open(PAGES).then(function (cache) { return cache.put(FAILED, kept); });
    }).then(function () {
      return request.referrer ? Response.redirect(request.referrer, 303) : notCached();
    }, function () { return notCached(); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method === "POST" && request.mode === "navigate" && isQueueable(url)) {
    event.respondWith(post(request));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate" && isPage(url)) {
    event.respondWith(page(request));
  } else if (isAsset(url)) {
    event.respondWith(asset(request));
  }
});

// A page opened before this worker controlled it asks for itself and its files to be kept.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "keep") {
    event.waitUntil(Promise.all((data.urls || []).map(function (raw) {
      var url = new URL(raw, self.location.origin);
      if (!isPage(url) && !isAsset(url)) return null;
      return fetch(url.href, {credentials: "same-origin"}).then(function (response) {
        if (isPage(url)) return keepPage(url.href, response);
        if (response.ok) return caches.open(ASSETS).then(function (c) { return c.put(url.href, response); });
        return null;
      }).catch(function () { return null; });
    })));
  } else if (data.type === "forget") {
    event.waitUntil(caches.delete(PAGES));
  }
});
