// Draws the comparison chart as inline SVG from /api/compare (the same JSON the page's table shows).
// Plain DOM calls and textContent only: no HTML is parsed from data, and nothing is loaded from elsewhere.
"use strict";
(function () {
  const svg = document.getElementById("chart");
  if (!svg) return;
  const NS = "http://www.w3.org/2000/svg";
  const el = (name, attrs, parent) => {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    (parent || svg).appendChild(node);
    return node;
  };
  const end = (r) => (r.low != null ? r.low : r.value != null ? r.value : r.high != null ? r.high : 0);

  fetch("/api/compare" + window.location.search, { headers: { Accept: "application/json" } })
    .then((response) => {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    })
    .then((data) => {
      const rows = data.rows || [];
      const labelWidth = 220, barArea = 460, rowHeight = 26, top = 10;
      const height = top + rows.length * rowHeight + 30;
      svg.setAttribute("viewBox", `0 0 ${labelWidth + barArea + 140} ${height}`);
      const max = Math.max(1, ...rows.map((r) => Math.max(end(r), r.high != null ? r.high : 0)));
      const x = (v) => labelWidth + (v / max) * barArea;
      rows.forEach((r, i) => {
        const y = top + i * rowHeight;
        const link = el("a", { href: r.link, class: "bar-link" });
        const title = el("title", {}, link);
        title.textContent = `${r.station}: ${r.shown} (${r.text}; ${r.period})`;
        const label = el("text", { x: labelWidth - 8, y: y + 16, "text-anchor": "end" }, link);
        label.textContent = r.station;
        const width = Math.max(1, x(end(r)) - labelWidth);
        el("rect", { x: labelWidth, y: y + 4, width, height: rowHeight - 10,
                     class: "bar" + (r.comparable ? "" : " incomparable"), "data-station": r.station }, link);
        if (r.low != null && r.high == null) {
          // open upper end: at least this much
          const tip = x(end(r));
          el("path", { d: `M${tip},${y + 4} l10,${(rowHeight - 10) / 2} l-10,${(rowHeight - 10) / 2} z`,
                       class: "open-end" }, link);
        } else if (r.low != null && r.high != null && r.high > r.low) {
          el("rect", { x: x(r.low), y: y + 9, width: x(r.high) - x(r.low), height: rowHeight - 20,
                       class: "bar incomparable" }, link);
        }
        const value = el("text", { x: x(Math.max(end(r), r.high || 0)) + 14, y: y + 16 }, link);
        value.textContent = r.shown;
      });
      el("line", { x1: labelWidth, y1: top, x2: labelWidth, y2: top + rows.length * rowHeight, class: "axis" });
      svg.setAttribute("data-rendered", String(rows.length));
    })
    .catch((error) => {
      const message = el("text", { x: 10, y: 20 });
      message.textContent = "chart unavailable: " + error.message;
      svg.setAttribute("data-rendered", "error");
    });
})();
