{% load static %}{% autoescape off %}// The service worker of the trainer's device, served at /sw.js so that its scope is the whole
// site in both languages. Registered as a module from the pages of trainers and coordinators.
//   - Pages: the network first; without it, the copy "Prepare for offline" stored (attendance
//     sheets, facilitator guides), else the "This device" page. Nothing else is stored.
//   - Scripts, the stylesheet and icons: kept at install, for this version.
//   - Background Sync (Chromium): sends the outbox when the connection comes back.
//   - Every page from the server says who is signed in; when that is no longer the account
//     that prepared the device, its stored rosters and pages are wiped (never the outbox).
import { PAGES_CACHE, forgetPrepared, getMeta } from "{% static 'courses/offline/store.js' %}";
import { syncOutbox } from "{% static 'courses/offline/sync.js' %}";

const VERSION = "{{ version }}";
const STATIC_CACHE = `cem-static-${VERSION}`;
const ASSETS = {{ assets }};
// A connection that answers nothing for this long is treated as none, when a copy exists.
const PATIENCE_MS = 8000;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(STATIC_CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("cem-static-") && name !== STATIC_CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

async function watchAccount(response) {
  const account = response.headers.get("X-Offline-Account");
  if (account === null) return;
  const owner = await getMeta("owner");
  if (owner && String(owner.user) !== account) await forgetPrepared();
}

async function fallback() {
  const owner = await getMeta("owner");
  const page = owner && (await caches.match(owner.device, { cacheName: PAGES_CACHE, ignoreVary: true }));
  return page || Response.error();
}

async function navigate(event) {
  const request = event.request;
  const network = fetch(request).then((response) => {
    event.waitUntil(watchAccount(response.clone()).catch(() => {}));
    return response;
  });
  const copy = await caches.match(request, { cacheName: PAGES_CACHE, ignoreSearch: true, ignoreVary: true });
  if (!copy) return network.catch(fallback);
  const late = new Promise((resolve) => setTimeout(() => resolve(copy), PATIENCE_MS));
  return Promise.race([network, late]).catch(() => copy);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (ASSETS.includes(url.pathname)) {
    event.respondWith(caches.match(request, { cacheName: STATIC_CACHE }).then((hit) => hit || fetch(request)));
  } else if (request.mode === "navigate") {
    event.respondWith(navigate(event));
  }
});

async function backgroundSync() {
  const session = await getMeta("session");
  if (!session) return;
  const outcome = await syncOutbox({ user: session.user, csrf: session.csrf });
  for (const client of await self.clients.matchAll()) client.postMessage("outbox-changed");
  // Rejecting asks the browser to try again later, when the connection is really back.
  if (outcome.stopped === "offline" || outcome.stopped === "unavailable") throw new Error(outcome.stopped);
}

self.addEventListener("sync", (event) => {
  if (event.tag === "cem-outbox") event.waitUntil(backgroundSync());
});
{% endautoescape %}
