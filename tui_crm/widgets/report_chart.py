"""A terminal chart of a report (textual-plotext): bars, stacked bars or lines.

Plotext counts every character as one cell, so Chinese labels would push its lines out
of shape: the x axis is numbered 1…N and a key below the chart (rendered by Rich, which
knows CJK widths) names each number and each series.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

COLORS = ("blue", "green", "red", "magenta", "cyan", "yellow")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


class ReportChart(Vertical):
    DEFAULT_CSS = """
    ReportChart { height: 1fr; }
    ReportChart > PlotextPlot { height: 1fr; }
    ReportChart > .chart-key { height: auto; max-height: 6; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield PlotextPlot()
        yield Static("", classes="chart-key", markup=False)

    def show(self, kind: str, title: str, labels: Sequence[str], series: Sequence[Series]) -> None:
        plot = self.query_one(PlotextPlot)
        plt = plot.plt
        plt.clear_figure()
        positions = [float(p) for p in range(1, len(labels) + 1)]
        clean = [[0.0 if v is None else float(v) for v in s.values] for s in series]
        if positions and clean:
            colors = list(COLORS[: len(clean)])
            if kind == "line":
                for values, color in zip(clean, colors, strict=False):
                    plt.plot(positions, values, color=color, marker="braille")
            elif kind == "stacked" and len(clean) > 1:
                plt.stacked_bar(positions, clean, color=colors)  # type: ignore[arg-type]
            elif len(clean) > 1:
                plt.multiple_bar(positions, clean, color=colors)  # type: ignore[arg-type]
            else:
                plt.bar(positions, clean[0], color=colors[0])
            plt.xticks(positions, [str(int(p)) for p in positions])
        plot.refresh()
        key = Text()
        key.append(title, style="bold")
        for item, color in zip(series, COLORS, strict=False):
            key.append("  ■ ", style=color)
            key.append(item.name)
        key.append("\n")
        for position, label in zip(positions, labels, strict=True):
            key.append(f"{int(position)} ", style="bold")
            key.append(label)
            key.append("  ")
        self.query_one(".chart-key", Static).update(key)
