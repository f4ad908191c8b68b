// Charts drawn as SVG from plain numbers. Each chart is an image with a title and description for
// screen readers; the pages also show the same numbers in a table.
import { svg, number } from './ui.js';

/** A round step (1, 2 or 5 × 10ⁿ) so that `ticks` steps reach `value`. */
function niceStep(value, ticks) {
  const raw = Math.max(1, value / ticks);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const step of [1, 2, 5, 10]) {
    if (step * magnitude >= raw) return step * magnitude;
  }
  return 10 * magnitude;
}

/**
 * Target against actual per row, as pairs of bars. rows: [{label, target, actual}].
 * Returns an <svg role="img">.
 */
export function targetActualChart(rows, { title, description, width = 640, height = 260 } = {}) {
  const margin = { top: 24, right: 12, bottom: 34, left: 48 };
  const inner = { width: width - margin.left - margin.right, height: height - margin.top - margin.bottom };
  const step = niceStep(Math.max(1, ...rows.flatMap((row) => [row.target, row.actual])), 4);
  const max = step * 4;
  const y = (value) => margin.top + inner.height - (value / max) * inner.height;
  const band = inner.width / Math.max(1, rows.length);
  const bar = Math.min(36, band * 0.34);
  const id = `chart-${Math.random().toString(36).slice(2, 8)}`;

  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${id}-title ${id}-desc`,
                            preserveAspectRatio: 'xMidYMid meet' },
    svg('title', { id: `${id}-title` }, title || 'Target and actual'),
    svg('desc', { id: `${id}-desc` }, description || rows.map((r) => `${r.label}: target ${r.target}, actual ${r.actual}`).join('; ')));

  for (let i = 0; i <= 4; i += 1) {
    const value = step * i;
    root.append(
      svg('line', { class: 'grid-line', x1: margin.left, x2: width - margin.right, y1: y(value), y2: y(value) }),
      svg('text', { x: margin.left - 6, y: y(value) + 4, 'text-anchor': 'end' }, number(value)));
  }
  rows.forEach((row, index) => {
    const center = margin.left + band * index + band / 2;
    const pairs = [['target', row.target, center - bar - 2], ['actual', row.actual, center + 2]];
    for (const [kind, value, x] of pairs) {
      const top = y(Math.max(0, value));
      root.append(svg('rect', { class: `bar-${kind}`, x, y: top, width: bar, height: Math.max(0, margin.top + inner.height - top),
                                'data-stage': row.label, 'data-kind': kind, 'data-value': value }));
      root.append(svg('text', { class: 'value', x: x + bar / 2, y: top - 4, 'text-anchor': 'middle' }, number(value)));
    }
    root.append(svg('text', { x: center, y: height - 12, 'text-anchor': 'middle' }, row.label));
  });
  root.append(svg('line', { class: 'axis', x1: margin.left, x2: width - margin.right, y1: y(0), y2: y(0) }));
  return root;
}

/** One horizontal bar split by health (on track / at risk / off track). */
export function healthBar({ on_track: ok = 0, at_risk: warn = 0, off_track: bad = 0 }) {
  const total = ok + warn + bad;
  const root = svg('svg', { viewBox: '0 0 100 6', preserveAspectRatio: 'none', role: 'img',
                            'aria-label': `On track ${ok}, at risk ${warn}, off track ${bad}` });
  if (total === 0) {
    root.append(svg('rect', { x: 0, y: 0, width: 100, height: 6, fill: '#e7e9ee' }));
    return root;
  }
  let x = 0;
  for (const [count, cls] of [[ok, 'seg-ok'], [warn, 'seg-warn'], [bad, 'seg-bad']]) {
    const w = (count / total) * 100;
    if (w > 0) root.append(svg('rect', { class: cls, x, y: 0, width: w, height: 6 }));
    x += w;
  }
  return root;
}

/** A thin progress bar (0–100%). */
export function progressBar(percent, label) {
  const value = Math.max(0, Math.min(100, Number(percent) || 0));
  return svg('svg', { viewBox: '0 0 100 10', preserveAspectRatio: 'none', role: 'img', 'aria-label': label || `${value}%` },
    svg('rect', { class: 'fill', x: 0, y: 0, width: value, height: 10 }));
}
