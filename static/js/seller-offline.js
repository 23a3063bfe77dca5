/* The seller dashboard offline (decision 0012): registers seller-sw.js, shows a banner on an
 * offline copy of a page, queues the changes made without a connection (stock on hand, an
 * order's status, a payment received) in localStorage and sends them to
 * POST <shop>/sync/ when the connection returns (the `online` event, and at page load).
 * The texts come from the template's data attributes, translated by Django. */
(function () {
  "use strict";
  var root = document.getElementById("seller-offline");
  if (!root) return;
  var STORE = "pasar-seller-queue";
  var banner = root.querySelector(".offline-banner");
  var panel = root.querySelector(".offline-queue");
  var timeMeta = document.querySelector('meta[name="seller-page-time"]');
  var isOfflineCopy = !!document.querySelector('meta[name="seller-offline-copy"]');
  var controlledAtLoad = "serviceWorker" in navigator && !!navigator.serviceWorker.controller;
  var sending = null;
  var BATCH = 50;  // changes per request (the server takes up to 100)

  function t(el, key) { return (el && el.getAttribute("data-" + key)) || ""; }

  // The banner -------------------------------------------------------------------------------
  function pageTime() {
    if (!timeMeta) return "";
    var age = Date.now() - Date.parse(timeMeta.content);
    var time = timeMeta.getAttribute("data-time");
    return age > 12 * 3600 * 1000 ? timeMeta.getAttribute("data-date") + " " + time : time;
  }

  function showOffline() {
    if (!banner) return;
    banner.textContent = t(banner, "offline-text") + " " + pageTime();
    banner.classList.remove("online");
    banner.hidden = false;
  }

  function showOnline() {
    if (!banner || banner.hidden) return;
    banner.textContent = t(banner, "online-text");
    banner.classList.add("online");
    if (isOfflineCopy) {
      // The page is still the old copy: offer today's (never reload under the seller's thumb).
      var reload = document.createElement("button");
      reload.type = "button";
      reload.className = "secondary";
      reload.textContent = t(banner, "reload-text");
      reload.addEventListener("click", function () { location.reload(); });
      banner.append(" ", reload);
      return;
    }
    setTimeout(function () { if (navigator.onLine) banner.hidden = true; }, 6000);
  }

  // The queue --------------------------------------------------------------------------------
  function load() {
    try { return JSON.parse(localStorage.getItem(STORE) || "[]"); } catch (e) { return []; }
  }

  function save(queue) { localStorage.setItem(STORE, JSON.stringify(queue)); }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }

  function shopUrl() { return root.getAttribute("data-shop-url") || ""; }

  function note(message) {
    if (!panel) return;
    var p = panel.querySelector(".offline-queue-note");
    p.textContent = message;
    p.hidden = !message;
  }

  function render() {
    if (!panel) return;
    var mine = load().filter(function (item) { return item.shop === shopUrl(); });
    var list = panel.querySelector(".offline-queue-list");
    list.textContent = "";
    mine.forEach(function (item) {
      var li = document.createElement("li");
      li.setAttribute("data-status", item.status);
      li.setAttribute("data-key", item.key);
      var what = document.createElement("span");
      what.className = "what";
      what.textContent = item.label;
      var state = document.createElement("span");
      state.className = "state";
      state.textContent = t(panel, item.status);
      li.append(what, state);
      if (item.message || item.note) {
        var message = document.createElement("span");
        message.className = "message";
        message.textContent = item.message || item.note;
        li.append(message);
      }
      list.append(li);
    });
    panel.hidden = mine.length === 0;
    panel.querySelector(".offline-queue-clear").hidden =
      !mine.some(function (item) { return item.status !== "pending"; });
  }

  function formsFor(kind, target) {
    return Array.prototype.filter.call(
      document.querySelectorAll("form[data-offline-kind]"),
      function (form) {
        return form.getAttribute("data-offline-kind") === kind &&
          form.getAttribute("data-offline-target") === String(target);
      });
  }

  // What the seller will see next: the version a following change of the same thing is based on.
  function setVersion(kind, target, version) {
    formsFor(kind, target).forEach(function (form) {
      form.setAttribute("data-offline-version", String(version));
    });
  }

  function nextVersion(item) {
    if (item.kind === "stock.set") return String(item.value.on_hand);
    if (item.kind === "order.mark") return item.value.status;
    return "succeeded";
  }

  function change(form, submitter) {
    var kind = form.getAttribute("data-offline-kind");
    var value = {};
    var extra = "";
    var remark = "";
    if (kind === "stock.set") {
      var field = form.elements[form.getAttribute("data-offline-field") || "on_hand"];
      var n = parseInt(field && field.value, 10);
      if (isNaN(n) || n < 0) { if (field) field.focus(); return null; }
      value.on_hand = n;
      extra = " → " + n;
      var others = Array.prototype.some.call(form.elements, function (el) {
        return el !== field && el.type !== "hidden" && "defaultValue" in el &&
          el.value !== el.defaultValue;
      });
      if (others) remark = t(panel, "stock-only");
    } else if (kind === "order.mark") {
      value.status = form.getAttribute("data-offline-status");
      if (value.status === "shipped") {
        var tracking = form.elements.tracking_number;
        value.tracking_number = tracking ? tracking.value.trim() : "";
        if (value.tracking_number) extra = " (" + value.tracking_number + ")";
      }
    }
    var button = submitter || form.querySelector("button[type=submit], button:not([type])");
    var action = button ? button.textContent.trim() : "";
    return {
      key: uuid(),
      kind: kind,
      target: form.getAttribute("data-offline-target"),
      version: form.getAttribute("data-offline-version"),
      value: value,
      label: (form.getAttribute("data-offline-label") || "") + " · " + action + extra,
      note: remark,
      shop: shopUrl(),
      status: "pending",
      message: "",
      at: new Date().toISOString(),
    };
  }

  function csrfToken() {
    var cookie = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (cookie) return decodeURIComponent(cookie[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function sendShop(url, items) {
    return fetch(url + "sync/", {
      method: "POST",
      credentials: "same-origin",
      redirect: "error",  // a sign-in page is no answer: keep the changes for later
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": csrfToken(),
      },
      body: JSON.stringify({changes: items.map(function (item) {
        return {key: item.key, kind: item.kind, target: item.target, version: item.version,
          value: item.value};
      })}),
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (answer) {
      var byKey = {};
      (answer.results || []).forEach(function (result) { byKey[result.key] = result; });
      var queue = load();
      queue.forEach(function (item) {
        var result = byKey[item.key];
        if (!result || item.status !== "pending") return;
        item.status = result.status === "applied" || result.status === "refused" ||
          result.status === "duplicate" ? result.status : "refused";
        item.message = result.message || "";
        item.note = "";
        item.detail = result.detail || {};
        if (item.kind === "stock.set" && item.detail.on_hand !== undefined) {
          setVersion(item.kind, item.target, item.detail.on_hand);
        }
      });
      save(queue);
    });
  }

  function send() {
    if (sending) return sending;
    if (!navigator.onLine) return Promise.resolve();
    var pending = load().filter(function (item) { return item.status === "pending"; });
    if (!pending.length) return Promise.resolve();
    var shops = {};
    pending.forEach(function (item) { (shops[item.shop] = shops[item.shop] || []).push(item); });
    var batches = [];
    Object.keys(shops).forEach(function (url) {
      for (var i = 0; i < shops[url].length; i += BATCH) {
        batches.push([url, shops[url].slice(i, i + BATCH)]);
      }
    });
    // One batch after the other, in the order the seller made them.
    var outcomes = [];
    sending = batches.reduce(function (previous, batch) {
      return previous.then(function () {
        return sendShop(batch[0], batch[1]).then(function () { outcomes.push(true); },
          function () { outcomes.push(false); });
      });
    }, Promise.resolve()).then(function () {
      sending = null;
      note(outcomes.every(Boolean) ? "" : t(panel, "send-failed"));
      render();
    });
    return sending;
  }

  // Submits of the forms that may wait ---------------------------------------------------------
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (/\/accounts\/logout\/$/.test(new URL(form.action, location.href).pathname)) {
      // Signing out: this phone forgets the shop's pages (the queue stays, it is the seller's).
      if (!window.caches || form.hasAttribute("data-forgotten")) return;
      event.preventDefault();
      form.setAttribute("data-forgotten", "");
      caches.delete("seller-pages-v1").finally(function () { form.submit(); });
      return;
    }
    if (!form.hasAttribute("data-offline-kind") || !shopUrl()) return;
    if (navigator.onLine && !isOfflineCopy) return;  // online: the ordinary form post
    event.preventDefault();
    enqueue(form, event.submitter);
  }, true);
  // Submits are watched from here on (browser tests wait for it before pressing a button).
  document.documentElement.setAttribute("data-offline-ready", "");

  function enqueue(form, submitter) {
    var item = change(form, submitter);
    if (!item) return;
    var queue = load();
    queue.push(item);
    save(queue);
    setVersion(item.kind, item.target, nextVersion(item));
    note(t(panel, "queued"));
    render();
    if (panel) panel.scrollIntoView({block: "nearest"});
    if (navigator.onLine) send();
  }

  // A post that failed on the network although the phone said it was online: the worker kept
  // its fields (seller-sw.js, FAILED) and sent the seller back here; queue it as if offline.
  function queueFailedPost() {
    if (!window.caches || !shopUrl()) return Promise.resolve();
    var key = new URL(root.getAttribute("data-sw-scope") + "__failed-post", location.href).href;
    return caches.open("seller-pages-v1").then(function (cache) {
      return cache.match(key).then(function (kept) {
        if (!kept) return null;
        return kept.json().then(function (data) {
          return cache.delete(key).then(function () {
            var form = Array.prototype.find.call(
              document.querySelectorAll("form[data-offline-kind]"),
              function (f) { return f.action === data.action; });
            if (!form) return;
            Object.keys(data.fields).forEach(function (name) {
              var field = form.elements[name];
              if (field && field.type !== "hidden" && "value" in field) field.value = data.fields[name];
            });
            isOfflineCopy = true;
            showOffline();
            enqueue(form, null);
          });
        });
      });
    }).catch(function () { return null; });
  }

  panel && panel.querySelector(".offline-queue-clear").addEventListener("click", function () {
    save(load().filter(function (item) {
      return item.status === "pending" || item.shop !== shopUrl();
    }));
    note("");
    render();
  });

  // On load, a page drawn before the queued changes reads them as already made.
  load().forEach(function (item) {
    if (item.status === "pending" && item.shop === shopUrl()) {
      setVersion(item.kind, item.target, nextVersion(item));
    }
  });

  window.addEventListener("offline", showOffline);
  window.addEventListener("online", function () { showOnline(); send(); });
  window.addEventListener("storage", function (event) { if (event.key === STORE) render(); });
  if (isOfflineCopy || !navigator.onLine) showOffline();
  render();
  queueFailedPost().then(send);

  // The service worker ----------------------------------------------------------------------
  if ("serviceWorker" in navigator && root.getAttribute("data-sw-url")) {
    navigator.serviceWorker.register(root.getAttribute("data-sw-url"), {
      scope: root.getAttribute("data-sw-scope"),
    }).then(function () { return navigator.serviceWorker.ready; }).then(function (reg) {
      if (controlledAtLoad || !reg.active) return;
      // This page came before the worker: ask it to keep the page and its files now.
      var urls = [location.href.split("#")[0]];
      document.querySelectorAll("link[rel=stylesheet][href], script[src]").forEach(function (el) {
        urls.push(el.href || el.src);
      });
      reg.active.postMessage({type: "keep", urls: urls});
    }).catch(function () { /* no worker (private mode, old browser): online only */ });
  }
})();
