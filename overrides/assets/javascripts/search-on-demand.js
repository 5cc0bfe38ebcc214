// Load search when a reader starts to search, not with every page.
// Material starts its search worker (38 KB) and requests the search index
// (300-500 KB) as soon as a page opens. This holds both back until the reader
// focuses or opens the search box (click, tap, or the "/", "s", "f" keys), or
// arrives with a ?q= query; until then Material shows its own "Initializing
// search" message. Must run before Material's bundle.
(function () {
  "use strict";
  var INDEX = /\/search\/search_index\.json$/;
  var WORKER = /\/workers\/search\.[\w.]+\.js$/;
  var send = XMLHttpRequest.prototype.send;
  var open = XMLHttpRequest.prototype.open;
  var RealWorker = window.Worker;
  var held = []; // functions that make the held-back requests
  var wanted = /[?&]q=/.test(location.search);

  function release() {
    if (wanted) return;
    wanted = true;
    held.splice(0).forEach(function (start) {
      start();
    });
  }

  function later(start) {
    if (wanted) start();
    else held.push(start);
  }

  XMLHttpRequest.prototype.open = function (method, url) {
    this.dropoutSearchIndex = INDEX.test(new URL(String(url), location.href).pathname);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (!this.dropoutSearchIndex) return send.apply(this, arguments);
    var request = this;
    var args = arguments;
    later(function () {
      send.apply(request, args);
    });
    return undefined;
  };

  // A stand-in with the Worker interface Material uses (postMessage, message
  // events); the real worker starts, and gets the queued messages, on release.
  window.Worker = function (url, options) {
    if (!WORKER.test(new URL(String(url), location.href).pathname)) {
      return new RealWorker(url, options);
    }
    var standIn = new EventTarget();
    var worker = null;
    var queue = [];
    standIn.postMessage = function (message) {
      if (worker) worker.postMessage(message);
      else queue.push(message);
    };
    standIn.terminate = function () {
      if (worker) worker.terminate();
      queue = [];
    };
    later(function () {
      worker = new RealWorker(url, options);
      worker.addEventListener("message", function (event) {
        standIn.dispatchEvent(new MessageEvent("message", { data: event.data }));
      });
      queue.splice(0).forEach(function (message) {
        worker.postMessage(message);
      });
    });
    return standIn;
  };

  document.addEventListener("focusin", function (event) {
    if (event.target.closest && event.target.closest(".md-search")) release();
  });
  document.addEventListener("change", function (event) {
    if (event.target.id === "__search") release();
  });
  document.addEventListener("pointerdown", function (event) {
    if (event.target.closest && event.target.closest('label[for="__search"], .md-search')) {
      release();
    }
  });
})();
