"""Charts as inline SVG drawn on the server: no script, no outside asset (the ward's
network is closed)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from indicators.selectors import Series

WIDTH, HEIGHT = 420, 180
LEFT, RIGHT, TOP, BOTTOM = 48, 10, 12, 34


def _fmt(value: Decimal | float) -> str:
    value = float(value)
    return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"


def bar_chart(series: Series, *, title: str) -> SafeString:
    """Bars per fiscal year, with dashed lines for the baseline and the target."""
    indicator = series.indicator
    values = [float(p.value) for p in series.points if p.value is not None and p.has_value]
    refs = [float(indicator.target)]
    if indicator.baseline is not None:
        refs.append(float(indicator.baseline))
    top = max([*values, *refs, 1.0]) * 1.1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(v: float) -> float:
        return TOP + plot_h - (v / top) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(title)}" '
        'class="indicator-chart">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" '
        'stroke="#555"/>',
    ]
    n = max(len(series.points), 1)
    slot = plot_w / n
    for i, point in enumerate(series.points):
        x = LEFT + i * slot
        parts.append(
            f'<text x="{x + slot / 2:.1f}" y="{HEIGHT - 18}" font-size="10" '
            f'text-anchor="middle">{escape(point.label.replace("年度", ""))}</text>'
        )
        if point.value is None or not point.has_value:
            # No records yet that year is not a 0; a value that cannot be computed is "—".
            empty = _("データなし") if point.no_data else "—"
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{TOP + plot_h - 4}" font-size="9" '
                f'text-anchor="middle" fill="#777" class="no-data">{escape(empty)}</text>'
            )
            continue
        v = float(point.value)
        fill = "#2f6f9f" if point.approved else "#9bbcd6"
        tip = f"{point.label}: {_fmt(v)}"
        outline = ""
        if point.covers_until is not None:
            # A year computed before it ended: a dashed outline, marked below the year.
            mark = _("年度途中(%(m)s月%(d)s日まで)") % {
                "m": point.covers_until.month,
                "d": point.covers_until.day,
            }
            tip = f"{tip} ({mark})"
            fill = "#d9e6f0"
            outline = ' stroke="#b26a00" stroke-dasharray="3 2" class="partial-year"'
            partial = escape(_("途中"))
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{HEIGHT - 6}" font-size="9" '
                f'text-anchor="middle" fill="#8a5300">{partial}</text>'
            )
        parts.append(
            f'<rect x="{x + slot * 0.2:.1f}" y="{y(v):.1f}" width="{slot * 0.6:.1f}" '
            f'height="{TOP + plot_h - y(v):.1f}" fill="{fill}"{outline}>'
            f"<title>{escape(tip)}</title></rect>"
        )
        parts.append(
            f'<text x="{x + slot / 2:.1f}" y="{y(v) - 3:.1f}" font-size="10" '
            f'text-anchor="middle">{escape(_fmt(v))}</text>'
        )
    for value, colour, name in (
        (indicator.baseline, "#888", "baseline"),
        (indicator.target, "#c0392b", "target"),
    ):
        if value is None:
            continue
        yy = y(float(value))
        parts.append(
            f'<line x1="{LEFT}" y1="{yy:.1f}" x2="{WIDTH - RIGHT}" y2="{yy:.1f}" '
            f'stroke="{colour}" stroke-dasharray="4 3" class="{name}"/>'
        )
        parts.append(
            f'<text x="{LEFT - 4}" y="{yy + 3:.1f}" font-size="9" text-anchor="end" '
            f'fill="{colour}">{escape(_fmt(value))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
