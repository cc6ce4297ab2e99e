"""The report's SVG charts: the stacked entropy histogram with every response's threshold, and the per-response
mini histograms. Pure functions of typed views; the page script redraws them when the rho slider moves."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

from .compute import ReportData, TypedView

HIST_BINS = 40
MINI_BINS = 24


def nice_step(span: float, target: int = 6) -> float:
    raw = span / max(target, 1)
    if raw <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def entropy_range(views: Sequence[TypedView]) -> tuple[float, float]:
    """Histogram x-range: from 0 (or a round value under the minimum if all entropies are high) to the max."""
    values = [h for view in views for record in view.records for h in (record.entropies or [])]
    if not values:
        return 0.0, 1.0
    lo, hi = min(values), max(values)
    if hi - lo < 1e-6:
        hi = lo + 1e-3
    step = nice_step(hi - lo)
    start = 0.0 if lo < 0.25 * hi else math.floor(lo / step) * step
    end = math.ceil(hi / step) * step
    if end <= hi:
        end += step
    return start, end


def bin_index(h: float, lo: float, hi: float, bins: int) -> int:
    return min(bins - 1, max(0, int((h - lo) / (hi - lo) * bins)))


def mini_histogram(entropies: Sequence[float], tau: float, width: int = 150, height: int = 30) -> str:
    """A tiny per-response entropy histogram (bins above tau orange, below blue) with the threshold line."""
    if not entropies:
        return ""
    low, top = min(entropies), max(entropies)
    low = 0.0 if low < 0.25 * top else low  # zoom in when every token is uncertain (e.g. an untrained model)
    top = max(top, low + 1e-3)
    counts = [0] * MINI_BINS
    for h in entropies:
        counts[bin_index(h, low, top, MINI_BINS)] += 1
    tallest = max(counts)
    bar = width / MINI_BINS
    rects = []
    for b, count in enumerate(counts):
        if not count:
            continue
        centre = low + (b + 0.5) / MINI_BINS * (top - low)
        kind = "r" if math.isfinite(tau) and centre > tau else "k"
        bar_height = max(1.0, math.sqrt(count / tallest) * (height - 2))  # sqrt: the low-entropy spike dominates
        rects.append(
            f'<rect class="mb {kind}" data-c="{centre:.5f}" x="{b * bar:.1f}" y="{height - bar_height:.1f}" '
            f'width="{bar - 0.6:.1f}" height="{bar_height:.1f}"/>'
        )
    x = min(width, max(0.0, (tau - low) / (top - low) * width)) if math.isfinite(tau) else -10
    return (
        f'<svg class="mini" data-lo="{low:.5f}" data-m="{top:.5f}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="entropy histogram of this response">{"".join(rects)}'
        f'<line class="tl" x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{height}"/></svg>'
    )


def entropy_histogram(data: ReportData, lo: float, hi: float, grid_index: int) -> tuple[str, dict[str, Any]]:
    """The stacked entropy histogram (knowledge below, reasoning above) with every response's threshold as a
    tick and the median threshold as a dashed line; returns the SVG and the per-rho counts for the script."""
    width, height, left, bottom, top_pad = 460, 200, 44, 36, 12
    plot_w, plot_h = width - left - 10, height - bottom - top_pad
    totals = [0] * HIST_BINS
    first = data.grid_views[0]
    for record in first.records:
        for h in record.entropies or []:
            totals[bin_index(h, lo, hi, HIST_BINS)] += 1
    reasoning_by_grid = []
    for view in data.grid_views:
        counts = [0] * HIST_BINS
        for record, mask in zip(view.records, view.reasoning):
            for h, is_r in zip(record.entropies or [], mask):
                if is_r:
                    counts[bin_index(h, lo, hi, HIST_BINS)] += 1
        reasoning_by_grid.append(counts)
    peak = math.sqrt(max(totals) or 1)
    bar = plot_w / HIST_BINS
    view = data.grid_views[grid_index]
    parts = [
        f'<svg id="hist" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        'aria-label="histogram of token entropies with the thresholds">'
    ]
    base = top_pad + plot_h
    for b, total in enumerate(totals):
        full = math.sqrt(total) / peak * plot_h
        r_height = full * reasoning_by_grid[grid_index][b] / total if total else 0.0
        x = left + b * bar
        parts.append(
            f'<rect class="hk" data-b="{b}" x="{x:.1f}" y="{base - full + r_height:.1f}" width="{bar - 0.8:.1f}" '
            f'height="{full - r_height:.1f}"/>'
            f'<rect class="hr" data-b="{b}" x="{x:.1f}" y="{base - full:.1f}" width="{bar - 0.8:.1f}" '
            f'height="{r_height:.1f}"/>'
        )
    parts.append(f'<line class="axis" x1="{left}" x2="{left + plot_w}" y1="{base}" y2="{base}"/>')
    step = nice_step(hi - lo, 6)
    tick = lo
    while tick <= hi + 1e-9:
        x = left + (tick - lo) / (hi - lo) * plot_w
        parts.append(
            f'<line class="axis" x1="{x:.1f}" x2="{x:.1f}" y1="{base}" y2="{base + 4}"/>'
            f'<text x="{x:.1f}" y="{base + 15}" text-anchor="middle">{tick:g}</text>'
        )
        tick = round(tick + step, 10)
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 3}" text-anchor="middle">token entropy (nats)</text>'
        f'<text transform="translate(11 {top_pad + plot_h / 2:.1f}) rotate(-90)" text-anchor="middle">'
        "tokens (\u221a scale)</text>"
    )
    parts.append('<g id="rug">')
    for tau in view.thresholds:
        x = left + (tau - lo) / (hi - lo) * plot_w if math.isfinite(tau) else -10
        parts.append(f'<line class="rug" x1="{x:.1f}" x2="{x:.1f}" y1="{base - 7}" y2="{base}"/>')
    parts.append("</g>")
    med = median([t for t in view.thresholds if math.isfinite(t)])
    mx = left + (med - lo) / (hi - lo) * plot_w if med is not None else -10
    label = f"median \u03c4 = {med:.3f}" if med is not None else ""
    parts.append(
        f'<line id="medtau" class="medline" x1="{mx:.1f}" x2="{mx:.1f}" y1="{top_pad - 4}" y2="{base}"/>'
        f'<text id="medtaul" class="taul" x="{min(mx + 4, width - 120):.1f}" y="{top_pad + 6}">{html.escape(label)}</text>'
    )
    parts.append("</svg>")
    hist_data = {
        "lo": lo,
        "hi": hi,
        "left": left,
        "plotW": plot_w,
        "plotH": plot_h,
        "base": base,
        "peak": peak,
        "totals": totals,
        "r": reasoning_by_grid,
    }
    return "".join(parts), hist_data


def median(values: Sequence[float]) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
