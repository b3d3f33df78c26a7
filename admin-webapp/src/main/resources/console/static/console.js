// Blue Origin CDN console: the only script. Every page works without it; it adds
//  - charts: each .chart-area[data-chart] drawn with uPlot (served by admin from its webjar),
//  - live propagation: .live[data-status-url] polls the entry's status every second and updates the node
//    table (rows tr[data-key=<node>]) until no node is pending.
"use strict";
(function () {
  function drawCharts() {
    if (typeof uPlot === "undefined") { return; }
    document.querySelectorAll(".chart-area[data-chart]").forEach(function (area) {
      var data = JSON.parse(area.getAttribute("data-chart"));
      var colours = ["#1f6feb", "#2da44e", "#bf8700", "#cf222e"];
      var series = [{}];
      var columns = [data.x];
      data.series.forEach(function (s, i) {
        series.push({ label: s.label, stroke: colours[i % colours.length], width: 2 });
        columns.push(s.values);
      });
      var width = Math.max(300, Math.min(area.clientWidth || 800, 1000));
      var options = { width: width, height: 220, series: series, axes: [{}, { size: 70 }] };
      if (data.range) { options.scales = { y: { range: data.range } }; }
      new uPlot(options, columns, area);
    });
  }

  function followLive() {
    document.querySelectorAll(".live[data-status-url]").forEach(function (live) {
      var url = live.getAttribute("data-status-url");
      var table = document.getElementById(live.getAttribute("data-table"));
      function poll() {
        fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
          .then(function (status) {
            status.nodes.forEach(function (node) {
              var row = table && table.querySelector("tr[data-key=\"" + CSS.escape(node.name) + "\"]");
              if (!row) { return; }
              var cells = row.querySelectorAll("td");
              cells[3].textContent = node.status;
              cells[4].textContent = node.appliedAt === null ? "" : node.appliedAt;
              cells[5].textContent = node.lagMs === null ? "" : String(node.lagMs);
              cells[6].textContent = node.objectsAffected === null ? "" : String(node.objectsAffected);
            });
            live.textContent = status.applied + " node(s) applied, " + status.pending + " pending"
              + (status.pending === 0 ? ": done" : ": updating");
            live.setAttribute("data-pending", String(status.pending));
            if (status.pending > 0) { setTimeout(poll, 1000); }
          })
          .catch(function (e) {
            live.textContent = "Live updates stopped (" + e.message + "): reload the page.";
          });
      }
      poll();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts();
    followLive();
  });
})();
