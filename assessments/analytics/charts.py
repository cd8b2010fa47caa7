"""Inline SVG charts for the analytics pages (the pre/post analysis, the validation results'
heat map): no JavaScript, small, readable by screen readers.

Each builder returns a complete ``<svg role="img" aria-labelledby=…>`` element with a
``<title>`` and a ``<desc>``; the page's tables carry the same figures. Colours and strokes come
from CSS classes (``.chart …`` in site.css), so the charts follow the site's palette and print.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 640
LABEL_WIDTH = 190
RIGHT = 24
TOP = 34
ROW = 30
BOTTOM = 16
MAX_LABEL = 28


@dataclass(frozen=True)
class MeanPoint:
    """One group in the means chart. ``ci_low``/``ci_high`` bound the mean *difference*."""

    name: str
    mean_pre: float
    mean_post: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class ShiftPoint:
    """One item in the shift chart: percent agreeing before and after (0-100)."""

    label: str
    detail: str
    pct_pre: float
    pct_post: float


def _n(value: float) -> str:
    """A coordinate: one decimal is plenty on a 640-unit canvas and keeps the page light."""
    return f"{value:.1f}"


def _short(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _finite(*values: float | None) -> bool:
    return all(v is not None and math.isfinite(v) for v in values)


def _svg(chart_id: str, height: float, title: str, desc: str, body: list[str]) -> SafeString:
    # Safe: every text is escaped and every number is formatted here.
    return mark_safe(
        f'<svg class="chart" id="{escape(chart_id)}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'viewBox="0 0 {WIDTH} {_n(height)}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _axis(
    ticks: Sequence[tuple[float, str]], x_of, top: float, bottom: float, unit: str = ""
) -> list[str]:
    parts = []
    for value, text in ticks:
        x = _n(x_of(value))
        parts.append(
            f'<line class="grid" x1="{x}" x2="{x}" y1="{_n(top - 6)}" y2="{_n(bottom)}"/>'
            f'<text class="tick" x="{x}" y="{_n(top - 10)}" text-anchor="middle">'
            f"{escape(text)}{escape(unit)}</text>"
        )
    return parts


def _row_label(y: float, text: str) -> str:
    return (
        f'<text class="label" x="{LABEL_WIDTH - 8}" y="{_n(y + 4)}" text-anchor="end">'
        f"<title>{escape(text)}</title>{escape(_short(text))}</text>"
    )


def means_chart(
    points: Sequence[MeanPoint],
    *,
    scale_min: float,
    scale_max: float,
    chart_id: str,
    title: str,
    number=lambda v: f"{v:.2f}",
) -> SafeString:
    """Pre and post means per group, with the 95 % CI of the paired change as an error bar.

    The bar spans ``mean_pre + ci_low`` to ``mean_pre + ci_high``: the interval for the post
    mean implied by the paired difference (which is what the t-test tests). When it does not
    reach the pre mean, the change is significant at 5 %. Separate CIs of the two means would
    ignore the pairing and overstate the uncertainty.
    """
    span = scale_max - scale_min or 1
    plot = WIDTH - LABEL_WIDTH - RIGHT

    def x_of(value: float) -> float:
        clipped = min(max(value, scale_min), scale_max)
        return LABEL_WIDTH + (clipped - scale_min) / span * plot

    height = TOP + ROW * max(len(points), 1) + BOTTOM + 22
    bottom = TOP + ROW * max(len(points), 1)
    ticks = [(v, str(v)) for v in range(int(scale_min), int(scale_max) + 1)]
    body = _axis(ticks, x_of, TOP, bottom)
    sentences = []
    for row, p in enumerate(points):
        y = TOP + ROW * row + ROW / 2
        x_pre, x_post = x_of(p.mean_pre), x_of(p.mean_post)
        body.append(_row_label(y, p.name))
        body.append(
            f'<line class="link" x1="{_n(x_pre)}" x2="{_n(x_post)}" y1="{_n(y)}" y2="{_n(y)}"/>'
        )
        if _finite(p.ci_low, p.ci_high):
            lo, hi = x_of(p.mean_pre + p.ci_low), x_of(p.mean_pre + p.ci_high)
            body.append(
                f'<path class="ci" d="M{_n(lo)} {_n(y - 5)}v10M{_n(lo)} {_n(y)}H{_n(hi)}'
                f'M{_n(hi)} {_n(y - 5)}v10"/>'
            )
        body.append(f'<circle class="pre" cx="{_n(x_pre)}" cy="{_n(y)}" r="5"/>')
        body.append(f'<circle class="post" cx="{_n(x_post)}" cy="{_n(y)}" r="5"/>')
        sentences.append(
            _("%(group)s: %(pre)s before, %(post)s after")
            % {"group": p.name, "pre": number(p.mean_pre), "post": number(p.mean_post)}
        )
    legend_y = bottom + 18
    ci_label = _("95% CI of the change")
    body.append(
        f'<circle class="pre" cx="{LABEL_WIDTH + 6}" cy="{legend_y - 4}" r="5"/>'
        f'<text class="tick" x="{LABEL_WIDTH + 16}" y="{legend_y}">{escape(_("before"))}</text>'
        f'<circle class="post" cx="{LABEL_WIDTH + 96}" cy="{legend_y - 4}" r="5"/>'
        f'<text class="tick" x="{LABEL_WIDTH + 106}" y="{legend_y}">{escape(_("after"))}</text>'
        f'<path class="ci" d="M{LABEL_WIDTH + 180} {legend_y - 9}v10M{LABEL_WIDTH + 180} '
        f'{legend_y - 4}h24M{LABEL_WIDTH + 204} {legend_y - 9}v10"/>'
        f'<text class="tick" x="{LABEL_WIDTH + 212}" y="{legend_y}">'
        f"{escape(ci_label)}</text>"
    )
    desc = _(
        "Mean score on a scale from %(min)s to %(max)s before (open circle) and after (filled "
        "circle) for each group; the bar is the 95%% confidence interval of the paired change, "
        "drawn around the after mean. %(values)s. The table has the same figures."
    ) % {"min": scale_min, "max": scale_max, "values": "; ".join(sentences) or _("No groups")}
    return _svg(chart_id, height, title, desc, body)


def shift_chart(
    points: Sequence[ShiftPoint],
    *,
    chart_id: str,
    title: str,
    number=lambda v: f"{v:.0f}",
) -> SafeString:
    """Percent agreeing with each item before → after, as arrows on a 0-100 % axis."""
    plot = WIDTH - LABEL_WIDTH - RIGHT

    def x_of(value: float) -> float:
        return LABEL_WIDTH + min(max(value, 0.0), 100.0) / 100.0 * plot

    rows = max(len(points), 1)
    bottom = TOP + ROW * rows
    height = bottom + BOTTOM
    marker = f"{chart_id}-arrow"
    body = [
        f'<defs><marker id="{escape(marker)}" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path class="arrowhead" d="M0 0L10 5L0 10z"/></marker></defs>'
    ]
    body += _axis([(v, str(v)) for v in range(0, 101, 25)], x_of, TOP, bottom, unit=" %")
    sentences = []
    for row, p in enumerate(points):
        y = TOP + ROW * row + ROW / 2
        x_pre, x_post = x_of(p.pct_pre), x_of(p.pct_post)
        body.append(
            f'<text class="label" x="{LABEL_WIDTH - 8}" y="{_n(y + 4)}" text-anchor="end">'
            f"<title>{escape(p.detail)}</title>{escape(_short(p.label))}</text>"
        )
        body.append(f'<circle class="pre" cx="{_n(x_pre)}" cy="{_n(y)}" r="4"/>')
        if abs(x_post - x_pre) >= 1:
            body.append(
                f'<line class="shift" x1="{_n(x_pre)}" x2="{_n(x_post)}" y1="{_n(y)}" '
                f'y2="{_n(y)}" marker-end="url(#{escape(marker)})"/>'
            )
        else:
            body.append(f'<circle class="post" cx="{_n(x_post)}" cy="{_n(y)}" r="4"/>')
        sentences.append(
            _("%(item)s: %(pre)s%% → %(post)s%%")
            % {"item": p.label, "pre": number(p.pct_pre), "post": number(p.pct_post)}
        )
    desc = _(
        "Percentage of people agreeing with each statement before (circle) and after (arrow "
        "head). %(values)s. The table has the same figures."
    ) % {"values": "; ".join(sentences) or _("No items")}
    return _svg(chart_id, height, title, desc, body)


@dataclass(frozen=True)
class HeatPoint:
    """One cell of a heat map: its value (None when suppressed or empty), the text drawn in it
    and the sentence that describes it."""

    value: float | None
    text: str
    detail: str


HEAT_BINS = 5
HEAT_COLUMN_LABEL = 20


def heat_map(
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Sequence[Sequence[HeatPoint]],
    *,
    low: float,
    high: float,
    chart_id: str,
    title: str,
    empty_label: str,
) -> SafeString:
    """A grid of rows × columns whose cells are shaded in five steps from `low` to `high`
    (classes ``heat-1`` … ``heat-5``; ``heat-none`` for a cell without a value)."""
    columns = list(columns)
    plot = WIDTH - LABEL_WIDTH - RIGHT
    width = plot / max(len(columns), 1)
    bottom = TOP + ROW * max(len(rows), 1)
    body = []
    for col, name in enumerate(columns):
        x = LABEL_WIDTH + width * (col + 0.5)
        body.append(
            f'<text class="tick" x="{_n(x)}" y="{TOP - 10}" text-anchor="middle">'
            f"<title>{escape(name)}</title>{escape(_short(name, HEAT_COLUMN_LABEL))}</text>"
        )
    sentences = []
    span = (high - low) or 1
    for row, (name, points) in enumerate(zip(rows, cells, strict=True)):
        y = TOP + ROW * row
        body.append(_row_label(y + ROW / 2, name))
        parts = []
        for col, point in enumerate(points):
            if point.value is None:
                step = "none"
            else:
                step = str(min(HEAT_BINS, max(1, 1 + int((point.value - low) / span * HEAT_BINS))))
            x = LABEL_WIDTH + width * col
            body.append(
                f'<rect class="heat heat-{step}" x="{_n(x + 1)}" y="{_n(y + 1)}" '
                f'width="{_n(width - 2)}" height="{ROW - 2}"><title>{escape(point.detail)}'
                f'</title></rect><text class="heat-text heat-text-{step}" x="{_n(x + width / 2)}" '
                f'y="{_n(y + ROW / 2 + 4)}" text-anchor="middle">{escape(point.text)}</text>'
            )
            parts.append(f"{columns[col]} {point.text}")
        sentences.append(f"{name}: " + ", ".join(parts))
    desc = _("%(values)s. Cells marked %(empty)s have too few people to be shown.") % {
        "values": "; ".join(sentences) or _("No groups"),
        "empty": empty_label,
    }
    return _svg(chart_id, bottom + BOTTOM, title, desc, body)
