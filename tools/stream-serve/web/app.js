// The stream-serve dashboard: reads /config.json, the history and then the
// live events of /events (an EventSource, which resumes by itself with
// Last-Event-ID), draws the --y fields with Chart.js, and keeps a table of
// the latest record per --by key. Text goes into the page as text only.
'use strict';
(function () {
  const token = new URLSearchParams(location.search).get('token');
  function url(path, params) {
    const u = new URL(path, location.href);
    u.search = '';
    if (token) u.searchParams.set('token', token);
    for (const k in params || {}) u.searchParams.set(k, params[k]);
    return u.pathname + u.search;
  }
  const statusEl = document.getElementById('status');
  const countEl = document.getElementById('count');
  const canvas = document.getElementById('chart');
  function status(text, cls) {
    statusEl.textContent = text;
    statusEl.className = 'status ' + (cls || '');
  }
  const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f',
                   '#bcbd22', '#17becf'];
  const MAX_SERIES = 64, MAX_ROWS = 500, MAX_COLUMNS = 24;

  fetch(url('config.json')).then(function (r) {
    if (!r.ok) throw new Error(r.status === 401 ? 'a token is needed: open this page with ?token=...' : 'HTTP ' + r.status);
    return r.json();
  }).then(start).catch(function (e) { status(String(e.message || e), 'error'); });

  function start(cfg) {
    if (cfg.title) {
      document.getElementById('title').textContent = cfg.title;
      document.title = cfg.title + ' \u2013 stream-serve';
    }
    let timeAxis = false;
    const fmtTime = function (v) { return new Date(v).toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, ''); };
    const chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false, parsing: false, normalized: true, spanGaps: true,
        responsive: true, maintainAspectRatio: false,
        elements: { point: { radius: 0 }, line: { borderWidth: 1.5, tension: 0 } },
        interaction: { mode: 'nearest', intersect: false },
        scales: {
          x: { type: 'linear', ticks: { maxRotation: 0, callback: function (v) { return timeAxis ? fmtTime(v) : v; } } },
          y: { type: 'linear' }
        },
        plugins: {
          legend: { position: 'bottom' },
          tooltip: { callbacks: { title: function (items) { return items.length && timeAxis ? fmtTime(items[0].parsed.x) : ''; } } }
        }
      }
    });
    const series = new Map();
    function dataset(name) {
      let d = series.get(name);
      if (d !== undefined) return d;
      if (series.size >= MAX_SERIES) { series.set(name, null); return null; }
      const color = palette[series.size % palette.length];
      d = { label: name, data: [], borderColor: color, backgroundColor: color };
      series.set(name, d);
      chart.data.datasets.push(d);
      return d;
    }
    for (const y of cfg.y) if (!cfg.by) dataset(y);

    // The table of the latest record per key.
    const thead = document.querySelector('#latest thead');
    const tbody = document.querySelector('#latest tbody');
    const columns = [];
    const rows = new Map();
    function cell(v) {
      if (v === null || v === undefined) return '';
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
    function header() {
      const tr = document.createElement('tr');
      for (const c of columns) { const th = document.createElement('th'); th.textContent = c; tr.appendChild(th); }
      thead.replaceChildren(tr);
    }
    function showRow(key, rec) {
      let added = false;
      for (const k of Object.keys(rec)) {
        if (columns.length < MAX_COLUMNS && !columns.includes(k)) { columns.push(k); added = true; }
      }
      if (added) { header(); for (const [k, r] of rows) fill(r.tr, r.rec); }
      let r = rows.get(key);
      if (!r) {
        if (rows.size >= MAX_ROWS) return;
        r = { tr: document.createElement('tr'), rec: rec };
        rows.set(key, r);
        tbody.appendChild(r.tr);
      }
      r.rec = rec;
      fill(r.tr, rec);
    }
    function fill(tr, rec) {
      const tds = [];
      for (const c of columns) { const td = document.createElement('td'); td.textContent = cell(rec[c]); tds.push(td); }
      tr.replaceChildren.apply(tr, tds);
    }
    function keyOf(rec) {
      if (!cfg.by) return '';
      const k = rec[cfg.by];
      return k === undefined || k === null ? 'null' : typeof k === 'string' ? k : JSON.stringify(k);
    }

    // Records: points on the chart, the table's rows, redrawn at most 10 times a second.
    let records = 0, points = 0, lastId = 0, dirty = false, pendingRows = new Map();
    function xOf(rec, id) {
      if (!cfg.x) return id;
      const v = rec[cfg.x];
      if (typeof v === 'number') return isFinite(v) ? v : null;
      if (typeof v === 'string') { const t = Date.parse(v); if (!isNaN(t)) { timeAxis = true; return t; } }
      return null;
    }
    function add(rec, id) {
      records++;
      lastId = id;
      pendingRows.set(keyOf(rec), rec);
      const x = xOf(rec, id);
      if (x === null) return;
      for (const y of cfg.y) {
        const v = rec[y];
        if (typeof v !== 'number' || !isFinite(v)) continue;
        const d = dataset(cfg.by ? (cfg.y.length === 1 ? keyOf(rec) : y + ' ' + keyOf(rec)) : y);
        if (!d) continue;
        d.data.push({ x: x, y: v });
        if (d.data.length > cfg.points) d.data.shift(); else points++;
      }
      dirty = true;
    }
    function draw() {
      if (pendingRows.size) { for (const [k, rec] of pendingRows) showRow(k, rec); pendingRows = new Map(); }
      if (!dirty) return;
      dirty = false;
      chart.update('none');
      canvas.dataset.points = String(points);
      canvas.dataset.lastId = String(lastId);
      countEl.textContent = records + (records === 1 ? ' record' : ' records') + ', last event ' + lastId;
    }
    setInterval(draw, 100);

    fetch(url('latest')).then(function (r) { return r.ok ? r.json() : null; }).then(function (l) {
      if (!l) return;
      if (cfg.by) { for (const k of Object.keys(l)) if (!pendingRows.has(k)) pendingRows.set(k, l[k]); }
      else if (!pendingRows.has('')) pendingRows.set('', l);
    }).catch(function () {});

    // since=0: the history the server holds, then the live events.
    const es = new EventSource(url('events', { since: 0 }));
    es.onopen = function () { status('live', 'live'); };
    es.onerror = function () { status(es.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting', 'error'); };
    es.onmessage = function (e) {
      let rec;
      try { rec = JSON.parse(e.data); } catch (err) { return; }
      if (rec && typeof rec === 'object' && !Array.isArray(rec)) add(rec, Number(e.lastEventId));
    };
    es.addEventListener('gap', function (e) {
      try { status('live (' + JSON.parse(e.data).missed + ' events missed)', 'live'); } catch (err) {}
    });
  }
})();
