// The PPIC board: health, the daily summary as target-against-actual bars, the on-track list
// (filters, paging, worst first), top alerts and pending approvals. It re-reads PPIC's figures when
// the gateway pushes a change (GET /api/v1/ppic/stream), never on a timer of its own.
import { api, ApiError } from './api.js';
import { openStream } from './stream.js';
import { h, clear, number, showMessage, requireSignIn, announce, PPIC_READERS, STAGES } from './ui.js';
import { targetActualChart, healthBar } from './charts.js';

const $ = (id) => document.getElementById(id);
const PER_PAGE = 10;
const view = { page: 1, stage: '', health: '', date: '' };
let running = null;      // the refresh in flight
let again = false;       // another push came while it ran
let settleTimer = null;
let shownUpdatedAt = null;   // the dashboard's updated_at now on screen
let waitingFor = null;       // {since, tries}: a push about an SPK that PPIC may not have applied yet

function setNumber(id, value, { signed = false } = {}) {
  const el = $(id);
  const text = typeof value === 'number' ? `${signed && value > 0 ? '+' : ''}${number(value)}` : '–';
  if (el.textContent !== text) {
    const changed = el.dataset.value !== undefined;   // the first figures are not news
    el.textContent = text;
    el.dataset.value = String(value);
    if (changed) {
      el.classList.remove('flash');
      void el.offsetWidth;   // restart the highlight
      el.classList.add('flash');
    }
  }
}

function renderDashboard(d) {
  setNumber('health-on-track', d.health.on_track);
  setNumber('health-at-risk', d.health.at_risk);
  setNumber('health-off-track', d.health.off_track);
  setNumber('spks-total', d.total_spks);
  setNumber('spks-in-progress', d.in_progress);
  setNumber('spks-delayed', d.delayed);
  setNumber('spks-on-hold', d.on_hold);
  setNumber('approvals-pending', d.pending_approvals);
  clear($('health-bar')).append(healthBar(d.health));
  $('updated-at').textContent = d.updated_at ? `· as of ${new Date(d.updated_at).toLocaleString()}` : '';

  const alerts = clear($('alerts'));
  if (!d.top_alerts.length) alerts.append(h('li', { class: 'muted' }, 'No alerts.'));
  for (const alert of d.top_alerts) {
    alerts.append(h('li', {},
      h('span', { class: `badge ${alert.severity}` }, alert.severity), ' ',
      h('strong', {}, alert.type.replaceAll('_', ' ').toLowerCase()), ' ',
      alert.spk ? h('span', {}, `${alert.spk}${alert.stage ? ` (${alert.stage})` : ''}`) : '',
      h('div', {}, alert.message),
      h('div', { class: 'muted' }, `since ${alert.since}`)));
  }
  $('approvals-summary').textContent = d.pending_approvals
    ? `${number(d.pending_approvals)} waiting in the factory, ${number(d.approvals_waiting_too_long)} of them longer than the warning time.`
    : 'None waiting.';
}

function renderSummary(s) {
  if (!view.date) $('daily-date').value = s.date;
  setNumber('daily-target', s.target);
  setNumber('daily-actual', s.actual);
  setNumber('daily-variance', s.variance, { signed: true });
  const rows = s.by_stage.map((row) => ({ label: row.stage, target: row.target, actual: row.actual }));
  clear($('daily-chart')).append(targetActualChart(rows, {
    title: `Target and actual on ${s.date}`,
    description: `Factory: target ${s.target}, actual ${s.actual}. ` + rows.map((r) => `${r.label}: target ${r.target}, actual ${r.actual}`).join('; '),
  }));
  const body = clear($('daily-table').tBodies[0]);
  for (const row of s.by_stage) {
    body.append(h('tr', { 'data-stage': row.stage },
      h('th', { scope: 'row' }, row.stage),
      h('td', { class: 'num target' }, number(row.target)),
      h('td', { class: 'num actual' }, number(row.actual)),
      h('td', { class: 'num variance' }, `${row.variance > 0 ? '+' : ''}${number(row.variance)}`)));
  }
}

function renderOnTrack({ data, meta }) {
  $('ontrack-counts').textContent = `${number(data.off_track)} off track, ${number(data.at_risk)} at risk, ${number(data.on_track)} on track`;
  const body = clear($('ontrack-table').tBodies[0]);
  if (!data.details.length) {
    body.append(h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No unfinished SPK matches these filters.')));
  }
  for (const row of data.details) {
    body.append(h('tr', { 'data-spk': row.spk },
      h('th', { scope: 'row' }, row.spk),
      h('td', {}, row.stage),
      h('td', {}, h('span', { class: `badge ${row.health}` }, row.health.replace('_', ' '))),
      h('td', { class: 'num' }, number(row.planned)),
      h('td', { class: 'num' }, number(row.actual)),
      h('td', { class: 'optional' }, row.due_date),
      h('td', { class: 'optional' }, row.reason)));
  }
  const pages = Math.max(1, Math.ceil(meta.total / meta.per_page));
  $('page-info').textContent = `Page ${meta.page} of ${pages} (${number(meta.total)} SPKs)`;
  $('page-prev').disabled = meta.page <= 1;
  $('page-next').disabled = meta.page >= pages;
}

/** The requests waiting for the signed-in user's own decision (the API's pending list is per approver). */
function renderApprovals(page) {
  const list = clear($('approvals'));
  if (page.length) list.append(h('li', { class: 'muted' }, 'Waiting for your decision:'));
  for (const request of page.slice(0, 8)) {
    list.append(h('li', {},
      h('strong', {}, request.mod_id || request.code), ' ',
      h('span', {}, `${request.kind ? request.kind.replaceAll('_', ' ').toLowerCase() : ''}${request.spk_code ? ` · ${request.spk_code}` : ''}`),
      request.requested_by ? h('span', { class: 'muted' }, ` by ${request.requested_by}`) : '',
      h('div', { class: 'muted' }, `${request.reason || ''}${typeof request.age_minutes === 'number' ? ` · waiting ${request.age_minutes} min` : ''}`)));
  }
}

async function load() {
  const onTrackQuery = new URLSearchParams({ page: view.page, per_page: PER_PAGE });
  if (view.stage) onTrackQuery.set('stage', view.stage);
  if (view.health) onTrackQuery.set('health', view.health);
  const summaryQuery = view.date ? `?date=${view.date}` : '';
  const [dashboard, summary, onTrack, approvals] = await Promise.allSettled([
    api('/ppic/dashboard'),
    api(`/ppic/reports/daily-summary${summaryQuery}`),
    api(`/ppic/reports/on-track-status?${onTrackQuery}`, { withMeta: true }),
    api('/production/approvals/pending?per_page=8'),
  ]);
  const failed = [dashboard, summary, onTrack].find((result) => result.status === 'rejected');
  if (dashboard.status === 'fulfilled') {
    renderDashboard(dashboard.value);
    shownUpdatedAt = dashboard.value.updated_at;
  }
  // PPIC applies the same events the push came from: until its SPKs show the change, look again soon.
  if (waitingFor) {
    if (shownUpdatedAt !== waitingFor.since || waitingFor.tries >= 8) waitingFor = null;
    else { waitingFor.tries += 1; setTimeout(refresh, 200); }
  }
  if (summary.status === 'fulfilled') renderSummary(summary.value);
  if (onTrack.status === 'fulfilled') renderOnTrack(onTrack.value);
  if (approvals.status === 'fulfilled') renderApprovals(approvals.value);
  showMessage($('board-error'), 'error', failed ? failed.reason : null);
  document.body.dataset.loadedAt = String(Date.now());
}

/** One refresh at a time; a push during one makes one more afterwards. */
function refresh() {
  if (running) { again = true; return running; }
  running = load().catch((error) => showMessage($('board-error'), 'error', error)).finally(() => {
    running = null;
    if (again) { again = false; refresh(); }
  });
  return running;
}

function onPush(name, data) {
  if (name !== 'change' && name !== 'ready') return;
  if (name === 'change' && (data?.types || []).some((type) => type.startsWith('production.'))) {
    waitingFor = { since: shownUpdatedAt, tries: 0 };
  }
  refresh();
  // PPIC may still be applying the last events of a burst: one more look when things settle.
  clearTimeout(settleTimer);
  settleTimer = setTimeout(refresh, 1500);
}

const LIVE_TEXT = { live: 'Live', connecting: 'Connecting…', wait: 'Reconnecting…', off: 'Not connected' };
function onState(state) {
  const el = $('live');
  el.dataset.state = state;
  el.className = `live ${state === 'live' ? 'on' : state === 'off' ? 'off' : 'wait'}`;
  el.textContent = LIVE_TEXT[state] || state;
  if (state === 'live') announce('The board is live.');
}

function start() {
  $('live').hidden = false;
  const stageSelect = $('filter-stage');
  for (const stage of STAGES) stageSelect.append(h('option', { value: stage }, stage));
  stageSelect.addEventListener('change', () => { view.stage = stageSelect.value; view.page = 1; refresh(); });
  $('filter-health').addEventListener('change', (e) => { view.health = e.target.value; view.page = 1; refresh(); });
  $('ontrack-filters').addEventListener('submit', (e) => e.preventDefault());
  $('page-prev').addEventListener('click', () => { view.page = Math.max(1, view.page - 1); refresh(); });
  $('page-next').addEventListener('click', () => { view.page += 1; refresh(); });
  $('daily-date').addEventListener('change', (e) => { view.date = e.target.value; refresh(); });
  refresh();
  openStream({ path: '/api/v1/ppic/stream', onEvent: onPush, onState });
}

requireSignIn({ title: 'the PPIC board', allowed: PPIC_READERS, start });
export { ApiError };
