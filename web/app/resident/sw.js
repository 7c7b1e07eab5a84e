// The resident app's service worker, served at /citoyen/sw.js (scope /citoyen/). It keeps
// the app shell (the page, its scripts, styles and icons) so the app opens offline; it
// never answers for the API: reports wait in the page's IndexedDB outbox instead.
const CACHE = "agglo-resident-v2";
const SHELL = new URL("./", self.location).pathname; // /citoyen/

const isShell = (url) =>
  url.origin === self.location.origin &&
  (url.pathname === SHELL || url.pathname.startsWith("/static/app/") ||
    url.pathname.startsWith(`${SHELL}manifest`) || url.pathname.startsWith(`${SHELL}icon-`));

// The page and what it links (its script, style, icon, manifest): enough to open offline.
async function keepShell() {
  const cache = await caches.open(CACHE);
  const page = await fetch(SHELL, { cache: "no-cache" });
  if (!page.ok) throw new Error(`${SHELL}: ${page.status}`);
  const html = await page.clone().text();
  await cache.put(SHELL, page);
  const linked = [...html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"/g)]
    .map((m) => new URL(m[1], self.location))
    .filter((url) => url.origin === self.location.origin && isShell(url));
  await cache.addAll([...new Set(linked.map((url) => url.pathname))]);
}

self.addEventListener("install", (event) => {
  event.waitUntil(keepShell().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});


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
