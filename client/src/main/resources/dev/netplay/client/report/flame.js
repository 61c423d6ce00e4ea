// netplay report: flame graphs of compare --profile, drawn on a canvas from the data in #netplay-flames.
// Every name comes from results and stacks: it is drawn with fillText and shown with textContent, never as HTML.
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('netplay-flames').textContent);
  const names = data.names;
  const $ = id => document.getElementById(id);
  const modelSel = $('flame-model'), levelSel = $('flame-level'), kindSel = $('flame-kind'), diffSel = $('flame-diff');
  const search = $('flame-search'), canvas = $('flame-canvas'), info = $('flame-info'), matched = $('flame-matched');
  const caption = $('flame-caption');
  const ROW = 17;
  // One colour per kind of frame, the same in every graph; a frame's own shade comes from its name.
  const KINDS = [
    {label: 'kernel', hue: 28, test: n => n.endsWith('_[k]')},
    {label: 'netplay (Java)', hue: 212, test: n => n.startsWith('dev/netplay/') || n.startsWith('dev.netplay.')},
    {label: 'Java', hue: 110, test: n => /_\[[ji01]\]$/.test(n)},
    {label: 'JVM (C++)', hue: 52, test: n => n.includes('::')},
    {label: 'native', hue: 0, test: () => true},
  ];
  const kindOf = n => KINDS.find(k => k.test(n));

  function decode(a, depth) {
    const node = {n: a[0], v: a[1], c: [], d: depth};
    for (let i = 2; i < a.length; i++) {
      const child = decode(a[i], depth + 1);
      child.p = node;
      node.c.push(child);
    }
    return node;
  }
  data.graphs.forEach(g => { g.root = decode(g.tree, 0); });

  const models = [...new Set(data.graphs.map(g => g.model))];
  const option = (select, value, text) => {
    const o = document.createElement('option');
    o.value = String(value);
    o.textContent = text;
    select.appendChild(o);
  };
  models.forEach(m => { option(modelSel, m, m); option(diffSel, m, m); });
  const find = (model, level, kind) => data.graphs.find(g => g.model === model && g.level === level && g.kind === kind);

  function fillLevels() {
    const keep = levelSel.value;
    levelSel.textContent = '';
    const levels = [...new Set(data.graphs.filter(g => g.model === modelSel.value).map(g => g.level))].sort((a, b) => a - b);
    levels.forEach(l => option(levelSel, l, l.toLocaleString('en') + ' connections'));
    if (levels.map(String).includes(keep)) levelSel.value = keep;
    else if (levels.length) levelSel.value = String(levels[levels.length - 1]);
  }

  const legend = $('flame-legend');
  KINDS.forEach(k => {
    const span = document.createElement('span');
    const swatch = document.createElement('i');
    swatch.style.background = `hsl(${k.hue},70%,62%)`;
    span.appendChild(swatch);
    span.appendChild(document.createTextNode(k.label));
    legend.appendChild(span);
  });

  const missing = $('flame-missing');
  data.missing.forEach(m => {
    const li = document.createElement('li');
    li.textContent = `${m.model} at ${m.level.toLocaleString('en')}: no profile: ${m.note}`;
    missing.appendChild(li);
  });

  let graph = null, other = null, zoom = null, boxes = [], pattern = null, otherShares = null;

  const pathKey = node => { const parts = []; for (let x = node; x; x = x.p) parts.push(x.n); return parts.reverse().join(','); };
  function shares(g) {
    const m = new Map();
    (function walk(node) { m.set(pathKey(node), node.v / g.total); node.c.forEach(walk); })(g.root);
    return m;
  }

  function colour(node, name) {
    if (pattern && pattern.test(name)) return 'hsl(300,70%,60%)';
    if (otherShares) {
      const mine = node.v / graph.total, theirs = otherShares.get(pathKey(node)) || 0, delta = mine - theirs;
      const strength = Math.min(1, Math.abs(delta) / 0.02);
      if (Math.abs(delta) < 0.0005) return 'hsl(0,0%,85%)';
      return delta > 0 ? `hsl(0,75%,${88 - 35 * strength}%)` : `hsl(215,75%,${88 - 35 * strength}%)`;
    }
    let h = 0;
    for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) | 0;
    return `hsl(${kindOf(name).hue},70%,${55 + (Math.abs(h) % 20)}%)`;
  }

  function depthOf(node) {
    let max = node.d;
    const stack = [node];
    while (stack.length) {
      const x = stack.pop();
      if (x.d > max) max = x.d;
      x.c.forEach(c => stack.push(c));
    }
    return max;
  }

  function draw() {
    if (!graph) return;
    const base = zoom || graph.root;
    const width = canvas.parentElement.clientWidth;
    const rows = depthOf(base) + 1;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.floor(width * ratio);
    canvas.height = Math.floor(rows * ROW * ratio);
    canvas.style.height = rows * ROW + 'px';
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, rows * ROW);
    ctx.font = '11px ui-monospace, monospace';
    ctx.textBaseline = 'middle';
    boxes = [];
    const scale = width / base.v;
    // the zoomed frame's callers, full width, above it (dimmed)
    for (let x = base.p, y = base.d - 1; x; x = x.p, y--) {
      boxes.push({x: 0, y: y * ROW, w: width, node: x});
    }
    (function place(node, x) {
      const w = node.v * scale;
      if (w < 0.3) return;
      boxes.push({x, y: node.d * ROW, w, node});
      let cx = x;
      node.c.forEach(c => { place(c, cx); cx += c.v * scale; });
    })(base, 0);
    boxes.forEach(b => {
      const name = names[b.node.n];
      ctx.fillStyle = b.node.d < base.d ? 'hsl(0,0%,88%)' : colour(b.node, name);
      ctx.fillRect(b.x, b.y, Math.max(b.w - 0.5, 0.3), ROW - 1);
      if (b.w > 28) {
        ctx.fillStyle = '#111';
        const room = Math.floor((b.w - 6) / 6.6);
        ctx.fillText(name.length > room ? name.slice(0, Math.max(room - 1, 1)) + '…' : name, b.x + 3, b.y + ROW / 2);
      }
    });
    let hit = 0;
    if (pattern) {
      (function walk(node) {
        if (pattern.test(names[node.n])) { hit += node.v; return; }
        node.c.forEach(walk);
      })(graph.root);
      matched.textContent = `"${search.value}": ${(100 * hit / graph.total).toFixed(1)}% of the samples`;
    } else {
      matched.textContent = '';
    }
    canvas.setAttribute('aria-label', `flame graph of ${graph.model} at ${graph.level} connections, ${graph.kind}`);
    canvas.dataset.model = graph.model;
    canvas.dataset.level = String(graph.level);
    canvas.dataset.matched = pattern ? String(hit) : '';
  }

  function choose() {
    graph = find(modelSel.value, Number(levelSel.value), kindSel.value) || find(modelSel.value, Number(levelSel.value), 'cpu');
    if (graph && graph.kind !== kindSel.value) kindSel.value = graph.kind;
    other = diffSel.value ? find(diffSel.value, Number(levelSel.value), graph ? graph.kind : 'cpu') : null;
    otherShares = other && other !== graph ? shares(other) : null;
    zoom = null;
    if (!graph) { caption.textContent = 'No profile for this model and level.'; return; }
    let text = `${graph.model} at ${graph.level.toLocaleString('en')} connections: ${graph.total.toLocaleString('en')} ` +
      `${graph.kind === 'cpu' ? 'CPU' : 'wall-clock'} samples (${graph.engine})`;
    if (graph.note) text += `; ${graph.note}`;
    if (diffSel.value && !otherShares) text += `; ${diffSel.value} has no ${graph.kind} profile at this level to compare with`;
    if (otherShares) text += `; differential: red where ${graph.model} spends a larger share than ${other.model}, blue a smaller`;
    caption.textContent = text;
    if (graph.html) {
      const a = document.createElement('a');
      a.href = graph.html.split('/').map(encodeURIComponent).join('/');
      a.textContent = 'the profiler\'s own page';
      caption.appendChild(document.createTextNode(' · '));
      caption.appendChild(a);
    }
    draw();
  }

  canvas.addEventListener('mousemove', e => {
    const r = canvas.getBoundingClientRect(), x = e.clientX - r.left, y = e.clientY - r.top;
    const b = boxes.find(b => x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + ROW);
    if (!b || !graph) return;
    let text = `${names[b.node.n]}: ${b.node.v.toLocaleString('en')} samples, ${(100 * b.node.v / graph.total).toFixed(2)}%`;
    if (otherShares) text += ` (${other.model}: ${(100 * (otherShares.get(pathKey(b.node)) || 0)).toFixed(2)}%)`;
    info.textContent = text;
  });
  canvas.addEventListener('click', e => {
    const r = canvas.getBoundingClientRect(), x = e.clientX - r.left, y = e.clientY - r.top;
    const b = boxes.find(b => x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + ROW);
    if (b) { zoom = b.node.d === 0 ? null : b.node; draw(); }
  });
  $('flame-reset').addEventListener('click', () => { zoom = null; draw(); });
  search.addEventListener('input', () => {
    const text = search.value.trim();
    pattern = text ? new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i') : null;
    draw();
  });
  modelSel.addEventListener('change', () => { fillLevels(); choose(); });
  [levelSel, kindSel, diffSel].forEach(s => s.addEventListener('change', choose));
  let resizing = null;
  window.addEventListener('resize', () => { clearTimeout(resizing); resizing = setTimeout(draw, 100); });

  if (models.length) {
    modelSel.value = models[models.length > 1 && models.includes('threads-platform') ? models.indexOf('threads-platform') : 0];
    fillLevels();
    choose();
  }
  document.body.setAttribute('data-flames', 'ready');
})();
