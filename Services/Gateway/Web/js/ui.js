// Small DOM helpers shared by the pages: building elements, messages in words, the top bar and the
// sign-in form. Text is always set as text (never parsed as HTML).
import { current, signIn, signOut, onChange, hasRole } from './session.js';
import { describe } from './api.js';

export const PPIC_READERS = ['PPIC_MANAGER', 'PPIC_STAFF', 'MANAGER', 'ADMIN'];
export const LINE_ROLES = ['PRODUCTION_STAFF', 'PRODUCTION_SPV', 'PRODUCTION_MANAGER', 'MANAGER', 'ADMIN'];
export const WAREHOUSE_ROLES = ['WAREHOUSE_STAFF', 'WAREHOUSE_MANAGER', 'ADMIN'];
export const STAGES = ['CUTTING', 'EMBROIDERY', 'SEWING', 'FINISHING', 'PACKING'];

/** h('div', {class: 'x', onclick: fn}, 'text', child…) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElementNS(tag === 'svg' || attrs.svg ? 'http://www.w3.org/2000/svg' : 'http://www.w3.org/1999/xhtml', tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false || key === 'svg') continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'text') el.textContent = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export const svg = (tag, attrs = {}, ...children) => h(tag, { ...attrs, svg: true }, ...children);

export function clear(el) { while (el.firstChild) el.firstChild.remove(); return el; }

export const number = (n) => (typeof n === 'number' ? n.toLocaleString('en-US') : '–');
export const percent = (n) => (typeof n === 'number' ? `${n.toFixed(1)}%` : '–');

/** Shows a message (kind: error | ok | info) with the API's field details, or clears it. */
export function showMessage(el, kind, error) {
  clear(el);
  if (!error) { el.hidden = true; return; }
  const { message, details } = typeof error === 'string' ? { message: error, details: [] } : describe(error);
  el.className = `message ${kind}`;
  el.append(h('span', {}, message));
  if (details.length) el.append(h('ul', {}, details.map((d) => h('li', {}, d))));
  el.hidden = false;
}

/** The page a user's roles are for: the board, the line page or the scan page (null: none). */
export function homePage(session) {
  if (hasRole(session, PPIC_READERS)) return '/';
  if (hasRole(session, LINE_ROLES)) return '/line.html';
  if (hasRole(session, WAREHOUSE_ROLES)) return '/scan.html';
  return null;
}

/** Fills the top bar's user part: who is signed in, links to the pages they may use, sign out. */
export function renderTopbar(session) {
  const who = document.getElementById('who');
  const nav = document.getElementById('nav');
  if (!who || !nav) return;
  clear(who); clear(nav);
  if (!session) return;
  const links = [];
  if (hasRole(session, PPIC_READERS)) links.push(['/', 'Board']);
  if (hasRole(session, LINE_ROLES)) links.push(['/line.html', 'Line']);
  if (hasRole(session, WAREHOUSE_ROLES)) links.push(['/scan.html', 'Scan']);
  for (const [href, text] of links) {
    const here = location.pathname === href || (href === '/' && location.pathname === '/index.html');
    nav.append(h('a', { href, 'aria-current': here ? 'page' : null }, text));
  }
  const user = session.user || {};
  who.append(h('span', { class: 'who' }, `${user.full_name || user.username}${user.department ? ` · ${user.department}` : ''}`), ' ',
    h('button', { type: 'button', id: 'sign-out', onclick: async () => { await signOut(); } }, 'Sign out'));
}

/**
 * Runs `start(session)` once signed in (now or after the form), shows the sign-in form otherwise;
 * on sign-out the form comes back. `allowed` roles may use the page; others are told where to go.
 */
export function requireSignIn({ title, allowed, start }) {
  const main = document.getElementById('main');
  const box = document.getElementById('signin');
  let started = false;

  const show = (session) => {
    renderTopbar(session);
    if (!session) {
      main.hidden = true;
      box.hidden = false;
      if (started) location.reload();   // a fresh page for the next user; nothing of the last one stays on screen
      renderForm();
      return;
    }
    box.hidden = true;
    if (allowed && !hasRole(session, allowed)) {
      const home = homePage(session);
      if (home && home !== location.pathname) { location.replace(home); return; }
      main.hidden = false;
      clear(main).append(h('div', { class: 'panel', role: 'alert' },
        h('h2', {}, `${title} is not for your role`),
        h('p', {}, `Signed in as ${session.user?.username} (${(session.user?.roles || []).join(', ') || 'no role'}).`),
        h('p', {}, 'Use one of the pages linked above, or sign out and sign in as someone else.')));
      return;
    }
    main.hidden = false;
    if (!started) { started = true; start(session); }
  };

  function renderForm() {
    const error = h('div', { id: 'signin-error', role: 'alert', hidden: true });
    const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
    const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const button = h('button', { type: 'submit', class: 'primary', id: 'signin-submit' }, 'Sign in');
    const form = h('form', { class: 'panel', 'aria-labelledby': 'signin-title', novalidate: true },
      h('h1', { id: 'signin-title' }, `Sign in to ${title}`),
      error,
      h('div', { class: 'field' }, h('label', { for: 'username' }, 'User name'), username),
      h('div', { class: 'field' }, h('label', { for: 'password' }, 'Password'), password),
      button);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!username.value.trim() || !password.value) {
        showMessage(error, 'error', 'Enter your user name and your password.');
        (username.value.trim() ? password : username).focus();
        return;
      }
      button.disabled = true;
      button.textContent = 'Signing in…';
      try {
        await signIn(username.value.trim(), password.value);
      } catch (failure) {
        showMessage(error, 'error', failure);
        password.value = '';
        password.focus();
      } finally {
        button.disabled = false;
        button.textContent = 'Sign in';
      }
    });
    clear(box).append(h('div', { class: 'signin' }, form));
    username.focus();
  }

  onChange(show);
  show(current());
}

/** Announces text to screen readers through the page's polite live region. */
export function announce(text) {
  const region = document.getElementById('announce');
  if (!region) return;
  region.textContent = '';
  setTimeout(() => { region.textContent = text; }, 50);
}
