// The line page, phone first and offline first. Every entry is saved on the phone (IndexedDB) with
// a client_entry_id made here, shown as pending, and sent with the others waiting through
// POST /api/v1/production/mobile/daily-input whenever the network is there; each then shows what
// the server said: recorded, duplicate (it already had it: counted once) or rejected, with the reason.
import { api, ApiError } from './api.js';
import { h, clear, number, showMessage, requireSignIn, announce, LINE_ROLES } from './ui.js';
import { progressBar } from './charts.js';
import * as queue from './queue.js';

const $ = (id) => document.getElementById(id);
const plural = (n, one, many) => `${number(n)} ${n === 1 ? one : many}`;
const OPEN = ['NOT_STARTED', 'IN_PROGRESS', 'ON_HOLD'];
const BATCH = 100;
let user = null;
let spks = [];
let shift = null;
/** Active defect codes by stage (GET /quality/defect-codes), remembered for offline use. */
let defectCodes = {};
let sending = null;
let retryTimer = null;
let retryDelay = 5000;

function setNet(online) {
  const el = $('net');
  el.textContent = online ? 'Online' : 'Offline';
  el.classList.toggle('offline', !online);
  el.dataset.online = String(online);
}

// --- SPKs -------------------------------------------------------------------------------------

async function loadCached() {
  defectCodes = (await queue.getMeta('defect-codes')) || {};
  const cached = await queue.getMeta(`spks:${user.username}`);
  if (cached) {
    spks = cached.spks || [];
    shift = cached.shift || null;
    renderSpks(cached.at);
  }
}

/** The department's open SPKs (GET /production/mobile/sync), remembered for offline use. */
async function syncSpks() {
  try {
    const cursorKey = `cursor:${user.username}`;
    let cursor = await queue.getMeta(cursorKey);
    let byId = new Map(spks.map((spk) => [spk.id, spk]));
    for (let round = 0; round < 10; round += 1) {
      const answer = await api(`/production/mobile/sync${cursor ? `?since=${encodeURIComponent(cursor)}` : ''}`);
      if (answer.full) byId = new Map();
      for (const spk of answer.spks) {
        if (OPEN.includes(spk.status)) byId.set(spk.id, spk); else byId.delete(spk.id);
      }
      shift = answer.current_shift;
      $('spks-dept').textContent = `· ${answer.department}`;
      cursor = answer.cursor;
      if (!answer.has_more) break;
    }
    spks = [...byId.values()].sort((a, b) => a.due_date.localeCompare(b.due_date) || a.code.localeCompare(b.code));
    await syncDefectCodes();
    await queue.setMeta(cursorKey, cursor);
    await queue.setMeta(`spks:${user.username}`, { spks, shift, at: new Date().toISOString() });
    setNet(true);
    showMessage($('line-error'), 'error', null);
    renderSpks();
  } catch (error) {
    if (error instanceof ApiError && error.network) {
      setNet(false);
      renderSpks(null, 'Offline: showing the SPKs as they were when last online.');
    } else {
      showMessage($('line-error'), 'error', error);
    }
  }
}

function renderSpks(asOf, note) {
  $('shift-info').textContent = shift ? `${shift.shift === 'DAY' ? 'Day' : shift.shift === 'NIGHT' ? 'Night' : ''} shift · ${shift.date}` : '';
  $('spks-note').textContent = note || (asOf ? `As of ${new Date(asOf).toLocaleString()}.` : '');
  const box = $('spks');
  // What is being typed survives a refresh of the list (and the focus stays where it was).
  const typed = new Map([...box.querySelectorAll('form:not([hidden])')].map((f) => [f.dataset.spkId,
    Object.fromEntries([...f.elements].filter((e) => e.name).map((e) => [e.name, e.value]))]));
  const focused = document.activeElement?.id;
  clear(box);
  if (!spks.length) box.append(h('p', { class: 'muted' }, 'No open SPKs for your department.'));
  for (const spk of spks) {
    const card = spkCard(spk, typed.has(spk.id));
    for (const [name, value] of Object.entries(typed.get(spk.id) || {})) {
      const input = card.querySelector(`[name="${name}"]`);
      if (input) input.value = value;
    }
    box.append(card);
  }
  if (focused && $(focused)) $(focused).focus();
}

function spkCard(spk, expanded) {
  const formId = `form-${spk.id}`;
  const toggle = h('button', { type: 'button', 'aria-expanded': String(expanded), 'aria-controls': formId, class: 'record-toggle',
                               disabled: spk.status === 'ON_HOLD' },
    spk.status === 'ON_HOLD' ? 'On hold: no input' : 'Record output');
  const form = entryForm(spk, formId);
  form.hidden = !expanded;
  toggle.addEventListener('click', () => {
    form.hidden = !form.hidden;
    toggle.setAttribute('aria-expanded', String(!form.hidden));
    if (!form.hidden) form.querySelector('input[name=qty]').focus();
  });
  return h('section', { class: 'spk', 'data-spk-code': spk.code, 'aria-labelledby': `title-${spk.id}` },
    h('header', {},
      h('h3', { id: `title-${spk.id}`, class: 'code' }, spk.code),
      h('span', { class: `badge ${spk.status}` }, spk.status.replace('_', ' '))),
    h('div', {}, `${spk.article_code} · ${spk.stage} · due ${spk.due_date}`),
    h('div', { class: 'progress' }, progressBar(spk.progress, `${spk.progress}% of the target`)),
    h('div', { class: 'muted' }, `${number(spk.produced_qty)} of ${number(spk.target_qty)} good (${spk.progress}%), ${plural(spk.reject_qty, 'reject', 'rejects')}`,
      typeof spk.available_wip === 'number' ? ` · ${number(spk.available_wip)} available from the previous stage` : ''),
    toggle, form);
}

/** The defect codes rejects are counted by; without the Quality service the form simply has none. */
async function syncDefectCodes() {
  try {
    const byStage = {};
    for (const code of await api('/quality/defect-codes?active=true&per_page=500')) {
      (byStage[code.stage] ||= []).push(code);
    }
    defectCodes = byStage;
    await queue.setMeta('defect-codes', byStage);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;  // offline or no Quality: keep what we had
  }
}

function field(id, label, input, hint) {
  return h('div', { class: 'field' }, h('label', { for: id }, label, hint ? h('span', { class: 'hint' }, ` ${hint}`) : ''),
    input, h('div', { class: 'field-error message error', id: `${id}-error`, hidden: true }));
}

function entryForm(spk, formId) {
  const id = (name) => `${name}-${spk.id}`;
  const date = h('input', { id: id('date'), name: 'date', type: 'date', required: true, value: shift?.date || new Date().toISOString().slice(0, 10),
                            'aria-describedby': `${id('date')}-error` });
  const qty = h('input', { id: id('qty'), name: 'qty', type: 'number', inputmode: 'numeric', min: 0, step: 1, required: true,
                           'aria-describedby': `${id('qty')}-error` });
  const rejects = h('input', { id: id('rejects'), name: 'reject_qty', type: 'number', inputmode: 'numeric', min: 0, step: 1, value: 0,
                               'aria-describedby': `${id('rejects')}-error` });
  const shiftSelect = h('select', { id: id('shift'), name: 'shift' },
    h('option', { value: 'DAY', selected: shift?.shift !== 'NIGHT' }, 'Day'),
    h('option', { value: 'NIGHT', selected: shift?.shift === 'NIGHT' }, 'Night'));
  const operator = h('input', { id: id('operator'), name: 'operator_id', autocomplete: 'off', autocapitalize: 'none',
                                value: user.department ? user.username : '' });
  const notes = h('input', { id: id('notes'), name: 'notes', maxlength: 2000 });
  const save = h('button', { type: 'submit', class: 'primary' }, 'Save');
  // Rejects counted by defect code (their sum is the rejects); offered where the stage has codes.
  const codes = defectCodes[spk.stage] || [];
  const defectInputs = codes.map((code) => [code.code, h('input', {
    id: id(`defect-${code.code}`), name: `defect-${code.code}`, type: 'number', inputmode: 'numeric', min: 0, step: 1, value: 0 })]);
  const defects = codes.length === 0 ? '' : h('fieldset', { class: 'defects', 'aria-describedby': `${id('defects')}-error` },
    h('legend', {}, 'Rejects by defect', h('span', { class: 'hint' }, ' (optional; they add up to the rejects)')),
    ...codes.map((code, index) => field(id(`defect-${code.code}`), `${code.name} (${code.severity.toLowerCase()})`, defectInputs[index][1])),
    h('div', { class: 'field-error message error', id: `${id('defects')}-error`, hidden: true }));
  const form = h('form', { id: formId, 'data-spk-id': spk.id, novalidate: true, 'aria-label': `Output for ${spk.code}` },
    h('div', { class: 'row' }, field(id('qty'), 'Good qty', qty), field(id('rejects'), 'Rejects', rejects)),
    defects,
    h('div', { class: 'row' }, field(id('date'), 'Date', date), field(id('shift'), 'Shift', shiftSelect)),
    field(id('operator'), 'Operator', operator, '(user name; needed where the stage works in shifts)'),
    field(id('notes'), 'Notes', notes, '(optional)'),
    save);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const problems = {};
    const whole = (text) => /^\d+$/.test(String(text).trim());
    if (!date.value) problems.date = 'Enter the date the work was done.';
    if (!whole(qty.value)) problems.qty = 'Enter the good quantity as a whole number (0 or more).';
    if (rejects.value !== '' && !whole(rejects.value)) problems.rejects = 'Enter the rejects as a whole number (0 or more).';
    if (!problems.qty && !problems.rejects && Number(qty.value) === 0 && Number(rejects.value || 0) === 0) {
      problems.qty = 'Good qty and rejects cannot both be 0.';
    }
    const counted = defectInputs.map(([code, input]) => ({ code, qty: Number(input.value || 0), input }))
      .filter((defect) => defect.qty !== 0 || !whole(defect.input.value || 0));
    const defectTotal = counted.reduce((sum, defect) => sum + defect.qty, 0);
    if (counted.some((defect) => !whole(defect.input.value))) {
      problems.defects = 'Count each defect as a whole number (0 or more).';
    } else if (counted.length > 0 && !problems.rejects && defectTotal !== Number(rejects.value || 0)) {
      problems.defects = `The defects add up to ${defectTotal}; the rejects are ${Number(rejects.value || 0)}. Make them equal.`;
    }
    for (const [name, input] of [['date', date], ['qty', qty], ['rejects', rejects], ['defects', defects]]) {
      const box = $(`${id(name)}-error`);
      if (!box) continue;
      if (input?.setAttribute) input.setAttribute('aria-invalid', problems[name] ? 'true' : 'false');
      box.textContent = problems[name] || '';
      box.hidden = !problems[name];
    }
    const first = Object.keys(problems)[0];
    if (first) { (({ date, qty, rejects })[first] || counted[0]?.input || rejects).focus(); return; }

    save.disabled = true;   // one tap, one entry
    const clientEntryId = queue.newEntryId();
    const entry = {
      date: date.value, qty: Number(qty.value), reject_qty: Number(rejects.value || 0), shift: shiftSelect.value,
      client_entry_id: clientEntryId,
    };
    if (counted.length > 0) entry.defects = counted.map(({ code, qty: count }) => ({ code, qty: count }));
    if (operator.value.trim()) entry.operator_id = operator.value.trim();
    if (notes.value.trim()) entry.notes = notes.value.trim();
    try {
      await queue.add({
        client_entry_id: clientEntryId, user: user.username, spk_id: spk.id, spk_code: spk.code, entry,
        state: 'pending', message: '', details: [], created_at: new Date().toISOString(), attempts: 0,
      });
      qty.value = '';
      rejects.value = 0;
      for (const [, input] of defectInputs) input.value = 0;
      notes.value = '';
      announce(`Saved ${entry.qty} good for ${spk.code} on the phone.`);
      await renderEntries();
      sendPending();
    } catch (error) {
      showMessage($('line-error'), 'error', `The phone could not store the entry: ${error.message}`);
    } finally {
      save.disabled = false;
    }
  });
  return form;
}

// --- Entries ----------------------------------------------------------------------------------

const STATE_TEXT = {
  pending: 'Waiting to send', sending: 'Sending…', recorded: 'Recorded', duplicate: 'Already recorded (counted once)', rejected: 'Rejected',
};

async function renderEntries() {
  const entries = await queue.entriesOf(user.username);
  const waiting = entries.filter((e) => e.state === 'pending' || e.state === 'sending').length;
  $('queue-count').textContent = waiting ? `${waiting} ${waiting === 1 ? 'entry' : 'entries'} waiting to be sent.` : 'Nothing waiting to be sent.';
  $('queue-count').dataset.waiting = String(waiting);
  $('send-now').disabled = waiting === 0;
  const list = clear($('entries'));
  if (!entries.length) list.append(h('li', { class: 'muted' }, 'Nothing entered on this phone yet.'));
  for (const e of entries.slice(0, 50)) {
    list.append(h('li', { 'data-entry-id': e.client_entry_id, 'data-state': e.state },
      h('span', {}, h('strong', {}, e.spk_code), ` · ${e.entry.date} · ${number(e.entry.qty)} good, ${plural(e.entry.reject_qty, 'reject', 'rejects')}`),
      h('span', { class: `badge ${e.state}` }, STATE_TEXT[e.state] || e.state),
      e.state === 'rejected' ? h('span', { class: 'why' }, [e.message, ...(e.details || [])].filter(Boolean).join(' — ')) : ''));
  }
}

/** Sends everything waiting, in batches; one run at a time. */
function sendPending() {
  if (sending) return sending;
  sending = (async () => {
    clearTimeout(retryTimer);
    let failedForNow = false;
    let sent = 0;
    for (;;) {
      const waiting = await queue.unsent(user.username);
      if (!waiting.length) break;
      const batch = waiting.slice(0, BATCH);
      for (const e of batch) { e.state = 'sending'; e.attempts += 1; await queue.update(e); }
      await renderEntries();
      let results;
      try {
        results = await api('/production/mobile/daily-input', {
          method: 'POST', body: { entries: batch.map((e) => ({ spk_id: e.spk_id, ...e.entry })) },
        });
        setNet(true);
      } catch (error) {
        const permanent = error instanceof ApiError && [400, 403, 404, 409, 422].includes(error.status);
        for (const e of batch) {
          if (permanent) { e.state = 'rejected'; e.message = error.message; e.details = (error.details || []).map((d) => `${d.field}: ${d.message}`); }
          else e.state = 'pending';
          await queue.update(e);
        }
        if (error instanceof ApiError && error.network) setNet(false);
        else if (!permanent) showMessage($('line-error'), 'error', error);
        failedForNow = !permanent;
        if (failedForNow) break;
        continue;
      }
      sent += batch.length;
      const byId = new Map(results.map((r) => [r.client_entry_id, r]));
      for (const e of batch) {
        const r = byId.get(e.client_entry_id);
        if (!r) { e.state = 'pending'; await queue.update(e); continue; }
        e.state = r.status;
        e.result = r.result || null;
        e.message = r.error?.message || '';
        e.details = (r.error?.details || []).map((d) => `${d.field}: ${d.message}`);
        e.sent_at = new Date().toISOString();
        await queue.update(e);
      }
      showMessage($('line-error'), 'error', null);
      const recorded = results.filter((r) => r.status === 'recorded').length;
      const rejected = results.filter((r) => r.status === 'rejected').length;
      announce(`${recorded} recorded${rejected ? `, ${rejected} rejected` : ''}.`);
    }
    await renderEntries();
    if (failedForNow) {
      retryTimer = setTimeout(sendPending, retryDelay);
      retryDelay = Math.min(60000, retryDelay * 2);
    } else {
      retryDelay = 5000;
      if (sent) await syncSpks();   // the SPKs' progress has moved
    }
  })().finally(() => { sending = null; });
  return sending;
}

async function start(session) {
  user = session.user;
  setNet(navigator.onLine !== false);
  $('send-now').addEventListener('click', () => { retryDelay = 5000; sendPending(); });
  window.addEventListener('online', () => { setNet(true); retryDelay = 5000; sendPending(); syncSpks(); });
  window.addEventListener('offline', () => setNet(false));
  try {
    await queue.open();
  } catch (error) {
    showMessage($('line-error'), 'error', `This browser cannot store entries offline (${error.message}).`);
  }
  await loadCached();
  await renderEntries();
  await queue.prune(user.username);
  syncSpks();
  sendPending();
  if ('serviceWorker' in navigator && window.isSecureContext) {
    navigator.serviceWorker.register('/sw.js').catch(() => {});
  }
}

requireSignIn({ title: 'the line page', allowed: LINE_ROLES, start });
