// The line page's memory on the phone (IndexedDB): every entry made here, with the client_entry_id
// made when it was saved, and what the server said about it; and the last list of SPKs, so the
// page works without a network. An entry is never made twice: saving writes one record, sending
// sends that record's id, and the server answers a repeated id with the first outcome.
const DB_NAME = 'stitch-line';
const VERSION = 1;
let opening = null;

function promisify(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export function open() {
  if (opening) return opening;
  opening = new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      const entries = db.createObjectStore('entries', { keyPath: 'client_entry_id' });
      entries.createIndex('by_user', 'user');
      db.createObjectStore('meta', { keyPath: 'key' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('Close the other tabs of this page and reload.'));
  });
  return opening;
}

async function tx(stores, mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(stores, mode);
    let result;
    Promise.resolve(work(transaction)).then((value) => { result = value; }, reject);
    transaction.oncomplete = () => resolve(result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error || new Error('The phone did not store the entry.'));
  });
}

// crypto.getRandomValues works on plain http too (randomUUID needs https or localhost).
function randomHex(bytes) {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A new id for an entry: this device's id, the time and a random part (at most 100 characters). */
export function newEntryId() {
  let device = localStorage.getItem('stitch.device');
  if (!device) {
    device = randomHex(4);
    localStorage.setItem('stitch.device', device);
  }
  return `web-${device}-${Date.now().toString(36)}-${randomHex(4)}`;
}

/** Stores a new entry as pending; resolves once it is safely on the phone. */
export function add(entry) {
  return tx(['entries'], 'readwrite', (t) => promisify(t.objectStore('entries').add(entry)));
}

export function update(entry) {
  return tx(['entries'], 'readwrite', (t) => promisify(t.objectStore('entries').put(entry)));
}

/** The user's entries, newest first. */
export async function entriesOf(user) {
  const all = await tx(['entries'], 'readonly', (t) => promisify(t.objectStore('entries').index('by_user').getAll(user)));
  return all.sort((a, b) => b.created_at.localeCompare(a.created_at));
}

/** Entries the server has not answered yet ('sending' ones too: the page may have closed mid-way). */
export async function unsent(user) {
  return (await entriesOf(user)).filter((e) => e.state === 'pending' || e.state === 'sending').reverse();
}

/** Forgets answered entries older than `days`. */
export async function prune(user, days = 7) {
  const cutoff = new Date(Date.now() - days * 86400000).toISOString();
  const old = (await entriesOf(user)).filter((e) => e.state !== 'pending' && e.state !== 'sending' && e.created_at < cutoff);
  if (!old.length) return;
  await tx(['entries'], 'readwrite', (t) => Promise.all(old.map((e) => promisify(t.objectStore('entries').delete(e.client_entry_id)))));
}

export async function getMeta(key) {
  const row = await tx(['meta'], 'readonly', (t) => promisify(t.objectStore('meta').get(key)));
  return row ? row.value : undefined;
}

export function setMeta(key, value) {
  return tx(['meta'], 'readwrite', (t) => promisify(t.objectStore('meta').put({ key, value })));
}
