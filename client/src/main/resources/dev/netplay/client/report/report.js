// Draws report.html's charts from the options the report embedded (see InteractiveCharts): ECharts does the
// drawing; this file only feeds it, formats tooltips, and wires the log/linear buttons and the level selector.
(function () {
  'use strict';
  const specs = JSON.parse(document.getElementById('netplay-charts').textContent);
  const charts = {};

  function fmt(v) {
    if (typeof v !== 'number') return String(v);
    return Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : Number(v.toPrecision(3)).toLocaleString('en-US');
  }

  // A tooltip is HTML: every text from the results (a target's name, a host's id) goes in escaped.
  function esc(v) {
    return String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  }

  function tip(spec, p) {
    const d = p.data || {};
    const v = Array.isArray(d.value) ? d.value : p.value;
    if (!Array.isArray(v)) return esc(p.seriesName);
    const unit = esc(spec.unit);
    let s = '<b>' + esc(p.seriesName) + '</b><br>' + esc(fmt(v[0])) + ' connections: <b>' + esc(fmt(v[1])) + ' ' + unit + '</b>';
    if (d.range) s += '<br>repeats (' + esc(d.repeats) + '): ' + esc(d.range) + ' ' + unit;
    if (d.unstable) s += '<br>unstable: the repeats lie far apart';
    if (d.bound) s += '<br>bound: ' + esc(d.bound);
    return s;
  }

  // The ramp's and warm-up's seconds as shaded spans: each phase from its first interval's start to the next phase's.
  function phaseAreas(points) {
    const areas = [];
    for (let i = 0; i < points.length; i++) {
      const phase = points[i][5];
      if (!phase) continue;
      const last = areas[areas.length - 1];
      const end = i + 1 < points.length ? points[i + 1][0] : points[i][0] + 1;
      if (last && last.phase === phase) last.end = end;
      else areas.push({phase: phase, start: points[i][0], end: end});
    }
    return areas.map(a => [{name: a.phase, xAxis: a.start, itemStyle: {color: a.phase === 'ramp' ? 'rgba(0,0,0,0.10)'
      : 'rgba(0,114,178,0.10)'}}, {xAxis: a.end}]);
  }

  function overTimeOption(level) {
    const t = level.points.map(p => p[0]);
    const col = i => level.points.map(p => [p[0], p[i]]);
    const server = level.server || [];
    const srv = i => server.filter(p => p[i] !== null).map(p => [p[0], p[i]]);
    const min = t.length ? Math.floor(Math.min(0, t[0])) : 0;
    const max = t.length ? Math.ceil(t[t.length - 1] + 1) : 1;
    const axis = (index, name) => ({type: 'value', gridIndex: index, min: min, max: max, name: name,
      nameLocation: 'middle', nameGap: 24});
    const latency = {
      color: ['#0072b2', '#009e73', '#e69f00', '#d55e00'],
      series: [
        {name: 'requests/s', type: 'line', step: 'start', data: col(1), symbolSize: 6,
         markArea: {silent: true, label: {position: 'insideTop'}, data: phaseAreas(level.points)}},
        {name: 'p50 ms', type: 'line', yAxisIndex: 1, data: col(2), symbolSize: 5},
        {name: 'p99 ms', type: 'line', yAxisIndex: 1, data: col(3), symbolSize: 5},
        {name: 'max ms', type: 'line', yAxisIndex: 1, data: col(4), symbolSize: 5, lineStyle: {type: 'dashed'}}
      ]
    };
    if (!server.length) { // a run recorded before the server's timeline was kept: one panel
      return Object.assign(latency, {
        aria: {enabled: true}, animation: false,
        title: {text: level.label, left: 'center', top: 0, textStyle: {fontSize: 13}}, legend: {top: 22},
        grid: {left: 64, right: 64, top: 56, bottom: 72},
        tooltip: {trigger: 'axis', valueFormatter: v => fmt(v)},
        dataZoom: [{type: 'inside'}, {type: 'slider', bottom: 8}],
        xAxis: axis(0, 's from the measured window\'s start'),
        yAxis: [{type: 'value', name: 'requests/s'}, {type: 'value', scale: true, name: 'latency ms'}]
      });
    }
    return {
      color: ['#0072b2', '#009e73', '#e69f00', '#d55e00', '#cc79a7', '#000000'],
      aria: {enabled: true},
      animation: false,
      title: {text: level.label, left: 'center', top: 0, textStyle: {fontSize: 13}},
      legend: {top: 22},
      grid: [{left: 64, right: 64, top: 56, height: '50%'}, {left: 64, right: 64, top: '72%', bottom: 64}],
      tooltip: {trigger: 'axis', valueFormatter: v => fmt(v)},
      axisPointer: {link: [{xAxisIndex: 'all'}]},
      dataZoom: [{type: 'inside', xAxisIndex: [0, 1]}, {type: 'slider', xAxisIndex: [0, 1], bottom: 8}],
      xAxis: [axis(0, ''), axis(1, 's from the measured window\'s start')],
      // latency on a linear axis fitted to the data: SLEEP 1000's 1,000 to 1,100 ms would be a flat line from zero
      yAxis: [{type: 'value', name: 'requests/s', gridIndex: 0}, {type: 'value', scale: true, name: 'latency ms', gridIndex: 0},
              {type: 'value', name: 'server CPU %', gridIndex: 1}, {type: 'value', name: 'GC ms/s', gridIndex: 1}],
      series: [
        {name: 'requests/s', type: 'line', step: 'start', data: col(1), symbolSize: 6,
         markArea: {silent: true, label: {position: 'insideTop'}, data: phaseAreas(level.points)}},
        {name: 'p50 ms', type: 'line', yAxisIndex: 1, data: col(2), symbolSize: 5},
        {name: 'p99 ms', type: 'line', yAxisIndex: 1, data: col(3), symbolSize: 5},
        {name: 'max ms', type: 'line', yAxisIndex: 1, data: col(4), symbolSize: 5, lineStyle: {type: 'dashed'}},
        {name: 'server CPU %', type: 'line', step: 'start', xAxisIndex: 1, yAxisIndex: 2, data: srv(1), symbolSize: 4},
        {name: 'GC ms/s', type: 'bar', xAxisIndex: 1, yAxisIndex: 3, data: srv(2), barMaxWidth: 8}
      ]
    };
  }

  for (const spec of specs) {
    const el = document.getElementById('chart-' + spec.id);
    if (!el) continue;
    const chart = echarts.init(el, null, {renderer: 'svg'});
    charts[spec.id] = chart;
    if (spec.id === 'overtime') {
      const levels = spec.option.levels;
      const select = document.getElementById('overtime-level');
      levels.forEach((l, i) => select.add(new Option(l.label, String(i))));
      const show = i => chart.setOption(overTimeOption(levels[i]), true);
      select.addEventListener('change', () => show(Number(select.value)));
      const first = Math.max(0, levels.findIndex(l => l.key === spec.option.initial));
      select.value = String(first);
      show(first);
      continue;
    }
    spec.option.tooltip = Object.assign({}, spec.option.tooltip, {formatter: p => tip(spec, p)});
    chart.setOption(spec.option);
    const button = document.getElementById('scale-' + spec.id);
    if (button) {
      button.addEventListener('click', () => {
        const log = chart.getOption().yAxis[0].type === 'log';
        chart.setOption({yAxis: {type: log ? 'value' : 'log'}});
        button.textContent = log ? 'y: linear (switch to log)' : 'y: log (switch to linear)';
        button.setAttribute('aria-pressed', String(!log));
      });
    }
  }
  document.querySelectorAll('fieldset.models input[data-model]').forEach(box => box.addEventListener('change', () => {
    for (const [id, c] of Object.entries(charts)) {
      if (id !== 'overtime') c.dispatchAction({type: box.checked ? 'legendSelect' : 'legendUnSelect', name: box.dataset.model});
    }
  }));
  window.addEventListener('resize', () => Object.values(charts).forEach(c => c.resize()));
  window.netplayCharts = charts;
  document.body.setAttribute('data-charts', 'ready');
})();
