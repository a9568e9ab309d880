"""Inline SVG bar charts for the HTML report: no script, no font, no external file.
Each chart is role="img" with a <title> and <desc> that state every value, so a screen
reader (and a printout) gets the numbers, not only the picture."""

from __future__ import annotations

from html import escape

_COLORS = {
    "high": "#b3261e",
    "medium": "#8a5a00",
    "low": "#1f5f8b",
    "info": "#4a4a4a",
    "not_sovereign": "#b3261e",
    "unknown": "#8a5a00",
    "sovereign": "#1b6e3a",
}
_DEFAULT = "#2f4b7c"
_ROW, _LABEL, _BAR, _GAP = 22, 190, 300, 6


def bar_chart(chart_id: str, title: str, rows: list[tuple[str, int]], max_rows: int = 12) -> str:
    """Horizontal bars, longest first; the rest of a long list folded into 'other'."""
    rows = list(rows)
    if len(rows) > max_rows:
        rest = sum(n for _label, n in rows[max_rows - 1 :])
        rows = [*rows[: max_rows - 1], (f"{len(rows) - max_rows + 1} others", rest)]
    peak = max((n for _label, n in rows), default=0) or 1
    width = _LABEL + _BAR + 60
    height = max(len(rows), 1) * _ROW + _GAP * 2
    desc = "; ".join(f"{label}: {n}" for label, n in rows) or "nothing to show"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" class="chart">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
    ]
    for index, (label, n) in enumerate(rows):
        y = _GAP + index * _ROW
        bar = max(2, round(_BAR * n / peak))
        color = _COLORS.get(label, _DEFAULT)
        shown = label if len(label) <= 28 else label[:27] + "\u2026"
        parts.append(
            f'<text x="{_LABEL - 8}" y="{y + 15}" text-anchor="end" class="label">{escape(shown)}</text>'
            f'<rect x="{_LABEL}" y="{y + 3}" width="{bar}" height="{_ROW - 8}" fill="{color}" rx="2"/>'
            f'<text x="{_LABEL + bar + 6}" y="{y + 15}" class="value">{n}</text>'
        )
    if not rows:
        parts.append(f'<text x="8" y="{_GAP + 15}" class="label">nothing to show</text>')
    parts.append("</svg>")
    return "".join(parts)
