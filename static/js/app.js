// stancetrack dashboard: draws every chart on the page from the option JSON
// the server put in <script type="application/json" id="ID-option">, so the
// Content-Security-Policy can forbid inline scripts. Clicking a bar, map
// region or network node follows the URL the server put in its data item.
"use strict";
(function () {
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Only same-origin paths are followed: a URL is data, and data is untrusted.
  function follow(url) {
    if (typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/") {
      window.location.href = url;
    }
  }

  // Map regions are named by ISO3; the tooltip shows the delegation's name
  // (escaped: echarts renders tooltip strings as HTML).
  function mapTooltip(p) {
    if (!p.data) {
      return esc(p.name) + ": no statement";
    }
    return esc(p.data.delegation || p.name) + ": " + esc(p.data.position || p.value);
  }

  // svgOf renders the chart's option again with the SVG renderer, off
  // screen at the chart's size, and returns the SVG document.
  function svgOf(el, option) {
    var div = document.createElement("div");
    div.style.position = "absolute";
    div.style.left = "-10000px";
    div.style.top = "0";
    div.style.width = el.clientWidth + "px";
    div.style.height = el.clientHeight + "px";
    document.body.appendChild(div);
    var c = window.echarts.init(div, null, { renderer: "svg" });
    c.setOption(option);
    var svg = c.renderToSVGString();
    c.dispose();
    div.remove();
    return svg;
  }

  function download(name, type, text) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: type }));
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }

  // The server's toolbox saves PNG (canvas); this adds "Save as SVG".
  function addSVGTool(el, option) {
    var t = option.toolbox;
    if (!t || !t.feature) {
      return;
    }
    t.feature.mySaveSVG = {
      show: true,
      title: "Save as SVG",
      icon: "path://M4 2h10l6 6v14H4z M14 2v6h6 M7 14h10 M7 18h10",
      onclick: function () {
        download(el.id + ".svg", "image/svg+xml", svgOf(el, JSON.parse(document.getElementById(el.id + "-option").textContent)));
      }
    };
  }

  // linkOf is the URL a clicked point leads to: its own url, or its
  // series' link template filled with its category (charts.seriesLinks).
  function linkOf(option, p) {
    if (p.data && p.data.url) {
      return p.data.url;
    }
    var l = option.links;
    if (!l || !l.templates || !l.values) {
      return null;
    }
    var t = l.templates[p.seriesIndex];
    var v = l.values[p.dataIndex];
    if (typeof t !== "string" || typeof v !== "string" || typeof l.slot !== "string" || l.slot === "") {
      return null;
    }
    return t.split(l.slot).join(encodeURIComponent(v));
  }

  function prepare(option) {
    // Long names ("Organization for Security and Co-operation in Europe")
    // are truncated with an ellipsis instead of running off the chart; the
    // tooltip shows them whole.
    (option.yAxis || []).forEach(function (y) {
      if (y.type === "category") {
        y.axisLabel = Object.assign({ width: 210, overflow: "truncate" }, y.axisLabel || {});
      }
    });
    (option.series || []).forEach(function (s) {
      if (s.type === "map") {
        s.tooltip = { trigger: "item", formatter: mapTooltip };
        s.showLegendSymbol = false; // no dot on each State
      }
    });
    return option;
  }

  function draw(el) {
    var src = document.getElementById(el.id + "-option");
    if (!src) {
      return;
    }
    if (typeof window.echarts === "undefined") {
      el.classList.add("chart-missing");
      el.textContent = "charts need the echarts asset: run make assets";
      return;
    }
    var option = prepare(JSON.parse(src.textContent));
    addSVGTool(el, option);
    var chart = window.echarts.init(el, null, { renderer: el.dataset.renderer || "canvas" });
    chart.setOption(option);
    chart.on("click", function (p) {
      follow(linkOf(option, p));
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function start() {
    var charts = document.querySelectorAll("div.chart[id]");
    for (var i = 0; i < charts.length; i++) {
      var h = parseInt(charts[i].dataset.height, 10);
      if (h > 0) {
        charts[i].style.height = h + "px";
      }
      draw(charts[i]);
    }
  }

  // For tests and scripts: the SVG of a chart on the page.
  window.stancetrack = {
    svg: function (id) {
      var el = document.getElementById(id);
      return svgOf(el, prepare(JSON.parse(document.getElementById(id + "-option").textContent)));
    }
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
