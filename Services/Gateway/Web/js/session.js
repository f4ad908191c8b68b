// The signed-in session: tokens kept for this browser tab (sessionStorage), refreshed before they
// expire, removed on sign-out. The refresh token rotates: each refresh returns a new one.
const KEY = 'stitch.session';
const listeners = new Set();
let refreshing = null;   // one refresh at a time: a refresh token is good for one use only
let timer = null;

export class SessionError extends Error {
  constructor(message, { status = 0, network = false, details = [] } = {}) {
    super(message);
    this.status = status;
    this.network = network;
    this.details = details;
  }
}

export function current() {
  try {
    const value = JSON.parse(sessionStorage.getItem(KEY) || 'null');
    return value && value.access_token ? value : null;
  } catch {
    return null;
  }
}

function store(session) {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
  schedule();
  for (const listener of listeners) listener(session);
}

/** fn(session | null) whenever the session changes (sign-in, refresh, sign-out). */
export function onChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function hasRole(session, roles) {
  return !!session && (session.user?.roles || []).some((role) => roles.includes(role));
}

async function post(path, body, token) {
  let response;
  try {
    response = await fetch(`/api/v1/auth/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json',
                 ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  } catch {
    throw new SessionError('No connection to the server. Check the network and try again.', { network: true });
  }
  const json = await response.json().catch(() => null);
  if (!response.ok) {
    const error = json?.error;
    throw new SessionError(error?.message || `The server answered ${response.status}.`,
                           { status: response.status, details: error?.details || [] });
  }
  return json.data;
}

function sessionFrom(tokens, user) {
  return {
    access_token: tokens.access_token,
    refresh_token: tokens.refresh_token,
    // Refresh a little early: clocks differ and a request takes time.
    expires_at: Date.now() + Math.max(10, tokens.expires_in - 30) * 1000,
    user,
  };
}

export async function signIn(username, password) {
  const tokens = await post('login', { username, password });
  let user;
  try {
    const response = await fetch('/api/v1/auth/me', { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    user = (await response.json()).data;
  } catch {
    user = { username, roles: [] };
  }
  const session = sessionFrom(tokens, user);
  store(session);
  return session;
}

/** New tokens from the refresh token; throws SessionError (network: true when offline). */
export function refresh() {
  if (refreshing) return refreshing;
  const session = current();
  if (!session) return Promise.reject(new SessionError('Not signed in.', { status: 401 }));
  refreshing = (async () => {
    try {
      const tokens = await post('refresh', { refresh_token: session.refresh_token });
      const next = sessionFrom(tokens, session.user);
      store(next);
      return next;
    } catch (error) {
      if (error.status === 401) store(null);   // the session is over: sign in again
      throw error;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** A token that is still good, refreshed first if it is about to expire (offline: the old one). */
export async function accessToken() {
  const session = current();
  if (!session) return null;
  if (Date.now() < session.expires_at) return session.access_token;
  try {
    return (await refresh()).access_token;
  } catch (error) {
    if (error.network) return session.access_token;
    return null;
  }
}

export async function signOut() {
  const session = current();
  store(null);
  if (session) {
    try { await post('logout', { refresh_token: session.refresh_token }); } catch { /* signed out here anyway */ }
  }
}

function schedule() {
  clearTimeout(timer);
  const session = current();
  if (!session) return;
  const wait = Math.max(1000, session.expires_at - Date.now());
  timer = setTimeout(() => {
    if (navigator.onLine === false) return schedule();
    refresh().catch(() => setTimeout(schedule, 15000));
  }, wait);
}

schedule();
window.addEventListener('online', () => {
  const session = current();
  if (session && Date.now() >= session.expires_at) refresh().catch(() => {});
});
