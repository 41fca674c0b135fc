'use strict';
// The live dashboard: the migrations (GET /migrations) and one of them in full (GET /migrations/{id}, chosen by the
// page's #id), kept current by the progress stream (GET /migrations/events, server-sent events). An event only says
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

function renderDetail(m) {
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
      el('small', {class: 'muted'}, ' · ' + m.id)),
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
    table('Preflight', ['check', 'severity', 'result', 'reason'], m.preflight.map(c => el('tr', {'data-check': c.id, class: c.outcome},
      el('th', {scope: 'row'}, c.id), el('td', null, c.severity), el('td', null, badge(c.outcome, 'outcome')),
      el('td', null, c.reason))), 'No report yet.'),
    table('History', ['at', 'change', 'by', 'reason'], m.history.map(h => el('tr', null,
      el('td', {class: 'number'}, time(h.at)), el('td', null, (h.from ? h.from + ' → ' : '') + h.to),
      el('td', null, h.actor), el('td', null, h.reason))), 'Nothing yet.'));
}

function show(m) {
  shown = m;
  $('none').hidden = m !== null;
  $('detail').hidden = m === null;
  if (m) renderDetail(m);
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
  const answer = await fetch('migrations/' + encodeURIComponent(selected));
  if (n !== requests.detail) return;
  if (answer.ok) return show(await answer.json());
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
