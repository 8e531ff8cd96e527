// The dashboard page: installed tasks with switch, uninstall and install, live figures from
// /metrics, update and health status; the live view of the sources is in live.js.
import { Api, ApiError, parsePrometheus, select, buckets, bucketDelta, quantile } from './api.js';
import { el, figures, ms, bytes, duration } from './dom.js';
import { LiveView } from './live.js';

const $ = (id) => document.getElementById(id);

const api = new Api(askToken);
let tasks = { active: '', tasks: [] };
let scrape = null; // {at, samples} of the newest /metrics
let previous = null;

/** Shows the token dialog and resolves to the token typed. */
function askToken(message) {
  return new Promise((resolve) => {
    const dialog = $('token-dialog');
    $('token-message').textContent = message;
    $('token-input').value = '';
    const form = $('token-form');
    form.addEventListener(
      'submit',
      (event) => {
        event.preventDefault();
        const token = $('token-input').value.trim();
        dialog.close();
        resolve(token);
      },
      { once: true });
    if (!dialog.open) {
      dialog.showModal();
    }
  });
}

function status(node, text, error = false) {
  node.textContent = text;
  node.classList.toggle('error', error);
}

function describe(e) {
  return e instanceof ApiError ? e.message : 'the daemon cannot be reached (' + e.message + ')';
}

// ---- tasks ----

async function refreshTasks() {
  try {
    tasks = await api.json('/v1/tasks');
    renderTasks();
  } catch (e) {
    status($('action-status'), 'Cannot list the tasks: ' + describe(e), true);
  }
}

function taskLatency(name) {
  if (!scrape) {
    return { count: NaN, p50: NaN };
  }
  const labels = { task: name };
  const now = buckets(scrape.samples, 'promptedge_inference_latency_seconds', labels);
  const before = previous
    ? buckets(previous.samples, 'promptedge_inference_latency_seconds', labels)
    : [];
  const window = bucketDelta(now, before);
  const recent = window.length > 0 && window[window.length - 1].count > 0;
  return {
    count: now.length > 0 ? now[now.length - 1].count : 0,
    p50: quantile(recent ? window : now, 0.5),
  };
}

let shownTasks = '';

/** Renders the task table, unless it would show what it shows already (a click keeps its row). */
function renderTasks() {
  const body = $('tasks').querySelector('tbody');
  const list = tasks.tasks || [];
  const latencies = list.map((t) => taskLatency(t.name));
  const signature = JSON.stringify([tasks, latencies.map((l) => [l.count, ms(l.p50)])]);
  if (signature === shownTasks) {
    return;
  }
  shownTasks = signature;
  $('tasks-empty').hidden = list.length > 0;
  body.replaceChildren(
    ...list.map((t, i) => {
      const active = t.name === tasks.active;
      const latency = latencies[i];
      const all = Object.entries(t.metrics || {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => k + ' ' + (Number.isInteger(v) ? String(v) : Number(v).toFixed(3)));
      // The validation figures first; every metric of the bundle is in the tooltip.
      const validation = all.filter((m) => m.startsWith('val_'));
      const metrics = (validation.length > 0 ? validation : all).join(', ');
      return el(
        'tr',
        { class: active ? 'active' : '', dataset: { task: t.name } },
        el('td', { class: 'name' }, t.name, active ? el('span', { class: 'badge', text: 'active' }) : null),
        el('td', { text: (t.task || '').toLowerCase() }),
        el('td', { class: 'version', text: 'v' + t.version }),
        el('td', { text: bytes(t.sizeBytes) + (t.resident ? '' : ' (not resident)') }),
        el('td', { class: 'metrics', text: metrics || '–', title: all.join('\n') }),
        el('td', { class: 'requests', text: Number.isNaN(latency.count) ? '–' : String(latency.count) }),
        el('td', { class: 'latency', text: ms(latency.p50) }),
        el(
          'td',
          { class: 'actions' },
          el('button', {
            class: 'switch',
            type: 'button',
            text: 'Switch',
            disabled: active,
            title: 'make ' + t.name + ' the active task',
            onclick: () => activate(t.name),
          }),
          el('button', {
            class: 'uninstall danger',
            type: 'button',
            text: 'Uninstall',
            title: 'remove ' + t.name + ' from the daemon',
            onclick: () => uninstall(t.name),
          })));
    }));
}

async function activate(name) {
  status($('action-status'), 'Switching to ' + name + '…');
  try {
    tasks = await api.json('/v1/tasks/active', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    renderTasks();
    status($('action-status'), name + ' is the active task.');
  } catch (e) {
    status($('action-status'), 'Switch to ' + name + ' failed: ' + describe(e), true);
  }
  refreshHealth();
}

async function uninstall(name) {
  if (!window.confirm('Uninstall ' + name + ' from the daemon?')) {
    return;
  }
  try {
    await api.json('/v1/bundles/' + encodeURIComponent(name), { method: 'DELETE' });
    status($('action-status'), name + ' was uninstalled.');
  } catch (e) {
    status($('action-status'), 'Uninstall of ' + name + ' failed: ' + describe(e), true);
  }
  await refreshTasks();
  refreshHealth();
}

async function install(event) {
  event.preventDefault();
  const file = $('bundle-file').files[0];
  if (!file) {
    status($('install-status'), 'Choose a .bundle file first.', true);
    return;
  }
  status($('install-status'), 'Installing ' + file.name + '…');
  try {
    const r = await api.json('/v1/bundles', {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: file,
    });
    status(
      $('install-status'),
      (r.unchanged ? 'Already installed: ' : 'Installed ') + r.name + ' v' + r.version +
        (r.active ? ' (active)' : '') + '.');
    $('bundle-file').value = '';
  } catch (e) {
    status($('install-status'), file.name + ' was refused: ' + describe(e), true);
  }
  await refreshTasks();
  refreshHealth();
}

// ---- health and updates ----

let health = null;

async function refreshHealth() {
  const pill = $('health');
  try {
    health = await api.json('/v1/health');
    pill.textContent = health.status;
    pill.className = 'pill ' + (health.status === 'ok' ? 'ok' : 'warn');
    $('backbone').textContent = 'backbone ' + health.backbone;
    $('uptime').textContent = 'up ' + duration(health.uptimeSeconds);
  } catch (e) {
    pill.textContent = 'unreachable';
    pill.className = 'pill bad';
    pill.title = describe(e);
  }
  renderUpdates();
}

function renderUpdates() {
  const pairs = [];
  if (health) {
    pairs.push(['Last install or update', health.lastUpdate || 'none since start', 'upd-last']);
    pairs.push(['On trial', (health.trialsPending || []).join(', ') || 'none', 'upd-trials']);
    pairs.push(['Quarantined bundles', String((health.quarantinedSha256 || []).length)]);
    for (const event of health.storeEvents || []) {
      pairs.push(['Store check', event]);
    }
  }
  if (scrape) {
    const value = (name) => select(scrape.samples, name).reduce((a, s) => a + s.value, 0);
    if (select(scrape.samples, 'promptedge_update_checks_total').length > 0) {
      pairs.push(['Update checks', String(value('promptedge_update_checks_total'))]);
      pairs.push(['Installed over the air', String(value('promptedge_update_installs_total'))]);
      const refusals = select(scrape.samples, 'promptedge_update_rejections_total')
        .map((s) => s.labels.reason + ' ' + s.value)
        .join(', ');
      pairs.push(['Update refusals', refusals || 'none']);
    } else {
      pairs.push(['Over-the-air updates', 'off (no updates.channel_url)']);
    }
  }
  figures($('updates'), pairs);
}

// ---- live figures ----

function merged(samples, name) {
  const sums = new Map();
  for (const s of select(samples, name + '_bucket')) {
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    sums.set(le, (sums.get(le) || 0) + s.value);
  }
  return [...sums].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
}

async function refreshMetrics() {
  try {
    const text = await api.text('/metrics');
    previous = scrape;
    scrape = { at: performance.now(), samples: parsePrometheus(text) };
  } catch (e) {
    figures($('figures'), [['/metrics', describe(e)]]);
    return;
  }
  const s = scrape.samples;
  const one = (name) => (select(s, name)[0] || { value: NaN }).value;
  const seconds = previous ? (scrape.at - previous.at) / 1000 : NaN;
  const rate = (name) =>
    previous ? (one(name) - (select(previous.samples, name)[0] || { value: 0 }).value) / seconds : NaN;
  const all = merged(s, 'promptedge_inference_latency_seconds');
  const window = bucketDelta(all, previous ? merged(previous.samples, 'promptedge_inference_latency_seconds') : []);
  const inWindow = window.length > 0 ? window[window.length - 1].count : 0;
  const batches = rate('promptedge_backbone_batches_total');
  const batched = rate('promptedge_batched_requests_total');
  const pairs = [
    ['Queue depth', String(one('promptedge_queue_depth')), 'fig-queue'],
    ['API requests / s', Number.isFinite(seconds) ? (inWindow / seconds).toFixed(1) : '–', 'fig-rate'],
    ['API latency p50 (last 2 s)', inWindow > 0 ? ms(quantile(window, 0.5)) : 'idle', 'fig-p50'],
    ['API latency p95 (last 2 s)', inWindow > 0 ? ms(quantile(window, 0.95)) : 'idle', 'fig-p95'],
    ['API latency p50 (since start)', ms(quantile(all, 0.5)), 'fig-p50-all'],
    ['Backbone calls / s', Number.isFinite(batches) ? batches.toFixed(1) : '–'],
    ['Mean batch', batches > 0 ? (batched / batches).toFixed(2) : '–'],
    ['Resident bundles', String(one('promptedge_resident_bundles'))],
    ['API errors', String(select(s, 'promptedge_api_errors_total').reduce((a, x) => a + x.value, 0))],
  ];
  const sources = new Set(select(s, 'promptedge_source_latency_seconds_count').map((x) => x.labels.source));
  for (const source of sources) {
    const b = buckets(s, 'promptedge_source_latency_seconds', { source });
    pairs.push(['Frame to result p50, ' + source, ms(quantile(b, 0.5))]);
  }
  figures($('figures'), pairs);
  renderTasks();
  renderUpdates();
}

// ---- start ----

/** Runs fn now and every period ms, skipping a tick while the previous run is still going. */
function every(period, fn) {
  let busy = false;
  const tick = async () => {
    if (busy) {
      return;
    }
    busy = true;
    try {
      await fn();
    } finally {
      busy = false;
    }
  };
  tick();
  setInterval(tick, period);
}

$('install-form').addEventListener('submit', install);
$('token-dialog').addEventListener('cancel', (e) => e.preventDefault());
every(5000, refreshTasks);
every(5000, refreshHealth);
every(2000, refreshMetrics);
new LiveView(api, $('sources'), $('events-status')).start();
