// The line page's service worker: the page and its files come from the network when there is one
// (so a new version is seen at once) and from this cache when there is none, so the page opens on
// a phone that is offline. The API is never cached: entries wait in IndexedDB, not here.
const CACHE = 'stitch-shell-v1';
const SHELL = [
  '/line.html', '/css/app.css', '/js/line.js', '/js/api.js', '/js/session.js', '/js/ui.js', '/js/charts.js', '/js/queue.js',
  '/img/icon.svg', '/line.webmanifest',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  event.respondWith((async () => {
    try {
      const response = await fetch(event.request);
      if (response.ok && SHELL.includes(url.pathname)) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(event.request, copy));
      }
      return response;
    } catch (error) {
      const cached = await caches.match(event.request, { ignoreSearch: true });
      if (cached) return cached;
      throw error;
    }
  })());
});
