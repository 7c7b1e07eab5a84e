// The resident app's service worker, served at /citoyen/sw.js (scope /citoyen/). It keeps
// the app shell (the page, its scripts, styles and icons) so the app opens offline; it
// never answers for the API: reports wait in the page's IndexedDB outbox instead.
const CACHE = "agglo-resident-v1";
const SHELL = new URL("./", self.location).pathname; // /citoyen/

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll([SHELL])).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

const isShell = (url) =>
  url.origin === self.location.origin &&
  (url.pathname === SHELL || url.pathname.startsWith("/static/app/") || url.pathname.startsWith(`${SHELL}manifest`));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // API answers, media and anything else go to the network untouched.
  if (request.method !== "GET" || !isShell(url)) return;
  // The network first (the newest app), the kept copy when offline.
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const response = await fetch(request);
      if (response.ok) await cache.put(url.pathname === SHELL ? SHELL : request, response.clone());
      return response;
    } catch (error) {
      const kept = await cache.match(url.pathname === SHELL ? SHELL : request);
      if (kept) return kept;
      throw error;
    }
  })());
});
