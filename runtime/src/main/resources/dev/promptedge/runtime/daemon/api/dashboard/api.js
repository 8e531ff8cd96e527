// The dashboard's access to the daemon: a fetch wrapper that sends the API token (asking for it
// when the daemon answers 401), a Server-Sent Events reader over fetch (EventSource cannot send
// headers) and a parser of the Prometheus text format that /metrics answers.

const TOKEN_KEY = 'promptedge.token';

/** A refused request: the HTTP status and the daemon's ApiError code and message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * Requests to the daemon's API. askToken(message) is called on a 401 and resolves to the token
 * the user typed; concurrent 401s share one question.
 */
export class Api {
  constructor(askToken) {
    this.askToken = askToken;
    this.pendingToken = null;
  }

  token() {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  }

  /** fetch() of path with the token; on 401 asks for a token and retries. */
  async fetch(path, options = {}) {
    for (let attempt = 0; ; attempt++) {
      const headers = new Headers(options.headers || {});
      const token = this.token();
      if (token) {
        headers.set('Authorization', 'Bearer ' + token);
      }
      const response = await fetch(path, { ...options, headers });
      if (response.status !== 401) {
        return response;
      }
      const refused = token !== '';
      await this.newToken(
        refused
          ? 'The daemon refused that token: type the api.token of its profile.'
          : 'This daemon asks for its API token (api.token in its profile).',
        token);
      if (attempt > 20) {
        throw new ApiError(401, 'unauthorized', 'the daemon refused every token tried');
      }
    }
  }

  /** Asks once for a new token, unless another request got a new one since refused was sent. */
  async newToken(message, refused) {
    if (this.token() !== refused) {
      return;
    }
    if (!this.pendingToken) {
      this.pendingToken = Promise.resolve(this.askToken(message)).then((token) => {
        sessionStorage.setItem(TOKEN_KEY, token);
        this.pendingToken = null;
      });
    }
    await this.pendingToken;
  }

  /** The JSON answer of path; throws ApiError for an error status. */
  async json(path, options = {}) {
    const response = await this.fetch(path, options);
    if (!response.ok) {
      throw await errorOf(response);
    }
    return response.status === 204 ? null : response.json();
  }

  async text(path) {
    const response = await this.fetch(path);
    if (!response.ok) {
      throw await errorOf(response);
    }
    return response.text();
  }
}

async function errorOf(response) {
  let code = 'http_' + response.status;
  let message = response.status + ' ' + response.statusText;
  try {
    const body = await response.json();
    code = body.code || code;
    message = body.message || message;
  } catch (e) {
    // not an ApiError body
  }
  return new ApiError(response.status, code, message);
}

/**
 * Reads a Server-Sent Events stream over api.fetch until signal aborts; calls onEvent(type, data)
 * per event and onOpen() once the stream answers. Resolves when the stream ends; rejects with an
 * ApiError when the daemon refuses it.
 */
export async function readEvents(api, path, { onEvent, onOpen, signal }) {
  const response = await api.fetch(path, {
    headers: { Accept: 'text/event-stream' },
    signal,
    cache: 'no-store',
  });
  if (!response.ok) {
    throw await errorOf(response);
  }
  if (onOpen) {
    onOpen();
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new EventParser(onEvent);
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      parser.end();
      return;
    }
    parser.push(value);
  }
}

/** The text/event-stream grammar (WHATWG HTML, "Server-sent events"), fed in arbitrary chunks. */
export class EventParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = '';
    this.type = '';
    this.data = [];
    this.lastId = '';
  }

  push(text) {
    this.buffer += text;
    let start = 0;
    for (;;) {
      const match = /\r\n|\r|\n/g;
      match.lastIndex = start;
      const found = match.exec(this.buffer);
      // A lone \r at the end may be the first half of \r\n: wait for the next chunk.
      if (!found || (found[0] === '\r' && found.index === this.buffer.length - 1)) {
        break;
      }
      this.line(this.buffer.slice(start, found.index));
      start = found.index + found[0].length;
    }
    this.buffer = this.buffer.slice(start);
  }

  end() {
    // An event without its closing blank line is dropped, as the standard says.
    this.buffer = '';
  }

  line(line) {
    if (line === '') {
      if (this.data.length > 0) {
        this.onEvent(this.type || 'message', this.data.join('\n'), this.lastId);
      }
      this.type = '';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) {
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    if (field === 'event') {
      this.type = value;
    } else if (field === 'data') {
      this.data.push(value);
    } else if (field === 'id' && !value.includes('\0')) {
      this.lastId = value;
    }
  }
}

/**
 * The samples of a Prometheus text exposition (format 0.0.4): a list of
 * {name, labels: {label: value}, value} with values as numbers (NaN, +Inf and -Inf included).
 * Comments, HELP and TYPE lines and timestamps are skipped; a malformed line throws naming it.
 */
export function parsePrometheus(text) {
  const samples = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) {
      continue;
    }
    const sample = parseSample(line);
    if (!sample) {
      throw new Error('line ' + (i + 1) + ' of /metrics is not a sample: ' + line);
    }
    samples.push(sample);
  }
  return samples;
}

function parseSample(line) {
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (!name) {
    return null;
  }
  let at = name[0].length;
  const labels = {};
  if (line[at] === '{') {
    at++;
    for (;;) {
      while (line[at] === ' ' || line[at] === ',') {
        at++;
      }
      if (line[at] === '}') {
        at++;
        break;
      }
      const label = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(at));
      if (!label) {
        return null;
      }
      at += label[0].length;
      while (line[at] === ' ') {
        at++;
      }
      if (line[at] !== '=' || line[at + 1] !== '"') {
        return null;
      }
      at += 2;
      let value = '';
      for (;;) {
        const c = line[at];
        if (c === undefined) {
          return null;
        }
        at++;
        if (c === '"') {
          break;
        }
        if (c === '\\') {
          const next = line[at++];
          value += next === 'n' ? '\n' : next;
        } else {
          value += c;
        }
      }
      labels[label[0]] = value;
    }
  }
  const rest = line.slice(at).trim().split(/\s+/);
  if (rest.length < 1 || rest.length > 2 || rest[0] === '') {
    return null;
  }
  const value = parseValue(rest[0]);
  if (value === null) {
    return null;
  }
  return { name: name[0], labels, value };
}

function parseValue(text) {
  if (text === '+Inf' || text === 'Inf') {
    return Infinity;
  }
  if (text === '-Inf') {
    return -Infinity;
  }
  if (text === 'NaN') {
    return NaN;
  }
  const value = Number(text);
  return Number.isNaN(value) ? null : value;
}

/** The samples called name whose labels include match, e.g. select(s, 'x_bucket', {task: 'a'}). */
export function select(samples, name, match = {}) {
  return samples.filter(
    (s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v));
}

/**
 * The cumulative buckets of one histogram series as [{le, count}] sorted by le, from the
 * NAME_bucket samples whose other labels equal labels.
 */
export function buckets(samples, name, labels) {
  return select(samples, name + '_bucket', labels)
    .map((s) => ({ le: parseValue(s.labels.le), count: s.value }))
    .filter((b) => b.le !== null)
    .sort((a, b) => a.le - b.le);
}

/** Buckets of later minus earlier (the observations between two scrapes). */
export function bucketDelta(later, earlier) {
  const before = new Map((earlier || []).map((b) => [b.le, b.count]));
  return later.map((b) => ({ le: b.le, count: b.count - (before.get(b.le) || 0) }));
}

/**
 * The q-quantile of cumulative buckets, linear within the bucket as Prometheus'
 * histogram_quantile does; NaN without observations. The +Inf bucket answers its lower bound.
 */
export function quantile(cumulative, q) {
  if (cumulative.length === 0) {
    return NaN;
  }
  const total = cumulative[cumulative.length - 1].count;
  if (!(total > 0)) {
    return NaN;
  }
  const rank = q * total;
  let lowerLe = 0;
  let lowerCount = 0;
  for (const b of cumulative) {
    if (b.count >= rank) {
      if (b.le === Infinity) {
        return lowerLe;
      }
      const inBucket = b.count - lowerCount;
      return inBucket <= 0 ? b.le : lowerLe + ((b.le - lowerLe) * (rank - lowerCount)) / inBucket;
    }
    lowerLe = b.le;
    lowerCount = b.count;
  }
  return lowerLe;
}
