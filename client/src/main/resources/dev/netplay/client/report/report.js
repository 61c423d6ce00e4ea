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

  function tip(spec, p) {
    const d = p.data || {};
    const v = Array.isArray(d.value) ? d.value : p.value;
    if (!Array.isArray(v)) return p.seriesName;
    let s = '<b>' + p.seriesName + '</b><br>' + fmt(v[0]) + ' connections: <b>' + fmt(v[1]) + ' ' + spec.unit + '</b>';
    if (d.range) s += '<br>repeats (' + d.repeats + '): ' + d.range + ' ' + spec.unit;
    if (d.unstable) s += '<br>unstable: the repeats lie far apart';
    if (d.bound) s += '<br>bound: ' + d.bound;
    return s;
  }

  function overTimeOption(level) {
    const t = level.points.map(p => p[0]);
    const col = i => level.points.map(p => [p[0], p[i]]);
    return {
      color: ['#0072b2', '#009e73', '#e69f00', '#d55e00'],
      aria: {enabled: true},
      title: {text: level.label, left: 'center', top: 0, textStyle: {fontSize: 13}},
      legend: {top: 22},
      grid: {left: 64, right: 64, top: 56, bottom: 72},
      tooltip: {trigger: 'axis', valueFormatter: v => fmt(v)},
      dataZoom: [{type: 'inside'}, {type: 'slider', bottom: 8}],
      xAxis: {type: 'value', name: 's into the window', nameLocation: 'middle', nameGap: 26, min: 0,
              max: t.length ? Math.ceil(t[t.length - 1] + 1) : 1},
      yAxis: [{type: 'value', name: 'requests/s'}, {type: 'log', name: 'latency ms'}],
      series: [
        {name: 'requests/s', type: 'line', step: 'start', data: col(1), symbolSize: 6},
        {name: 'p50 ms', type: 'line', yAxisIndex: 1, data: col(2), symbolSize: 5},
        {name: 'p99 ms', type: 'line', yAxisIndex: 1, data: col(3), symbolSize: 5},
        {name: 'max ms', type: 'line', yAxisIndex: 1, data: col(4), symbolSize: 5, lineStyle: {type: 'dashed'}}
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
