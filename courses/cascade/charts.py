"""The reach's inline SVG chart: verified replica sessions per month, one bar each. No script,
no style attribute (colours come from ``.chart`` classes in site.css); the table beside it
carries the same figures for screen readers and print."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 16, 40


def _n(value: float) -> str:
    return f"{value:.1f}"


def monthly_bars(
    months: Sequence[tuple[str, int]], *, chart_id: str = "reach-months"
) -> SafeString:
    """``months`` as (label "YYYY-MM", sessions), oldest first."""
    top = max([value for _label, value in months] + [1])
    step = (WIDTH - LEFT - RIGHT) / max(len(months), 1)
    plot = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(_("Verified replica sessions per month"))}</title>',
        f'<desc id="{chart_id}-desc">'
        + escape(", ".join(f"{label}: {value}" for label, value in months))
        + "</desc>",
        f'<line class="grid" x1="{LEFT}" y1="{TOP + plot}" '
        f'x2="{WIDTH - RIGHT}" y2="{TOP + plot}"/>',
        f'<text class="tick" x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end">{top}</text>',
        f'<text class="tick" x="{LEFT - 4}" y="{TOP + plot}" text-anchor="end">0</text>',
    ]
    for index, (label, value) in enumerate(months):
        height = plot * value / top
        x = LEFT + index * step + step * 0.15
        parts.append(
            f'<rect class="bar" x="{_n(x)}" y="{_n(TOP + plot - height)}" '
            f'width="{_n(step * 0.7)}" height="{_n(height)}"/>'
        )
        if value:
            parts.append(
                f'<text class="label" x="{_n(x + step * 0.35)}" y="{_n(TOP + plot - height - 3)}" '
                f'text-anchor="middle">{value}</text>'
            )
        parts.append(
            f'<text class="tick" x="{_n(x + step * 0.35)}" y="{HEIGHT - BOTTOM + 14}" '
            f'text-anchor="middle">{escape(label[5:])}</text>'
        )
    if months:
        years = f"{months[0][0][:4]}–{months[-1][0][:4]}"
        parts.append(f'<text class="tick" x="{LEFT}" y="{HEIGHT - 6}">{escape(years)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
