/* Charts of the outcomes dashboard, drawn with Chart.js from the same data as the tables
   beside them. The tables are the content; a chart is a picture of its table, hidden from
   assistive technology, which reads the table. */
(function () {
  "use strict";
  var source = document.getElementById("credplugin-outcomes-chart-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  document.querySelectorAll("canvas[data-series]").forEach(function (canvas) {
    var series = data.series[canvas.getAttribute("data-series")] || [];
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{ label: canvas.getAttribute("data-label"), data: series, backgroundColor: "#0b4f8a" }]
      },
      options: { animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } }
    });
  });
})();
