"""Self-contained HTML report of typed tokens: inline CSS, inline SVG, a little inline JS, no external resources.

Everything that came from a model or a data file is untrusted: text goes through :func:`html.escape`, and the
data block the script reads is JSON with ``<``, ``>`` and ``&`` escaped, so no completion can close the
``<script>`` element or inject markup. The page is fully coloured without JavaScript; the script only adds the rho
slider (switching between typings precomputed in Python with ``core_algos``), the shading and comparison toggles,
and hover details.
"""

from __future__ import annotations

import html
import json
import math
import string
from collections.abc import Sequence
from importlib import resources
from typing import Any

from .compute import ReportData, Summary, TypedView, display_piece, is_conversational
from .svg import entropy_histogram, entropy_range, mini_histogram

REASONING_RGB = (239, 125, 26)  # orange
KNOWLEDGE_RGB = (42, 111, 219)  # blue
TOP_ROWS = 10


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def esc(value: Any) -> str:
    """HTML-escape any value (quotes too, so it is safe inside attributes)."""
    return html.escape(str(value), quote=True)


def safe_json(value: Any) -> str:
    """JSON for an inline ``<script>`` block: ``<``, ``>`` and ``&`` escaped so no string can end the element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def pack_bits(mask: Sequence[bool]) -> str:
    """A boolean list as hex, 4 tokens per digit, most significant bit first (decoded by the page script)."""
    digits = []
    for start in range(0, len(mask), 4):
        chunk = list(mask[start : start + 4]) + [False] * (4 - len(mask[start : start + 4]))
        digits.append("%x" % (chunk[0] << 3 | chunk[1] << 2 | chunk[2] << 1 | chunk[3]))
    return "".join(digits)


def _num(value: float | None, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    return f"{value:.{digits}f}"


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


# ---------------------------------------------------------------------------------------------- pieces of page


def _token_spans(view: TypedView, index: int, scale: tuple[float, float], changed: Sequence[bool] | None) -> str:
    """Token spans: class r/k by type, --e in [0, 1] the entropy's position in the report's entropy range."""
    record = view.records[index]
    mask = view.reasoning[index]
    out = []
    for j, (piece, h) in enumerate(zip(record.tokens or [], record.entropies or [])):
        classes = ["t", "r" if mask[j] else "k"]
        if record.special and j < len(record.special) and record.special[j]:
            classes.append("s")
        if "\n" in piece:
            classes.append("nl")
        if changed is not None and changed[j]:
            classes.append("x")
        shade = min(1.0, max(0.0, (h - scale[0]) / (scale[1] - scale[0])))
        out.append(f'<span class="{" ".join(classes)}" style="--e:{shade:.2f}">{esc(piece)}</span>')
    return "".join(out)


def _summary_block(summary: Summary, view: TypedView, prefix: str = "") -> str:
    rows = [
        ("responses", f"{summary.n_responses}"),
        ("completion tokens", f"{summary.n_tokens}"),
        ("reasoning tokens", f"{summary.n_reasoning} ({100 * summary.reasoning_fraction:.1f}%)"),
        ("mean H, reasoning", _num(summary.mean_entropy_reasoning)),
        ("mean H, knowledge", _num(summary.mean_entropy_knowledge)),
        ("mean H, all", _num(summary.mean_entropy)),
        ("\u03c4 mean / median", f"{_num(summary.mean_threshold)} / {_num(summary.median_threshold)}"),
    ]
    body = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    return f'<table class="kv"><caption>{esc(prefix)}at \u03c1 = {view.quantile:g}</caption>{body}</table>'


def _top_table(title: str, kind: str, rows: Sequence[tuple[str, int, int]]) -> str:
    body = "".join(
        f'<tr><td><code class="chip {kind}">{esc(display_piece(piece))}</code></td><td>{count}</td>'
        f"<td>{100 * count / total:.0f}%</td></tr>"
        for piece, count, total in rows[:TOP_ROWS]
    )
    if not body:
        body = '<tr><td colspan="3" class="muted">none</td></tr>'
    return (
        f'<table class="top"><caption>{esc(title)}</caption><thead><tr><th>token</th><th>count</th>'
        f'<th title="share of this token\'s occurrences with this type">share</th></tr></thead>{body}</table>'
    )


def _prompt_preview(record_prompt: Any, text: str) -> str:
    if is_conversational(record_prompt):
        last_user = next((m for m in reversed(record_prompt) if m.get("role") == "user"), record_prompt[-1])
        preview = str(last_user.get("content", ""))
    else:
        preview = text
    preview = " ".join(preview.split())
    return preview if len(preview) <= 140 else preview[:139] + "\u2026"


def _meta_line(meta: dict[str, Any]) -> str:
    hidden = {"quantile", "ties", "temperature", "model", "source", "prompt_text", "sample"}
    parts = []
    for key, value in meta.items():
        if key in hidden or value is None or isinstance(value, dict | list):
            continue
        shown = f"{value:.3g}" if isinstance(value, float) else str(value)
        parts.append(f"{esc(key)} <b>{esc(shown[:40])}</b>")
    return " \u00b7 ".join(parts)


def _row(
    label: str,
    view: TypedView,
    i: int,
    tag: str,
    scale: tuple[float, float],
    changed: Sequence[bool] | None,
    follows_rho: bool,
) -> str:
    n = len(view.reasoning[i])
    n_r = sum(view.reasoning[i])
    tau = view.thresholds[i]
    rho_class = ' class="rl"' if follows_rho else ""
    return (
        f'<div class="row" data-v="{tag}"><div class="lab"><b{rho_class}>{esc(label)}</b>'
        f'<span class="tau">\u03c4 = {_num(_finite(tau))}</span>'
        f'<span class="rf">{n_r}/{n} reasoning</span></div>'
        f'<div class="toks">{_token_spans(view, i, scale, changed)}</div></div>'
    )


# ---------------------------------------------------------------------------------------------- the page


def render_html(data: ReportData, title: str = "Archer token types", prompt_texts: Sequence[str] | None = None) -> str:
    """The whole report as one HTML string. ``prompt_texts``: the prompts as the model saw them (chat template
    applied), shown under each response; defaults to the raw prompt."""
    primary = data.primary
    views_for_range = [primary] + ([data.compare] if data.compare is not None else [])
    lo, hi = entropy_range(views_for_range)
    scale = (lo, hi)
    grid_index = next(i for i, view in enumerate(data.grid_views) if view is primary)
    hist_svg, hist_data = entropy_histogram(data, lo, hi, grid_index)
    ties = primary.ties
    cmp_r = "\u2265" if ties == "reasoning" else ">"
    cmp_k = "<" if ties == "reasoning" else "\u2264"
    comparison = data.comparison

    hidden = ["" if g == grid_index else " hidden" for g in range(len(data.grid))]
    summaries = "".join(
        f'<div class="g" data-g="{g}"{hidden[g]}>{_summary_block(summary, view)}</div>'
        for g, (view, summary) in enumerate(zip(data.grid_views, data.grid_summaries))
    )
    tops = "".join(
        f'<div class="g tops" data-g="{g}"{hidden[g]}>'
        f"{_top_table('most frequent reasoning tokens', 'r', summary.top_reasoning)}"
        f"{_top_table('most frequent knowledge tokens', 'k', summary.top_knowledge)}</div>"
        for g, summary in enumerate(data.grid_summaries)
    )

    compare_html = ""
    if comparison is not None and data.compare is not None:
        share = (comparison.knowledge_to_reasoning + comparison.reasoning_to_knowledge) / max(comparison.n_tokens, 1)
        changed_rows = (
            "".join(
                f'<tr><td><code class="chip n">{esc(display_piece(piece))}</code></td><td>{k2r}</td><td>{r2k}</td></tr>'
                for piece, k2r, r2k in comparison.top_changed[:TOP_ROWS]
            )
            or '<tr><td colspan="3" class="muted">no token changes type</td></tr>'
        )
        what = (
            f"the same entropies typed at {esc(comparison.label_a)} and {esc(comparison.label_b)}"
            if comparison.kind == "quantile"
            else f"the same completions scored by {esc(comparison.label_a)} and by {esc(comparison.label_b)} "
            f"(\u03c1 = {primary.quantile:g}); mean |\u0394H| = {_num(comparison.mean_abs_entropy_delta)}"
        )
        cs = data.compare_summary
        by_model = comparison.kind == "model"
        prefix_a = comparison.label_a + ", " if by_model else ""
        prefix_b = comparison.label_b + ", " if by_model else ""
        compare_html = (
            '<section class="card compare"><h2>Comparison</h2>'
            f"<p>{what}. <b>{comparison.knowledge_to_reasoning + comparison.reasoning_to_knowledge}</b> of "
            f"{comparison.n_tokens} tokens ({100 * share:.1f}%) change type: "
            f"<b>{comparison.knowledge_to_reasoning}</b> knowledge \u2192 reasoning, "
            f"<b>{comparison.reasoning_to_knowledge}</b> reasoning \u2192 knowledge. Changed tokens are outlined "
            "in the responses below, where each response shows both typings.</p>"
            f'<div class="cmpgrid"><div>{_summary_block(data.summary, primary, prefix_a)}</div>'
            f"<div>{_summary_block(cs, data.compare, prefix_b) if cs else ''}</div>"
            '<div><table class="top"><caption>tokens that change type most often</caption><thead><tr><th>token'
            f"</th><th>K\u2192R</th><th>R\u2192K</th></tr></thead>{changed_rows}</table></div></div></section>"
        )

    responses = []
    for i, record in enumerate(primary.records):
        n = len(primary.reasoning[i])
        entropies = record.entropies or []
        r_h = [h for h, m in zip(entropies, primary.reasoning[i]) if m]
        k_h = [h for h, m in zip(entropies, primary.reasoning[i]) if not m]
        prompt_shown = prompt_texts[i] if prompt_texts is not None else None
        raw_prompt = record.prompt if isinstance(record.prompt, str) else json.dumps(record.prompt, ensure_ascii=False)
        if prompt_shown is None:
            prompt_shown = record.meta.get("prompt_text")
        full_prompt = prompt_shown if isinstance(prompt_shown, str) else raw_prompt
        changed = comparison.changed[i] if comparison is not None else None
        label_a = comparison.label_a if comparison is not None else f"\u03c1={primary.quantile:g}"
        a_follows = comparison is None or comparison.kind == "quantile"
        rows = _row(label_a, primary, i, "a", scale, changed, a_follows)
        if data.compare is not None and comparison is not None:
            rows += _row(comparison.label_b, data.compare, i, "b", scale, changed, False)
        meta = _meta_line(record.meta)
        responses.append(
            f'<section class="resp" data-i="{i}"><div class="rh"><b>#{i + 1}</b>'
            f"<span>{n} tokens</span>"
            f'<span>mean H: <i class="r">R {_num(sum(r_h) / len(r_h) if r_h else None, 2)}</i> '
            f'<i class="k">K {_num(sum(k_h) / len(k_h) if k_h else None, 2)}</i></span>'
            f"{f'<span>{meta}</span>' if meta else ''}"
            f'<span class="grow"></span>{mini_histogram(entropies, primary.thresholds[i])}</div>'
            f'<details class="prompt"><summary>prompt: {esc(_prompt_preview(record.prompt, full_prompt))}</summary>'
            f"<pre>{esc(full_prompt)}</pre></details>{rows}</section>"
        )

    script_data = {
        "grid": data.grid,
        "g0": grid_index,
        "kind": comparison.kind if comparison is not None else None,
        "frac": [summary.reasoning_fraction for summary in data.grid_summaries],
        "a": {
            "bits": [[pack_bits(view.reasoning[i]) for view in data.grid_views] for i in range(len(primary.records))],
            "tau": [[_finite(view.thresholds[i]) for view in data.grid_views] for i in range(len(primary.records))],
        },
        "h": [[round(h, 4) for h in (r.entropies or [])] for r in primary.records],
        "lp": [[round(x, 4) for x in (r.logprobs or [])] for r in primary.records],
        "hist": hist_data,
    }
    if data.compare is not None:
        if data.compare_grid_views is not None:  # model comparison: both rows follow the slider
            b_bits = [
                [pack_bits(v.reasoning[i]) for v in data.compare_grid_views] for i in range(len(primary.records))
            ]
            b_tau = [[_finite(v.thresholds[i]) for v in data.compare_grid_views] for i in range(len(primary.records))]
            script_data["b"] = {"fixed": False, "bits": b_bits, "tau": b_tau}
        else:  # rho comparison: the second row stays at compare_quantile
            script_data["b"] = {
                "fixed": True,
                "bits": [pack_bits(m) for m in data.compare.reasoning],
                "tau": [_finite(t) for t in data.compare.thresholds],
            }
        script_data["hb"] = [[round(h, 4) for h in (r.entropies or [])] for r in data.compare.records]

    meta_items = "".join(f"<span>{esc(k)}: <b>{esc(v)}</b></span>" for k, v in data.meta.items())
    slider_label = "\u03c1 (rows A)" if comparison is not None and comparison.kind == "quantile" else "\u03c1"
    controls = (
        f'<label class="ctl">{slider_label} <input id="rho" type="range" min="0" max="{len(data.grid) - 1}" '
        f'step="1" value="{grid_index}"> <b id="rhov">{primary.quantile:g}</b></label>'
        f'<span class="ctl">reasoning share <b id="fracv">{100 * data.summary.reasoning_fraction:.1f}%</b></span>'
        '<label class="ctl"><input id="shade" type="checkbox" checked> entropy shading</label>'
    )
    if comparison is not None:
        controls += '<label class="ctl"><input id="showb" type="checkbox" checked> comparison rows</label>'
    legend = (
        f'<span class="legend"><span class="t r" style="--e:.6">reasoning</span> H {cmp_r} \u03c4 '
        f'<span class="t k" style="--e:.6">knowledge</span> H {cmp_k} \u03c4 '
        "(\u03c4: the response's \u03c1-quantile of its token entropies; shading: entropy)</span>"
    )
    return _static("page.html").format(
        title=esc(title),
        css=_stylesheet(),
        js=_static("report.js"),
        meta=meta_items,
        controls=controls,
        legend=legend,
        summary=summaries,
        hist=hist_svg,
        tops=tops,
        compare=compare_html,
        responses="".join(responses),
        data=safe_json(script_data),
        n=len(primary.records),
    )


def _static(name: str) -> str:
    """A file of the report's page (template, stylesheet, script) from the package's ``static`` folder."""
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


def _stylesheet() -> str:
    """The stylesheet with the type colours filled in (hex for lines, ``r,g,b`` for translucent fills)."""
    return string.Template(_static("report.css")).substitute(
        reasoning_hex=_hex(REASONING_RGB),
        knowledge_hex=_hex(KNOWLEDGE_RGB),
        reasoning_rgb="{},{},{}".format(*REASONING_RGB),
        knowledge_rgb="{},{},{}".format(*KNOWLEDGE_RGB),
    )
