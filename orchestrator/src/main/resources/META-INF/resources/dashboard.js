'use strict';
// The live dashboard: the migrations (GET /migrations) and one of them in full (GET /migrations/{id}, chosen by the
// page's #id, with its figures over time from GET /migrations/{id}/samples for the charts), kept current by the progress stream (GET /migrations/events, server-sent events). An event only says
// which migration changed; the API says how it stands, so an event missed while reconnecting costs nothing.

const TERMINAL = new Set(['completed', 'aborted', 'failed', 'preflight-failed', 'rolled-back', 'finalized']);
// Abort is possible until traffic reaches the target (the server has the last word).
const ABORTABLE = new Set(['preflight', 'prepare', 'sync', 'verify', 'awaiting-confirmation', 'waiting-for-catch-up', 'paused']);
const ACTIONS = ['confirm', 'pause', 'resume', 'abort', 'rollback', 'finalize'];
const DATA_STEPS = new Set(['sync', 'final-sync', 'rollback']);

const $ = id => document.getElementById(id);
let selected = null; // the id in the page's address
let shown = null;    // its view as last loaded
const live = $('live');

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : value);
  }
  // Text is always set as text: names, reasons and details come from users and services.
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// ------------------------------------------------------------------ formats

const number = n => Number(n).toLocaleString('en');

function bytes(n) {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = Number(n);
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return (i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)) + ' ' + units[i];
}

function millis(ms) {
  if (ms === null || ms === undefined) return '';
  if (ms < 1000) return Math.round(ms) + ' ms';
  const s = ms / 1000;
  if (s < 60) return s.toFixed(s < 10 ? 1 : 0) + ' s';
  const m = Math.floor(s / 60);
  return m < 60 ? m + ' min ' + Math.floor(s % 60) + ' s' : Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
}

const time = iso => iso ? new Date(iso).toLocaleTimeString('en-GB') : '';
const since = (from, to) => millis((to ? Date.parse(to) : Date.now()) - Date.parse(from));

/** A step's figures in words: rows, bytes, lag first, then any other number. */
function figures(f) {
  const parts = [];
  const rest = {...f};
  const take = (...names) => names.map(n => { const v = rest[n]; delete rest[n]; return v; });
  const [tables] = take('tables');
  const [rows, rowsTotal, totalRows] = take('rows', 'rowsTotal', 'totalRows');
  const [size, bytesTotal, totalBytes] = take('bytes', 'bytesTotal', 'totalBytes');
  const [lagBytes, lagMillis] = take('lagBytes', 'lagMillis');
  const [freeze, held, took] = take('freezeMillis', 'heldRequests', 'millis');
  if (tables !== undefined) parts.push(number(tables) + ' tables');
  if (rows !== undefined) parts.push(number(rows) + ((rowsTotal ?? totalRows) ? '/' + number(rowsTotal ?? totalRows) : '') + ' rows');
  if (size !== undefined) parts.push(bytes(size) + ((bytesTotal ?? totalBytes) ? ' of ' + bytes(bytesTotal ?? totalBytes) : ''));
  if (lagBytes !== undefined || lagMillis !== undefined) {
    parts.push('lag ' + [lagBytes !== undefined ? bytes(lagBytes) : null, lagMillis !== undefined ? millis(lagMillis) : null]
      .filter(Boolean).join(' / '));
  }
  if (freeze !== undefined) parts.push('frozen ' + millis(freeze));
  if (held !== undefined) parts.push(number(held) + ' requests held');
  if (took !== undefined) parts.push('in ' + millis(took));
  for (const [name, value] of Object.entries(rest)) parts.push(name + ' ' + number(value));
  return parts.join(' · ');
}

// ------------------------------------------------------------------ rendering

const badge = (text, kind, id) => el('span', {id, class: 'badge ' + kind + ' ' + text}, text);

function renderList(migrations) {
  $('list-empty').hidden = migrations.length > 0;
  $('list').replaceChildren(...migrations.map(m => el('li', null,
    el('a', {href: '#' + m.id, 'data-id': m.id, class: m.id === selected ? 'selected' : null},
      el('span', {class: 'route'}, m.environment, ' → ', m.targetEnvironment, el('small', null, ' on ' + m.targetServer)),
      badge(m.state, 'state'),
      el('small', {class: 'muted'}, time(m.createdAt) + ' · ' + m.strategy)))));
}

/** Progress bars for a data step: rows and bytes against their totals when the step reports them; else one bar. */
function bars(step) {
  const f = step.figures || {};
  const done = step.status === 'completed';
  const measures = [['rows', f.rows, f.rowsTotal ?? f.totalRows], ['bytes', f.bytes, f.bytesTotal ?? f.totalBytes]]
    .filter(([, , total]) => total > 0)
    .map(([name, value, total]) => [name, done ? 1 : Math.min(1, (value || 0) / total)]);
  if (measures.length === 0) {
    const moving = step.status === 'running' || step.status === 'dispatched';
    measures.push(['copy', done ? 1 : moving ? null : 0]);
  }
  return measures.map(([name, ratio]) => {
    const percent = ratio === null ? null : Math.round(ratio * 100);
    return el('div', {class: 'bar' + (percent === null ? ' moving' : ''), role: 'progressbar', 'aria-label': name,
        'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': percent, title: percent === null ? name : name + ' ' + percent + ' %'},
      el('span', {style: percent === null ? null : 'width: ' + percent + '%'}));
  });
}

function stepRow(step) {
  const f = step.figures || {};
  const data = DATA_STEPS.has(step.step) || 'rows' in f || 'bytes' in f || 'lagBytes' in f || 'lagMillis' in f;
  const running = step.durationMs === null && step.startedAt && step.status !== 'pending';
  const duration = step.durationMs !== null ? millis(step.durationMs)
    : running ? el('span', {'data-since': step.startedAt}, since(step.startedAt)) : '';
  const words = figures(f);
  return el('tr', {'data-step': step.step, class: step.status},
    el('th', {scope: 'row'}, step.step),
    el('td', null, badge(step.status, 'status')),
    el('td', {class: 'number'}, duration),
    el('td', null,
      data && step.status !== 'pending' ? bars(step) : null,
      words ? el('div', {class: 'figures'}, words) : null,
      // A finished data step's figures say what its detail says.
      step.detail && !(data && words && step.status === 'completed') ? el('div', {class: 'detail'}, step.detail) : null));
}

function table(caption, head, rows, empty) {
  return el('section', null, el('h3', null, caption), rows.length === 0 ? el('p', {class: 'muted'}, empty)
    : el('table', {class: caption.toLowerCase()},
      el('thead', null, el('tr', null, head.map(h => el('th', {scope: 'col'}, h)))),
      el('tbody', null, rows)));
}

// ------------------------------------------------------------------ charts

const SVG = 'http://www.w3.org/2000/svg';
const CHART = {width: 560, left: 70, right: 10, top: 10, bottom: 24};

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined) node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const clock = ms => time(new Date(ms).toISOString());

/** Lines over time, one per series ({name, points: [[epoch ms, value]]}), on one scale from 0 to the largest value. */
function lineChart(id, title, series, format) {
  const points = series.flatMap(s => s.points);
  if (points.length === 0) return null;
  const {width, left, right, top, bottom} = CHART;
  const height = 150;
  const t0 = Math.min(...points.map(p => p[0]));
  const t1 = Math.max(...points.map(p => p[0]));
  const top0 = Math.max(1, ...points.map(p => p[1]));
  const x = t => left + (t1 === t0 ? 0 : (t - t0) / (t1 - t0)) * (width - left - right);
  const y = v => height - bottom - v / top0 * (height - top - bottom);
  return el('figure', {id, class: 'chart'}, el('figcaption', null, title),
    svg('svg', {viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title},
      svg('line', {class: 'axis', x1: left, y1: height - bottom, x2: width - right, y2: height - bottom}),
      svg('line', {class: 'axis', x1: left, y1: top, x2: left, y2: height - bottom}),
      svg('text', {x: left - 6, y: top + 9, 'text-anchor': 'end'}, format(top0)),
      svg('text', {x: left - 6, y: height - bottom, 'text-anchor': 'end'}, format(0)),
      svg('text', {x: left, y: height - 6}, clock(t0)),
      svg('text', {x: width - right, y: height - 6, 'text-anchor': 'end'}, clock(t1)),
      series.map((s, i) => svg('polyline', {class: 'series s' + (i % 6), 'data-series': s.name, 'data-points': s.points.length,
          points: s.points.map(p => x(p[0]).toFixed(1) + ',' + y(p[1]).toFixed(1)).join(' ')},
        svg('title', null, s.name)))),
    el('div', {class: 'legend'}, series.map((s, i) => el('span', {class: 's' + (i % 6)}, s.name))));
}

/** One line per database or addon: the figure {@code key} of the step's reports over time. */
function perPart(samples, step, key) {
  const parts = new Map();
  for (const s of samples) {
    if (s.step !== step || s.figures[key] === undefined) continue;
    if (!parts.has(s.part)) parts.set(s.part, []);
    parts.get(s.part).push([Date.parse(s.at), s.figures[key]]);
  }
  return [...parts].map(([name, points]) => ({name, points}));
}

/**
 * The first copy: each database's bytes streamed so far, sampled every second while it copies (so its slope is the
 * throughput), from the sync's start; the caption gives the total and its rate over the whole copy.
 */
function copyChart(m, samples) {
  const sync = m.steps.find(s => s.step === 'sync');
  const series = perPart(samples, 'sync', 'copiedBytes');
  if (!sync || !sync.startedAt || series.length === 0) return null;
  const start = Date.parse(sync.startedAt);
  series.forEach(s => s.points.unshift([start, 0]));
  const total = series.reduce((sum, s) => sum + s.points[s.points.length - 1][1], 0);
  const seconds = (Math.max(...series.map(s => s.points[s.points.length - 1][0])) - start) / 1000;
  return lineChart('copy-chart', 'First copy: ' + bytes(total) + ' in ' + millis(seconds * 1000)
    + (seconds > 0 ? ', ' + bytes(total / seconds) + '/s' : ''), series, bytes);
}

const FREEZE_STEPS = ['catch-up', 'freeze', 'final-sync', 'switch-over'];

/**
 * The switch-over as a timeline: the steps from the last catch-up to the release, each where and as long as the
 * orchestrator saw it, with the database fence inside the final sync.
 */
function freezeTimeline(m) {
  const steps = FREEZE_STEPS.map(name => m.steps.find(s => s.step === name))
    .filter(s => s && s.startedAt && s.durationMs !== null);
  if (steps.length === 0) return null;
  const rows = steps.map(s => ({name: s.step, start: Date.parse(s.startedAt), ms: s.durationMs}));
  const finalSync = steps.find(s => s.step === 'final-sync');
  const fence = finalSync && (finalSync.figures || {}).fenceMillis;
  if (fence !== undefined) {
    rows.splice(rows.findIndex(r => r.name === 'final-sync') + 1, 0, {name: 'fence', start: Date.parse(finalSync.startedAt), ms: fence});
  }
  const {width, left, right, top} = CHART;
  const t0 = Math.min(...rows.map(r => r.start));
  const span = Math.max(1, Math.max(...rows.map(r => r.start + r.ms)) - t0);
  const x = t => left + (t - t0) / span * (width - left - right - 60);
  const height = top + rows.length * 22 + 6;
  const switched = (m.steps.find(s => s.step === 'switch-over') || {}).figures || {};
  const title = 'The switch-over' + (switched.freezeMillis !== undefined ? ': writes held ' + millis(switched.freezeMillis) : '')
    + (switched.heldRequests !== undefined ? ', ' + number(switched.heldRequests) + ' requests queued meanwhile' : '');
  return el('figure', {id: 'freeze-timeline', class: 'chart'}, el('figcaption', null, title),
    svg('svg', {viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title},
      rows.map((r, i) => svg('g', {'data-part': r.name, 'data-ms': r.ms},
        svg('text', {x: left - 6, y: top + i * 22 + 12, 'text-anchor': 'end'}, r.name),
        svg('rect', {class: 'span ' + r.name, x: x(r.start).toFixed(1), y: top + i * 22, height: 16,
          width: Math.max(2, x(r.start + r.ms) - x(r.start)).toFixed(1)}),
        svg('text', {x: (x(r.start + r.ms) + 4).toFixed(1), y: top + i * 22 + 12}, millis(r.ms))))));
}

function charts(m, samples) {
  const figures = [
    lineChart('lag-chart', 'Replication lag, target behind the source', perPart(samples, 'sync', 'lagBytes'), bytes),
    copyChart(m, samples),
    freezeTimeline(m),
    lineChart('way-back-chart', 'The way back: source behind the target', perPart(samples, 'complete', 'reverseLagBytes'), bytes),
  ].filter(Boolean);
  return figures.length === 0 ? null : el('section', {class: 'charts'}, el('h3', null, 'Charts'), figures);
}

function renderDetail(m, samples) {
  const freeze = m.steps.map(s => (s.figures || {}).freezeMillis).find(v => v !== undefined);
  const held = m.steps.map(s => (s.figures || {}).heldRequests).find(v => v !== undefined);
  const terminal = TERMINAL.has(m.state);
  $('summary').replaceChildren(
    el('h2', null, m.environment, ' → ', m.targetEnvironment, el('small', null, ' on ' + m.targetServer + ' · ' + m.strategy
      + (m.autoConfirm ? ' · auto-confirm' : ''))),
    el('p', {class: 'facts'},
      badge(m.state, 'state', 'state'), ' ',
      terminal || m.currentStep === m.state ? '' : (m.state === 'awaiting-confirmation' ? 'next step ' : 'step ') + m.currentStep + ' · ',
      'elapsed ', terminal ? since(m.createdAt, m.updatedAt) : el('span', {'data-since': m.createdAt}, since(m.createdAt)),
      el('small', {class: 'muted'}, ' · ' + m.id),
      m.traceUrl ? el('small', null, ' · ', el('a', {href: m.traceUrl, target: '_blank', rel: 'noopener', id: 'trace'}, 'trace')) : ''),
    m.reason ? el('p', {class: 'reason'}, m.reason) : '',
    m.staleSince ? el('p', {class: 'stale'}, 'Waiting for confirmation for a long time (flagged ' + time(m.staleSince) + ').') : '',
    el('div', {class: 'freeze'},
      el('span', null, 'Freeze'),
      el('strong', {id: 'freeze'}, freeze === undefined ? '—' : millis(freeze)),
      el('small', {class: 'muted'}, freeze === undefined ? 'writes held at the switch-over; measured then'
        : 'writes held' + (held === undefined ? '' : ', ' + number(held) + ' requests queued meanwhile'))));
  $('confirm').disabled = m.state !== 'awaiting-confirmation';
  $('abort').disabled = !ABORTABLE.has(m.state);
  $('pause').disabled = !(m.strategy === 'live' && (m.state === 'awaiting-confirmation' || m.state === 'waiting-for-catch-up'));
  $('resume').disabled = m.state !== 'paused';
  $('rollback').disabled = m.state !== 'completed';
  $('finalize').disabled = !(m.state === 'completed' || m.state === 'finalizing');
  $('body').replaceChildren(
    table('Steps', ['step', 'status', 'time', 'progress'], m.steps.map(stepRow), ''),
    charts(m, samples) || '',
    table('Preflight', ['check', 'severity', 'result', 'reason'], m.preflight.map(c => el('tr', {'data-check': c.id, class: c.outcome},
      el('th', {scope: 'row'}, c.id), el('td', null, c.severity), el('td', null, badge(c.outcome, 'outcome')),
      el('td', null, c.reason))), 'No report yet.'),
    table('History', ['at', 'change', 'by', 'reason'], m.history.map(h => el('tr', null,
      el('td', {class: 'number'}, time(h.at)), el('td', null, (h.from ? h.from + ' → ' : '') + h.to),
      el('td', null, h.actor), el('td', null, h.reason))), 'Nothing yet.'));
}

function show(m, samples) {
  shown = m;
  $('none').hidden = m !== null;
  $('detail').hidden = m === null;
  if (m) renderDetail(m, samples || []);
  document.title = m ? 'Cutover · ' + m.environment + ' · ' + m.state : 'Cutover';
}

// ------------------------------------------------------------------ loading

// Each view counts its requests, so that an answer overtaken by a newer request is dropped.
const requests = {list: 0, detail: 0};

async function loadList() {
  const n = ++requests.list;
  const answer = await fetch('migrations');
  if (answer.status === 401 || answer.status === 403) {
    $('none').textContent = 'This dashboard needs a token: open it as …/#token=YOUR_TOKEN (./cutover up prints the link).';
    return;
  }
  if (answer.ok && n === requests.list) renderList(await answer.json());
}

async function loadDetail() {
  const n = ++requests.detail;
  if (!selected) return show(null);
  const url = 'migrations/' + encodeURIComponent(selected);
  const [answer, points] = await Promise.all([fetch(url), fetch(url + '/samples')]);
  if (n !== requests.detail) return;
  if (answer.ok) return show(await answer.json(), points.ok ? await points.json() : []);
  show(null);
  $('none').textContent = answer.status === 404 ? 'No migration ' + selected + '.' : 'Cannot load it: ' + await problem(answer);
}

// A burst of events (a table copied, a step done, the state changed) costs one request per view.
const due = new Set();
function reload(...views) {
  if (due.size === 0) setTimeout(() => {
    const now = [...due];
    due.clear();
    if (now.includes('list')) loadList().catch(() => {});
    if (now.includes('detail')) loadDetail().catch(() => {});
  }, 100);
  views.forEach(v => due.add(v));
}

function follow() {
  const events = new EventSource('migrations/events');
  events.onopen = () => {
    live.className = 'live on';
    live.textContent = 'live';
    // Whatever happened before the stream (re)opened.
    reload('list', 'detail');
  };
  events.onmessage = e => {
    let subject;
    try { subject = JSON.parse(e.data).subject; } catch { return; }
    reload('list');
    if (subject === selected) reload('detail');
  };
  events.onerror = () => {
    live.className = 'live off';
    live.textContent = 'reconnecting…';
    // The browser retries by itself after a dropped connection, but not after an error answer.
    if (events.readyState === EventSource.CLOSED) setTimeout(follow, 3000);
  };
}

// ------------------------------------------------------------------ actions

async function problem(answer) {
  try {
    const p = await answer.json();
    return p.detail || p.title || answer.statusText;
  } catch {
    return answer.status + ' ' + answer.statusText;
  }
}

function say(text, kind) {
  $('message').textContent = text;
  $('message').className = kind || '';
}

async function act(action, done) {
  const id = selected;
  say('');
  ACTIONS.forEach(a => { $(a).disabled = true; });
  try {
    const answer = await fetch('migrations/' + encodeURIComponent(id) + '/' + action, {method: 'POST'});
    if (id !== selected) return;
    if (answer.ok) say(done, 'ok');
    else say('Refused: ' + (await problem(answer)), 'refused');
  } catch (e) {
    say('Cannot reach the orchestrator: ' + e.message, 'refused');
  }
  reload('list', 'detail');
}

$('confirm').addEventListener('click', () => act('confirm', 'Confirmed: the switch-over goes ahead.'));
$('abort').addEventListener('click', () => {
  if (window.confirm('Abort this migration? Every step done is undone and the source keeps serving.')) {
    act('abort', 'Aborting: every step done is being undone.');
  }
});
$('pause').addEventListener('click', () => act('pause', 'Paused: the target applies nothing until resumed.'));
$('resume').addEventListener('click', () => act('resume', 'Resumed: the target catches up.'));
$('rollback').addEventListener('click', () => {
  if (window.confirm('Roll this migration back? Traffic returns to the source, with what the target took since the switch-over.')) {
    act('rollback', 'Rolling back.');
  }
});
$('finalize').addEventListener('click', () => {
  if (window.confirm('Finalize this migration? The source environment is destroyed; it can no longer be rolled back.')) {
    act('finalize', 'Finalizing: the way back, the old address and the source are being removed.');
  }
});

function choose() {
  selected = decodeURIComponent(location.hash.slice(1)) || null;
  say('');
  $('none').textContent = 'Choose a migration.';
  document.querySelectorAll('#list a').forEach(a => a.classList.toggle('selected', a.dataset.id === selected));
  if (!shown || shown.id !== selected) show(null);
  reload('detail');
}

// A token in the address (#token=…, never sent to the server) becomes the cookie every request of the page carries,
// the progress stream's included, and leaves the address.
function takeToken() {
  if (!location.hash.startsWith('#token=')) return false;
  document.cookie = 'cutover_token=' + location.hash.slice('#token='.length) + '; path=/; SameSite=Strict';
  history.replaceState(null, '', location.pathname);
  return true;
}

window.addEventListener('hashchange', () => { if (takeToken()) location.reload(); else choose(); });
takeToken();
// Running times tick without a request.
setInterval(() => document.querySelectorAll('[data-since]').forEach(e => { e.textContent = since(e.dataset.since); }), 1000);
choose();
follow();
