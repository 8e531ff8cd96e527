// The live view: one card per source (GET /v1/sources) with its newest frame
// (GET /v1/sources/NAME/snapshot.jpg) on a canvas, the boxes and masks of the newest frame event
// (GET /v1/events, Server-Sent Events) drawn over it, and the detections listed below. Each part
// degrades on its own: without /v1/sources the page says so and asks again later; without
// snapshots the results are drawn on a blank frame; without events the snapshots are polled.
import { ApiError, readEvents } from './api.js';
import { el, classColour, ms } from './dom.js';

const SOURCES_EVERY_MS = 5000;
const MISSING_RETRY_MS = 15000;
const SNAPSHOT_POLL_MS = 1000;
const SNAPSHOT_MIN_MS = 200;
// The daemon draws the results into its snapshots, so the page draws the event's boxes and masks
// only on the blank frame it shows when a daemon serves no snapshots.
const DRAW_ON_SNAPSHOT = false;

export class LiveView {
  constructor(api, container, statusLine) {
    this.api = api;
    this.container = container;
    this.statusLine = statusLine;
    this.cards = new Map(); // source name -> card
    this.sourcesServed = null; // null: not asked yet
    this.eventsOpen = false;
  }

  start() {
    this.refreshSources();
    this.streamEvents(1000);
    setInterval(() => this.pollSnapshots(), SNAPSHOT_POLL_MS);
  }

  async refreshSources() {
    let delay = SOURCES_EVERY_MS;
    try {
      const list = await this.api.json('/v1/sources');
      this.sourcesServed = true;
      this.show(list.sources || []);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        this.sourcesServed = false;
        delay = MISSING_RETRY_MS;
        this.show([]);
      } else {
        this.say('Cannot list the sources: ' + e.message + '; asking again in 5 s.', true);
      }
    }
    setTimeout(() => this.refreshSources(), delay);
  }

  /** Shows the listed sources; cards of unlisted ones go, unless the daemon lists none at all. */
  show(sources) {
    if (this.sourcesServed) {
      const names = new Set(sources.map((s) => s.name));
      for (const [name, card] of this.cards) {
        if (!names.has(name)) {
          card.root.remove();
          this.cards.delete(name);
        }
      }
    }
    for (const info of sources) {
      this.card(info.name).info(info);
    }
    if (this.cards.size === 0) {
      this.container.replaceChildren(
        el('p', {
          class: 'muted no-sources',
          text: this.sourcesServed === false
            ? 'No sources: this daemon does not serve /v1/sources (asking again every 15 s).'
            : 'No sources: add one under sources { } in the profile or with PUT /v1/sources/NAME.',
        }));
    }
    this.updateStatus();
  }

  card(name) {
    let card = this.cards.get(name);
    if (!card) {
      card = new SourceCard(this.api, name);
      this.cards.set(name, card);
      this.container.querySelector('.no-sources')?.remove();
      this.container.append(card.root);
    }
    return card;
  }

  async streamEvents(retryMs) {
    let next = retryMs;
    try {
      await readEvents(this.api, '/v1/events?masks=1', {
        onOpen: () => {
          this.eventsOpen = true;
          next = 1000;
          this.updateStatus();
        },
        onEvent: (type, data) => {
          if (type === 'frame') {
            const event = JSON.parse(data);
            this.card(event.source).frame(event);
          }
        },
      });
      this.eventsMessage = 'The event stream ended; reconnecting.';
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        next = MISSING_RETRY_MS;
        this.eventsMessage = 'Live events unavailable: this daemon does not serve /v1/events (asking again every 15 s).';
      } else {
        next = Math.min(retryMs * 2, 30000);
        this.eventsMessage = 'Event stream lost (' + e.message + '); reconnecting in ' + Math.round(next / 1000) + ' s.';
      }
    }
    this.eventsOpen = false;
    this.updateStatus();
    setTimeout(() => this.streamEvents(next), next);
  }

  /** Without an event stream, each card asks for its snapshot once a second. */
  pollSnapshots() {
    if (!this.eventsOpen) {
      for (const card of this.cards.values()) {
        card.refreshSnapshot();
      }
    }
  }

  updateStatus() {
    if (this.eventsOpen) {
      this.say('Live: one event per frame and source from /v1/events.');
    } else {
      this.say(this.eventsMessage || 'Connecting to /v1/events…');
    }
  }

  say(text, error = false) {
    this.statusLine.textContent = text;
    this.statusLine.classList.toggle('error', error);
  }
}

/** One source's card: state, canvas with the newest frame and results, and the results listed. */
class SourceCard {
  constructor(api, name) {
    this.api = api;
    this.name = name;
    this.event = null;
    this.frameImage = null; // ImageBitmap of the newest snapshot
    this.snapshotsServed = true;
    this.loading = false;
    this.lastSnapshot = 0;
    this.masks = new Map(); // task -> {event sequence, ImageBitmap}
    this.state = el('span', { class: 'pill state', text: '…' });
    this.canvas = el('canvas', { width: 320, height: 240 });
    this.meta = el('div', { class: 'meta muted' });
    this.results = el('ul', { class: 'results' });
    this.root = el(
      'div',
      { class: 'source', dataset: { source: name } },
      el('h3', {}, el('span', { text: name }), this.state),
      this.canvas,
      this.meta,
      this.results);
  }

  info(info) {
    this.state.textContent = (info.state || '').toLowerCase();
    this.state.className = 'pill state ' + (info.state === 'CONNECTED' ? 'ok' : 'warn');
    this.meta.textContent = [
      info.url,
      info.fps > 0 ? info.fps + ' fps max' : null,
      info.framesIn + ' frames in, ' + info.framesInferred + ' inferred, ' + info.framesDropped + ' dropped',
      Number(info.reconnects) > 0 ? info.reconnects + ' reconnects' : null,
      info.lastError ? 'last error: ' + info.lastError : null,
    ].filter(Boolean).join(' · ');
  }

  async frame(event) {
    this.event = event;
    this.listResults(event);
    await this.decodeMasks(event);
    this.draw();
    this.refreshSnapshot();
  }

  listResults(event) {
    const items = [];
    for (const r of event.results || []) {
      const head = r.bundleName + ' v' + r.bundleVersion + ' · ' + ms(Number(r.timings?.totalUs || 0) / 1e6);
      let what = '';
      if ((r.detections || []).length > 0 || r.task === 'DETECTION') {
        const found = (r.detections || []).map((d) => d.label + ' ' + Number(d.score).toFixed(2));
        what = found.length + ' objects' + (found.length ? ': ' + found.join(', ') : '');
      } else if (r.segmentation) {
        const pixels = r.segmentation.classPixels || [];
        const labels = r.segmentation.labels || [];
        what = pixels
          .map((n, i) => ({ n: Number(n), label: labels[i] || 'class ' + i }))
          .filter((c, i) => c.n > 0 && !(i === 0 && isBackground(c.label)))
          .sort((a, b) => b.n - a.n)
          .map((c) => c.label + ' ' + c.n + ' px')
          .join(', ');
      } else if ((r.classes || []).length > 0) {
        what = r.classes.map((c) => c.label + ' ' + Number(c.probability).toFixed(2)).join(', ');
      }
      items.push(el('li', { dataset: { bundle: r.bundleName } }, el('strong', { text: head }), ' ' + what));
    }
    items.push(el('li', {
      class: 'muted',
      text: 'frame ' + event.sequence + ', ' + (event.droppedFrames || 0) + ' dropped' +
        (Number(event.skippedEvents) > 0 ? ', ' + event.skippedEvents + ' events skipped' : ''),
    }));
    this.results.replaceChildren(...items);
  }

  async refreshSnapshot() {
    const now = performance.now();
    if (!this.snapshotsServed || this.loading || now - this.lastSnapshot < SNAPSHOT_MIN_MS) {
      return;
    }
    this.loading = true;
    this.lastSnapshot = now;
    try {
      const response = await this.api.fetch(
        '/v1/sources/' + encodeURIComponent(this.name) + '/snapshot.jpg', { cache: 'no-store' });
      if (response.status === 404) {
        // no_frame_yet or unknown_source: ask again later; not_found: this daemon serves no
        // snapshots, so the results are drawn on a blank frame from now on.
        const code = await response.json().then((e) => e.code, () => '');
        this.snapshotsServed = code !== 'not_found';
      } else if (response.ok) {
        const bitmap = await createImageBitmap(await response.blob());
        this.frameImage?.close();
        this.frameImage = bitmap;
        this.draw();
      }
    } catch (e) {
      // a frame that fails to load is skipped; the next event asks again
    } finally {
      this.loading = false;
    }
  }

  async decodeMasks(event) {
    for (const r of event.results || []) {
      const png = r.segmentation?.maskPng;
      if (!png) {
        continue;
      }
      const raw = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
      const grey = await createImageBitmap(new Blob([raw], { type: 'image/png' }), {
        colorSpaceConversion: 'none',
        premultiplyAlpha: 'none',
      });
      const work = new OffscreenCanvas(grey.width, grey.height);
      const g = work.getContext('2d');
      g.drawImage(grey, 0, 0);
      const pixels = g.getImageData(0, 0, grey.width, grey.height);
      const labels = r.segmentation.labels || [];
      const background = isBackground(labels[0]);
      const d = pixels.data;
      for (let i = 0; i < d.length; i += 4) {
        const id = d[i];
        if (id === 0 && background) {
          d[i + 3] = 0;
          continue;
        }
        const [cr, cg, cb] = rgb(id);
        d[i] = cr;
        d[i + 1] = cg;
        d[i + 2] = cb;
        d[i + 3] = 110;
      }
      g.putImageData(pixels, 0, 0);
      this.masks.get(r.bundleName)?.bitmap.close();
      this.masks.set(r.bundleName, { sequence: event.sequence, bitmap: work.transferToImageBitmap() });
      grey.close();
    }
  }

  draw() {
    const first = (this.event?.results || [])[0];
    const frameWidth = this.frameImage?.width || first?.imageWidth || 320;
    const frameHeight = this.frameImage?.height || first?.imageHeight || 240;
    // Small frames are drawn enlarged (whole pixels) so that boxes and labels stay legible.
    const zoom = Math.max(1, Math.ceil(480 / frameWidth));
    const width = frameWidth * zoom;
    const height = frameHeight * zoom;
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    this.canvas.dataset.frameWidth = frameWidth;
    const g = this.canvas.getContext('2d');
    g.imageSmoothingEnabled = zoom === 1;
    g.fillStyle = '#000';
    g.fillRect(0, 0, width, height);
    if (this.frameImage) {
      g.drawImage(this.frameImage, 0, 0, width, height);
    }
    if (!this.event || (this.frameImage && !DRAW_ON_SNAPSHOT)) {
      return;
    }
    const line = Math.max(1, Math.round(width / 240));
    g.font = Math.max(10, Math.round(width / 32)) + 'px system-ui, sans-serif';
    for (const r of this.event.results || []) {
      const sx = width / (r.imageWidth || width);
      const sy = height / (r.imageHeight || height);
      const mask = this.masks.get(r.bundleName);
      if (r.segmentation && mask && mask.sequence === this.event.sequence) {
        g.drawImage(mask.bitmap, 0, 0, width, height);
      }
      for (const d of r.detections || []) {
        const x = d.xMin * sx;
        const y = d.yMin * sy;
        g.strokeStyle = classColour(d.classId);
        g.lineWidth = line;
        g.strokeRect(x, y, (d.xMax - d.xMin) * sx, (d.yMax - d.yMin) * sy);
        const label = d.label + ' ' + Number(d.score).toFixed(2);
        g.fillStyle = classColour(d.classId, 0.85);
        g.fillRect(x, Math.max(0, y - parseInt(g.font, 10) - 2), g.measureText(label).width + 4, parseInt(g.font, 10) + 2);
        g.fillStyle = '#000';
        g.fillText(label, x + 2, Math.max(parseInt(g.font, 10) - 1, y - 3));
      }
    }
  }
}

/** Whether class 0 called label is the background, which is neither tinted nor listed. */
function isBackground(label) {
  return /^(background|bg|none|_background_)$/i.test(label || '');
}

/** The RGB of classColour(id), for writing mask pixels. */
function rgb(id) {
  const h = ((id * 67 + 200) % 360) / 360;
  const s = 0.85;
  const l = 0.55;
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const channel = (t) => {
    const u = t < 0 ? t + 1 : t > 1 ? t - 1 : t;
    const v = u < 1 / 6 ? p + (q - p) * 6 * u : u < 1 / 2 ? q : u < 2 / 3 ? p + (q - p) * (2 / 3 - u) * 6 : p;
    return Math.round(v * 255);
  };
  return [channel(h + 1 / 3), channel(h), channel(h - 1 / 3)];
}
