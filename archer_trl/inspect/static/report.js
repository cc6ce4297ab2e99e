(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("archer-data").textContent);
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.resp"));
  var rows = sections.map(function (sec) {
    function spans(tag) {
      var row = sec.querySelector('.row[data-v="' + tag + '"]');
      if (!row) return null;
      var list = Array.prototype.slice.call(row.querySelectorAll(".t"));
      list.forEach(function (el, j) { el._j = j; el._v = tag; el._i = +sec.dataset.i; });
      return {row: row, spans: list, tau: row.querySelector(".tau"), rf: row.querySelector(".rf")};
    }
    return {a: spans("a"), b: spans("b"), mini: sec.querySelector("svg.mini")};
  });
  var current = D.g0;

  function bit(hex, j) { return (parseInt(hex.charAt(j >> 2), 16) >> (3 - (j & 3))) & 1; }
  function fmt(x, d) { return (x === null || x === undefined) ? "n/a" : x.toFixed(d); }

  function paint(row, hex, tau) {
    var n = row.spans.length, count = 0;
    for (var j = 0; j < n; j++) {
      var r = bit(hex, j) === 1;
      if (r) count++;
      var cl = row.spans[j].classList;
      cl.toggle("r", r);
      cl.toggle("k", !r);
    }
    row.tau.textContent = "\u03c4 = " + fmt(tau, 3);
    row.rf.textContent = count + "/" + n + " reasoning";
    var rl = row.row.querySelector(".rl");
    if (rl) rl.textContent = "\u03c1=" + D.grid[current];
  }

  function bHex(i, g) { return D.b.fixed ? D.b.bits[i] : D.b.bits[i][g]; }
  function bTau(i, g) { return D.b.fixed ? D.b.tau[i] : D.b.tau[i][g]; }

  function apply(g) {
    current = g;
    rows.forEach(function (r, i) {
      paint(r.a, D.a.bits[i][g], D.a.tau[i][g]);
      if (r.b) {
        if (!D.b.fixed) paint(r.b, bHex(i, g), bTau(i, g));
        var ha = D.a.bits[i][g], hb = bHex(i, g);
        for (var j = 0; j < r.a.spans.length; j++) {
          var changed = bit(ha, j) !== bit(hb, j);
          r.a.spans[j].classList.toggle("x", changed);
          r.b.spans[j].classList.toggle("x", changed);
        }
      }
      if (r.mini) {
        var tau = D.a.tau[i][g], lo = parseFloat(r.mini.dataset.lo), top = parseFloat(r.mini.dataset.m);
        var w = r.mini.width.baseVal.value;
        var x = tau === null ? -10 : Math.max(0, Math.min(w, (tau - lo) / (top - lo) * w));
        var line = r.mini.querySelector(".tl");
        line.setAttribute("x1", x); line.setAttribute("x2", x);
        Array.prototype.forEach.call(r.mini.querySelectorAll(".mb"), function (rect) {
          var above = tau !== null && parseFloat(rect.dataset.c) > tau;
          rect.classList.toggle("r", above); rect.classList.toggle("k", !above);
        });
      }
    });
    var H = D.hist, taus = [];
    Array.prototype.forEach.call(document.querySelectorAll("#hist .hk"), function (rect) {
      var b = +rect.dataset.b, total = H.totals[b];
      var full = Math.sqrt(total) / H.peak * H.plotH, rh = total ? full * H.r[g][b] / total : 0;
      rect.setAttribute("y", H.base - full + rh); rect.setAttribute("height", Math.max(0, full - rh));
      var top = rect.nextElementSibling;
      top.setAttribute("y", H.base - full); top.setAttribute("height", rh);
    });
    var rug = document.querySelectorAll("#rug line");
    D.a.tau.forEach(function (t, i) {
      var v = t[g], x = v === null ? -10 : H.left + (v - H.lo) / (H.hi - H.lo) * H.plotW;
      if (v !== null) taus.push(v);
      rug[i].setAttribute("x1", x); rug[i].setAttribute("x2", x);
    });
    taus.sort(function (p, q) { return p - q; });
    var med = null, m = taus.length >> 1;
    if (taus.length) med = taus.length % 2 ? taus[m] : (taus[m - 1] + taus[m]) / 2;
    var mx = med === null ? -10 : H.left + (med - H.lo) / (H.hi - H.lo) * H.plotW;
    var line = document.getElementById("medtau"), label = document.getElementById("medtaul");
    line.setAttribute("x1", mx); line.setAttribute("x2", mx);
    label.setAttribute("x", Math.min(mx + 4, H.left + H.plotW - 110));
    label.textContent = med === null ? "" : "median \u03c4 = " + med.toFixed(3);
    Array.prototype.forEach.call(document.querySelectorAll(".g"), function (el) {
      el.hidden = +el.dataset.g !== g;
    });
    document.getElementById("rhov").textContent = D.grid[g];
    document.getElementById("fracv").textContent = (100 * D.frac[g]).toFixed(1) + "%";
  }

  document.getElementById("rho").addEventListener("input", function (e) { apply(+e.target.value); });
  document.getElementById("shade").addEventListener("change", function (e) {
    document.body.classList.toggle("flat", !e.target.checked);
  });
  var showb = document.getElementById("showb");
  if (showb) showb.addEventListener("change", function (e) { document.body.classList.toggle("nob", !e.target.checked); });

  document.addEventListener("mouseover", function (e) {
    var el = e.target;
    if (!el || el._j === undefined) return;
    var i = el._i, j = el._j, b = el._v === "b";
    var h = (b ? D.hb : D.h)[i][j], tau = b ? bTau(i, current) : D.a.tau[i][current];
    var text = "H = " + fmt(h, 3) + " nats, \u03c4 = " + fmt(tau, 3) + ", " +
      (el.classList.contains("r") ? "reasoning" : "knowledge");
    if (!b && D.lp[i] && D.lp[i].length > j) text += ", p = " + Math.exp(D.lp[i][j]).toPrecision(3);
    if (D.hb && D.hb[i] && j < D.hb[i].length && D.kind === "model") {
      text += b ? ", A: H = " + fmt(D.h[i][j], 3) : ", B: H = " + fmt(D.hb[i][j], 3);
    }
    el.title = text;
  });
  var wanted = /rho=([0-9.]+)/.exec(window.location.hash);  // deep link: report.html#rho=0.9
  if (wanted) {
    var target = parseFloat(wanted[1]), best = 0;
    D.grid.forEach(function (q, g) { if (Math.abs(q - target) < Math.abs(D.grid[best] - target)) best = g; });
    document.getElementById("rho").value = best;
    apply(best);
  }
  document.body.classList.add("js");
})();
