"""Static SVG charts for reports (PDF and e-mail need images, not scripts)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from pilotage.interfaces.formatting import Lang, money


def grouped_bars(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float], str]],
    currency: str,
    lang: Lang,
    *,
    width: int = 720,
    bar_height: int = 11,
) -> str:
    """Horizontal grouped bars: one group per label, one bar per (name, values, colour)."""
    label_w, gap = 150, 10
    group_h = bar_height * len(series) + gap
    legend_h = 24
    height = legend_h + group_h * len(labels) + 10
    peak = max([max(v, default=0.0) for _, v, _ in series] + [1.0])
    plot_w = width - label_w - 110
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="sans-serif" font-size="11">'
    ]
    for i, (name, _, colour) in enumerate(series):
        x = label_w + i * 130
        out.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{x + 16}" y="14">{escape(name)}</text>')
    for g, label in enumerate(labels):
        y0 = legend_h + g * group_h
        out.append(
            f'<text x="{label_w - 6}" y="{y0 + group_h / 2}" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        for s, (_, values, colour) in enumerate(series):
            value = max(values[g], 0.0)
            w = plot_w * value / peak
            y = y0 + s * bar_height
            out.append(
                f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_height - 2}" '
                f'fill="{colour}"/>'
            )
            out.append(
                f'<text x="{label_w + w + 4:.1f}" y="{y + bar_height - 3}">'
                f"{escape(money(values[g], currency, lang))}</text>"
            )
    out.append("</svg>")
    return "".join(out)


def trend_columns(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float], str]],
    currency: str,
    lang: Lang,
    *,
    width: int = 720,
    height: int = 230,
) -> str:
    """Vertical grouped columns over periods: one group per label, one column per series."""
    top, bottom, left = 28, 34, 10
    plot_h = height - top - bottom
    group_w = (width - 2 * left) / max(len(labels), 1)
    bar_w = min(36.0, (group_w - 16) / max(len(series), 1))
    peak = max([max(v, default=0.0) for _, v, _ in series] + [1.0])
    base = top + plot_h
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="sans-serif" font-size="10">'
    ]
    for i, (name, _, colour) in enumerate(series):
        key_x = left + i * 160
        out.append(f'<rect x="{key_x}" y="4" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{key_x + 16}" y="14" font-size="11">{escape(name)}</text>')
    out.append(f'<line x1="{left}" y1="{base}" x2="{width - left}" y2="{base}" stroke="#8a97a5"/>')
    for g, label in enumerate(labels):
        x0 = left + g * group_w + (group_w - bar_w * len(series)) / 2
        for s, (_, values, colour) in enumerate(series):
            value = max(values[g], 0.0)
            h = plot_h * value / peak
            x = x0 + s * bar_w
            out.append(
                f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar_w - 3:.1f}" '
                f'height="{h:.1f}" fill="{colour}"/>'
            )
            out.append(
                f'<text x="{x + (bar_w - 3) / 2:.1f}" y="{base - h - 3:.1f}" '
                f'text-anchor="middle" font-size="8">'
                f"{escape(money(values[g], currency, lang))}</text>"
            )
        out.append(
            f'<text x="{left + (g + 0.5) * group_w:.1f}" y="{base + 16}" '
            f'text-anchor="middle" font-size="11">{escape(label)}</text>'
        )
    out.append("</svg>")
    return "".join(out)
