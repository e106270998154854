// The lab's charts (plotly.js, the site's copy) and start-up. C# hands over the series as JSON (LabCharts.cs).
(function () {
  'use strict';
  var colors = { plain: '#d95f02', bn: '#1b6ac9' };
  var native = null;
  var css = function (name, fallback) {
    var v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return v || fallback;
  };
  var baseLayout = function (height) {
    var fg = css('--bnl-fg', '#1d1d1f'), grid = css('--bnl-grid', '#e5e7eb');
    return {
      height: height, margin: { l: 48, r: 10, t: 10, b: 40 }, paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)',
      font: { family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', size: 12, color: fg },
      legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' }, hovermode: 'x',
      xaxis: { gridcolor: grid, zeroline: false }, yaxis: { gridcolor: grid, zeroline: false }
    };
  };
  var config = { displayModeBar: false, responsive: true };
  var color = function (n) { return n.bn ? colors.bn : colors.plain; };

  function accuracy(state) {
    var traces = [];
    state.networks.forEach(function (n) {
      traces.push({ x: n.evalSteps, y: n.accuracy, name: n.name, mode: 'lines+markers', marker: { size: 4 }, line: { color: color(n) }, legendgroup: n.name });
      traces.push({ x: n.evalSteps, y: n.loss, name: n.name + ' loss', yaxis: 'y2', mode: 'lines', line: { color: color(n), dash: 'dot' }, legendgroup: n.name, showlegend: false });
    });
    var layout = baseLayout(380);
    layout.yaxis.domain = [0.52, 1]; layout.yaxis.title = { text: 'test accuracy' }; layout.yaxis.tickformat = '.0%';
    layout.yaxis2 = { domain: [0, 0.44], title: { text: 'test loss' }, gridcolor: layout.xaxis.gridcolor, zeroline: false, anchor: 'x' };
    // One step axis, under the lower panel.
    layout.xaxis.anchor = 'y2';
    layout.xaxis.title = { text: 'step' };
    return [traces, layout];
  }

  function bands(state) {
    var traces = [], layout = baseLayout(520);
    var rows = 3, gap = 0.06, h = (1 - gap * (rows - 1)) / rows;
    for (var l = 0; l < rows; l++) {
      var axis = l === 0 ? '' : String(l + 1);
      state.networks.forEach(function (n) {
        var b = n.bands[l], c = color(n);
        traces.push({ x: n.probeSteps, y: b[0], yaxis: 'y' + axis, mode: 'lines', line: { width: 0, color: c }, hoverinfo: 'skip', showlegend: false, legendgroup: n.name });
        traces.push({ x: n.probeSteps, y: b[2], yaxis: 'y' + axis, mode: 'lines', line: { width: 0, color: c }, fill: 'tonexty', fillcolor: c + '33', hoverinfo: 'skip', showlegend: false, legendgroup: n.name });
        traces.push({ x: n.probeSteps, y: b[1], yaxis: 'y' + axis, mode: 'lines', line: { color: c, width: 1.5 }, name: n.name, showlegend: l === 0, legendgroup: n.name });
      });
      var top = 1 - l * (h + gap);
      layout['yaxis' + axis] = { domain: [top - h, top], title: { text: 'layer ' + (l + 1) }, gridcolor: layout.xaxis.gridcolor, zeroline: false, anchor: 'x' };
    }
    layout.xaxis.anchor = 'y3';
    layout.xaxis.title = { text: 'step' };
    return [traces, layout];
  }

  function histogram(state) {
    var traces = [];
    state.networks.forEach(function (n) {
      if (!n.histogram) return;
      traces.push({ type: 'bar', x: n.histogram.x, y: n.histogram.y, name: n.name, marker: { color: color(n) }, opacity: 0.55 });
    });
    var layout = baseLayout(300);
    layout.barmode = 'overlay'; layout.bargap = 0;
    layout.xaxis.title = { text: 'sigmoid input, layer ' + state.histogramLayer + ', step ' + state.step };
    layout.yaxis.title = { text: 'fraction' }; layout.yaxis.tickformat = '.0%';
    return [traces, layout];
  }

  function modes(state) {
    var traces = [];
    state.networks.forEach(function (n) {
      traces.push({ x: n.evalSteps, y: n.inferenceMode, name: n.name + ', inference', mode: 'lines', line: { color: color(n) } });
      traces.push({ x: n.evalSteps, y: n.trainMode, name: n.name + ', training', mode: 'lines', line: { color: color(n), dash: 'dash' } });
    });
    var layout = baseLayout(340);
    layout.yaxis.title = { text: 'accuracy' }; layout.yaxis.tickformat = '.0%';
    layout.xaxis.title = { text: 'step' };
    return [traces, layout];
  }

  var charts = [['chart-accuracy', accuracy], ['chart-bands', bands], ['chart-histogram', histogram], ['chart-modes', modes]];

  var kernel = null;
  function speed(browserRate) {
    var el = document.getElementById('lab-speed');
    if (!el) return;
    var parts = [];
    if (isFinite(browserRate) && browserRate > 0) parts.push('in this browser ' + Math.round(browserRate).toLocaleString('en') + ' network-steps/s' + (kernel ? ' (matrix products: ' + kernel + ')' : ''));
    if (native) parts.push('natively (.NET, ' + native.cpu + ', one core) ' + Math.round(native.stepsPerSecond).toLocaleString('en') + ' network-steps/s at the default settings');
    if (parts.length) el.textContent = 'Speed: ' + parts.join('; ') + '.';
  }

  window.bnlLab = {
    draw: function (json, browserRate, productKernel) {
      var state = JSON.parse(json);
      kernel = productKernel;
      charts.forEach(function (c) {
        var r = c[1](state);
        Plotly.react(c[0], r[0], r[1], config);
      });
      speed(browserRate);
    },
    clear: function () {
      charts.forEach(function (c) { Plotly.purge(c[0]); });
    },
    boot: function () {
      var why = null;
      if (location.protocol === 'file:') why = 'It was opened from a file: browsers run WebAssembly apps only from a web server (see the note at the end of the page).';
      else if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') why = 'This browser has no WebAssembly.';
      if (why) {
        var f = document.getElementById('lab-fallback');
        document.getElementById('lab-fallback-why').textContent = why;
        f.hidden = false;
        document.getElementById('lab').hidden = true;
        return;
      }
      fetch('native.json').then(function (r) { return r.ok ? r.json() : null; }).then(function (j) { native = j; speed(NaN); }).catch(function () { });
      Blazor.start();
    }
  };
})();
