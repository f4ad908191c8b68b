// The warehouse scan page. A keyboard-wedge scanner types into the one focused field and presses
// Enter: an SSCC receives the carton (RECEIVED), the article scanned from inside it verifies it
// (VERIFIED — or QUARANTINED when it is another article), the count confirms it (CONFIRMED, into
// finished goods; a count that differs from the label needs a reason). Works with a keyboard alone.
import { api, ApiError } from './api.js';
import { h, clear, number, requireSignIn, announce, WAREHOUSE_ROLES } from './ui.js';

const $ = (id) => document.getElementById(id);
let carton = null;
let mode = 'carton';          // carton | article | count | reason
let countedQty = null;
let busy = false;
let audio = null;

const PROMPTS = {
  carton: ['Scan a carton', "Scan the carton's SSCC barcode (or type its 18 digits) and press Enter."],
  article: ['Scan the article in the carton', 'Scan the barcode of the article found inside (or type its code) and press Enter.'],
  count: ['Count the pieces', ''],
  reason: ['Count differs: give a reason', 'Type why the count differs from the label and press Enter.'],
};

/** The 18-digit SSCC in what a scanner typed: `(00)…`, `00…` (20 digits), a `]C1` prefix, spaces. */
export function ssccOf(text) {
  let digits = text.trim().replace(/^\]C1/, '').replace(/\s+/g, '');
  if (digits.startsWith('(00)')) digits = digits.slice(4);
  if (/^00\d{18}$/.test(digits)) digits = digits.slice(2);
  return /^\d{18}$/.test(digits) ? digits : null;
}

function beep(ok) {
  try {
    audio = audio || new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = ok ? 880 : 220;
    gain.gain.value = 0.05;
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + (ok ? 0.08 : 0.3));
  } catch { /* no sound: the words say it */ }
}

function feedback(kind, text, details = []) {
  const el = $('feedback');
  el.className = `feedback message ${kind}`;
  el.dataset.kind = kind;
  clear(el).append(h('span', {}, text));
  if (details.length) el.append(h('ul', {}, details.map((d) => h('li', {}, d))));
  if (kind !== 'info') beep(kind === 'ok');
}

function errorText(error) {
  if (error instanceof ApiError && error.network) return ['No connection to the server: nothing was changed. Scan again when the network is back.', []];
  return [error.message, (error.details || []).map((d) => `${d.field}: ${d.message}`)];
}

function remember(text, kind) {
  const list = $('history');
  list.prepend(h('li', { 'data-kind': kind }, `${new Date().toLocaleTimeString()} · ${text}`));
  while (list.children.length > 20) list.lastChild.remove();
}

function setMode(next) {
  mode = next;
  const [label, hint] = PROMPTS[mode];
  $('scan-label').textContent = label;
  $('scan-hint').textContent = mode === 'count' && carton
    ? `Type the number of pieces counted and press Enter; Enter alone confirms the ${number(carton.qty)} on the label.`
    : hint;
  $('reason-field').hidden = mode !== 'reason';
  document.body.dataset.mode = mode;
  const input = mode === 'reason' ? $('reason-input') : $('scan-input');
  input.value = '';
  input.focus();
}

function renderCarton() {
  const box = $('carton');
  const steps = ['receive', 'verify', 'confirm'];
  const reached = { REGISTERED: 0, RECEIVED: 1, VERIFIED: 2, CONFIRMED: 3, SHIPPED: 3, QUARANTINED: 1, SCRAPPED: 1 }[carton?.status] ?? 0;
  for (const li of $('steps').children) {
    const index = steps.indexOf(li.dataset.step);
    li.className = !carton ? '' : index < reached ? 'done' : index === reached && reached < 3 && !['QUARANTINED', 'SCRAPPED'].includes(carton.status) ? 'current' : '';
    li.setAttribute('aria-current', li.className === 'current' ? 'step' : 'false');
  }
  if (!carton) { box.hidden = true; return; }
  box.hidden = false;
  $('carton-sscc').textContent = carton.sscc;
  const status = $('carton-status');
  status.textContent = carton.status;
  status.className = `badge ${carton.status}`;
  status.dataset.status = carton.status;
  $('carton-article').textContent = carton.article_code;
  $('carton-qty').textContent = number(carton.qty);
  $('carton-spk').textContent = `${carton.spk_code}${carton.order_code ? ` / ${carton.order_code}` : ''}`;
  $('carton-location').textContent = carton.location || '—';
  $('carton-confirmed').textContent = carton.confirmed_qty == null ? '—' : number(carton.confirmed_qty);
  $('carton-discrepancy').textContent = carton.discrepancy || '—';
}

/** After any answer: what the carton is, and what comes next. */
function next(message) {
  renderCarton();
  const status = carton.status;
  if (status === 'RECEIVED') {
    feedback('ok', `${message} Now scan the article inside the carton.`);
    setMode('article');
  } else if (status === 'VERIFIED') {
    feedback('ok', `${message} Now count the pieces.`);
    setMode('count');
  } else if (status === 'CONFIRMED') {
    feedback('ok', `${message} ${number(carton.confirmed_qty)} pieces are in ${carton.location}. Scan the next carton.`);
    setMode('carton');
  } else if (status === 'QUARANTINED') {
    feedback('error', `${message} The carton is QUARANTINED in ${carton.location}: ${carton.discrepancy}. Put it aside; scan the next carton.`);
    setMode('carton');
  } else if (status === 'SCRAPPED') {
    feedback('error', `${message} The carton was SCRAPPED by an NCR's decision: ${carton.discrepancy || ''}. Take it off the line; scan the next carton.`);
    setMode('carton');
  } else if (status === 'SHIPPED') {
    feedback('info', `${message} It was shipped${carton.delivery_note ? ` on ${carton.delivery_note}` : ''}. Scan the next carton.`);
    setMode('carton');
  } else {
    feedback('info', message);
    setMode('carton');
  }
  announce($('feedback').textContent);
}

async function step(path, body, done) {
  carton = await api(`/warehouse/finishgood/${path}`, { method: 'POST', body });
  remember(`${carton.sscc} ${carton.status}`, 'ok');
  next(done(carton));
}

async function startCarton(sscc) {
  let found;
  try {
    found = await api(`/warehouse/cartons/${sscc}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      carton = null;
      renderCarton();
      feedback('error', `No carton has the SSCC ${sscc}. Check the label, or ask the packing line whether it was registered.`);
      remember(`${sscc} unknown`, 'error');
      setMode('carton');
      return;
    }
    throw error;
  }
  carton = found;
  if (carton.status === 'REGISTERED') {
    await step('receive', { barcode: sscc }, () => `Received carton ${sscc} (${carton.article_code}, ${number(carton.qty)} pieces).`);
  } else {
    remember(`${sscc} is ${carton.status}`, 'info');
    const already = { RECEIVED: 'already received', VERIFIED: 'already verified', CONFIRMED: 'already confirmed',
                      SHIPPED: 'already shipped', QUARANTINED: 'in quarantine' }[carton.status] || carton.status;
    next(`Carton ${sscc} is ${already}.`);
  }
}

async function handle(raw, reason) {
  const text = raw.trim();
  const sscc = ssccOf(text);
  if (sscc && mode !== 'reason') return startCarton(sscc);
  if (mode === 'carton') {
    if (!text) { feedback('info', 'Scan a carton first.'); return setMode('carton'); }
    feedback('error', `"${text}" is not an SSCC: an SSCC has 18 digits, as printed under the carton's barcode.`);
    return setMode('carton');
  }
  if (mode === 'article') {
    if (!text) { feedback('info', 'Scan the article found inside the carton.'); return setMode('article'); }
    return step('verify', { carton_id: carton.id, article: text },
      (c) => (c.status === 'VERIFIED' ? `Verified: the carton holds ${c.article_code}.` : `Verified against ${text}.`));
  }
  if (mode === 'count') {
    if (text && !/^\d+$/.test(text)) {
      feedback('error', `"${text}" is not a count: type the number of pieces (digits only), or Enter alone for ${number(carton.qty)}.`);
      return setMode('count');
    }
    const counted = text ? Number(text) : carton.qty;
    if (counted !== carton.qty) {
      countedQty = counted;
      feedback('info', `You counted ${number(counted)}, the label says ${number(carton.qty)}.`);
      return setMode('reason');
    }
    return step('confirm', { carton_id: carton.id, qty: counted }, (c) => `Confirmed carton ${c.sscc}.`);
  }
  if (mode === 'reason') {
    if (!reason.trim()) { feedback('error', 'A reason is needed when the count differs from the label.'); return setMode('reason'); }
    return step('confirm', { carton_id: carton.id, qty: countedQty, reason: reason.trim() },
      (c) => `Confirmed carton ${c.sscc} with ${number(c.confirmed_qty)} pieces (label ${number(c.qty)}).`);
  }
  return undefined;
}

function reset() {
  carton = null;
  countedQty = null;
  renderCarton();
  feedback('info', 'Ready: scan a carton.');
  setMode('carton');
}

function start() {
  const form = $('scan-form');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    $('scan-submit').disabled = true;
    const raw = $('scan-input').value;
    const reason = $('reason-input').value;
    try {
      await handle(raw, reason);
    } catch (error) {
      const [message, details] = errorText(error);
      feedback('error', message, details);
      remember(`${carton?.sscc || raw.trim()}: ${message}`, 'error');
      renderCarton();
      setMode(mode);
    } finally {
      busy = false;
      $('scan-submit').disabled = false;
    }
  });
  $('scan-cancel').addEventListener('click', reset);
  document.addEventListener('keydown', (event) => { if (event.key === 'Escape') reset(); });
  reset();
}

requireSignIn({ title: 'the scan page', allowed: WAREHOUSE_ROLES, start });
