// Small DOM and formatting helpers shared by the dashboard's views.

/** A new element: el('td', {class: 'x', text: 'y', dataset: {task: 'a'}}, child, ...). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') {
      node.className = value;
    } else if (key === 'text') {
      node.textContent = value;
    } else if (key === 'dataset') {
      Object.assign(node.dataset, value);
    } else if (key.startsWith('on')) {
      node.addEventListener(key.slice(2), value);
    } else {
      node[key] = value;
    }
  }
  for (const child of children) {
    if (child !== null && child !== undefined) {
      node.append(child);
    }
  }
  return node;
}

/** Replaces the figures of a <dl> with [term, value] pairs. */
export function figures(dl, pairs) {
  dl.replaceChildren(
    ...pairs.flatMap(([term, value, id]) => [
      el('dt', { text: term }),
      el('dd', { text: value, id: id || '' }),
    ]));
}

export function ms(seconds) {
  return Number.isFinite(seconds) ? (seconds * 1000).toFixed(1) + ' ms' : '–';
}

export function bytes(n) {
  const v = Number(n);
  return v >= 1 << 20 ? (v / (1 << 20)).toFixed(1) + ' MiB' : (v / 1024).toFixed(1) + ' KiB';
}

export function duration(seconds) {
  const s = Number(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return (h > 0 ? h + ' h ' : '') + (h > 0 || m > 0 ? m + ' min ' : '') + (s % 60) + ' s';
}

/** A distinct colour per class id. */
export function classColour(id, alpha = 1) {
  return 'hsla(' + ((id * 67 + 200) % 360) + ', 85%, 55%, ' + alpha + ')';
}
