"""Charts for the trend pages (SVG) and the Word reports (PNG), drawn with matplotlib.

No pyplot: every chart is a `matplotlib.figure.Figure` rendered by the Agg/SVG canvases, with
fixed settings so the same figures give the same file. Charts only ever receive figures that
passed the group-size rule (`reports.selectors`): a hidden value is `None` and is not drawn,
and a panel with nothing to draw says so in words. Every value drawn is also written next to
its point, and the page's table (the text alternative) holds the same numbers.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")

from matplotlib import rc_context
from matplotlib.figure import Figure

UNIT_COLOUR = "#1E5BA8"
ORG_COLOUR = "#6B6B6B"
ACCENT = "#B3261E"

RC = {
    "svg.hashsalt": "verne",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 8,
    "axes.titleweight": "bold",
    "path.simplify": False,
}


@dataclass
class Series:
    label: str
    values: Sequence[float | None]
    colour: str = UNIT_COLOUR
    dashed: bool = False
    gid: str = ""


@dataclass
class Panel:
    title: str
    series: list[Series] = field(default_factory=list)
    ymax: float | None = 100.0
    ymin: float = 0.0


def _wrap(text: str, width: int = 34) -> str:
    words, lines, line = text.split(), [], ""
    for w in words:
        if len(line) + len(w) + 1 > width and line:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        lines.append(line)
    return "\n".join(lines[:3]) + ("…" if len(lines) > 3 else "")


def _fmt(v: float) -> str:
    return f"{v:.0f}" if abs(v) >= 10 or float(v).is_integer() else f"{v:.1f}"


def small_multiples(panels: Sequence[Panel], labels: Sequence[str], *, title: str = "", empty_text: str = "",
                    columns: int = 3, unit: str = "%") -> Figure:  # fmt: skip
    """One small line chart per measure over the years (x = `labels`)."""
    n = max(len(panels), 1)
    cols = min(columns, n)
    rows = math.ceil(n / cols)
    with rc_context(RC):
        fig = Figure(figsize=(2.6 * cols + 0.4, 1.9 * rows + (0.5 if title else 0.2)), dpi=100)
        if title:
            fig.suptitle(title, fontsize=10, fontweight="bold")
        xs = list(range(len(labels)))
        for i, panel in enumerate(panels):
            ax = fig.add_subplot(rows, cols, i + 1)
            ax.set_title(_wrap(panel.title), loc="left")
            ax.set_xticks(xs, [str(x) for x in labels])
            ax.set_xlim(-0.4, max(len(labels) - 0.6, 0.6))
            top = panel.ymax
            drawn = False
            for s in panel.series:
                pts = [(x, v) for x, v in zip(xs, s.values, strict=False) if v is not None]
                if not pts:
                    continue
                drawn = True
                px, py = zip(*pts, strict=True)
                line = ax.plot(px, py, color=s.colour, linestyle="--" if s.dashed else "-", marker="o", markersize=3,
                               linewidth=1.4, label=s.label)[0]  # fmt: skip
                if s.gid:
                    line.set_gid(s.gid)
                if not s.dashed:
                    for x, v in pts:
                        ax.annotate(_fmt(v), (x, v), textcoords="offset points", xytext=(0, 4), ha="center",
                                    fontsize=7, color=s.colour)  # fmt: skip
                if top is None:
                    top = max(py)
            if top is None:
                top = 1.0
            ax.set_ylim(panel.ymin, top * 1.15 if top else 1)
            ax.tick_params(labelsize=7)
            if unit:
                ax.yaxis.set_major_formatter(lambda v, _p: f"{v:.0f}{unit if unit != '%' else ''}")
            ax.grid(axis="y", color="#DDDDDD", linewidth=0.5)
            if not drawn and empty_text:
                ax.text(0.5, 0.5, _wrap(empty_text, 28), transform=ax.transAxes, ha="center", va="center", fontsize=7,
                        color=ORG_COLOUR)  # fmt: skip
        if panels and panels[0].series:
            handles = [s for s in panels[0].series]
            fig.legend(
                [matplotlib.lines.Line2D([], [], color=s.colour, linestyle="--" if s.dashed else "-", marker="o", markersize=3) for s in handles],
                [s.label for s in handles], loc="lower center", ncol=len(handles), frameon=False, fontsize=7,
            )  # fmt: skip
        fig.tight_layout(rect=(0, 0.06, 1, 0.97 if title else 1))
    return fig


def line_chart(labels: Sequence[str], series: Sequence[Series], *, title: str = "", ylabel: str = "",
               empty_text: str = "", size: tuple[float, float] = (7.0, 2.8), tick_every: int = 1) -> Figure:  # fmt: skip
    """One chart with several series (e.g. 12-month rolling H1 and H2 by month)."""
    with rc_context(RC):
        fig = Figure(figsize=size, dpi=100)
        ax = fig.add_subplot(1, 1, 1)
        if title:
            ax.set_title(title, loc="left", fontsize=9)
        xs = list(range(len(labels)))
        drawn = False
        for s in series:
            pts = [(x, v) for x, v in zip(xs, s.values, strict=False) if v is not None and not (isinstance(v, float) and math.isnan(v))]
            if not pts:
                continue
            drawn = True
            px, py = zip(*pts, strict=True)
            line = ax.plot(px, py, color=s.colour, linestyle="--" if s.dashed else "-", linewidth=1.5, label=s.label)[0]
            if s.gid:
                line.set_gid(s.gid)
        ax.set_xticks(xs[::tick_every], [labels[i] for i in xs[::tick_every]], rotation=0)
        ax.set_ylabel(ylabel)
        ax.grid(axis="y", color="#DDDDDD", linewidth=0.5)
        ax.set_ylim(bottom=0)
        if drawn:
            ax.legend(frameon=False, fontsize=7)
        elif empty_text:
            ax.text(0.5, 0.5, empty_text, transform=ax.transAxes, ha="center", va="center", color=ORG_COLOUR)
        fig.tight_layout()
    return fig


def bar_chart(categories: Sequence[str], series: Sequence[Series], *, title: str = "", empty_text: str = "",
              size: tuple[float, float] = (7.0, 2.8)) -> Figure:  # fmt: skip
    """Grouped bars (e.g. deviations per category, one series per year)."""
    with rc_context(RC):
        fig = Figure(figsize=size, dpi=100)
        ax = fig.add_subplot(1, 1, 1)
        if title:
            ax.set_title(title, loc="left", fontsize=9)
        k = max(len(series), 1)
        width = 0.8 / k
        drawn = False
        for j, s in enumerate(series):
            xs = [i + (j - (k - 1) / 2) * width for i in range(len(categories))]
            vals = [v if v is not None else 0 for v in s.values]
            if any(v is not None for v in s.values):
                drawn = True
            bars = ax.bar(xs, vals, width=width, color=s.colour, label=s.label)
            if s.gid:
                for bar in bars:
                    bar.set_gid(s.gid)
        ax.set_xticks(range(len(categories)), [_wrap(c, 14) for c in categories], fontsize=7)
        ax.grid(axis="y", color="#DDDDDD", linewidth=0.5)
        if drawn:
            ax.legend(frameon=False, fontsize=7)
        elif empty_text:
            ax.text(0.5, 0.5, empty_text, transform=ax.transAxes, ha="center", va="center", color=ORG_COLOUR)
        fig.tight_layout()
    return fig


def svg(fig: Figure) -> str:
    """The chart as an SVG document (deterministic: no date, fixed ids)."""
    buf = io.StringIO()
    with rc_context(RC):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue()


def png(fig: Figure, *, dpi: int = 150) -> bytes:
    buf = io.BytesIO()
    with rc_context(RC):
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def series_colours(i: int) -> str:
    palette = ["#1E5BA8", "#D17A00", "#2E7D32", "#7B1FA2", "#B3261E", "#00838F"]
    return palette[i % len(palette)]
