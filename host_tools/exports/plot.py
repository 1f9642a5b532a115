"""`logs plot`: one picture of a session - what was run, walked and paused, and when."""

from __future__ import annotations

import datetime as dt
import io
import warnings

import matplotlib

matplotlib.use("Agg")  # files only, no display needed

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.artist import Artist  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from host_tools.parse import clock  # noqa: E402
from host_tools.store.model import CLOCK_NOT_SET, Session, how_ended  # noqa: E402

COLOURS = {"run": "#e4572e", "walk": "#76b041", "sprint": "#8e2c9a"}
LEVEL = {"walk": 0.45, "run": 0.75, "sprint": 1.0}  # taller bar = harder effort
PAUSE = "#9e9e9e"
SKIP = "\u00bb"  # drawn at the end of a segment cut short by a double click
# Fonts holding the scripts DejaVu Sans lacks (CJK, Arabic, Hebrew, Indic, Thai, symbols) on Linux, Windows and
# macOS: matplotlib draws each glyph from the first font of the list that has it, where a workout named
# "ジョギング" was a row of boxes in the title. (Colour emoji fonts are bitmaps matplotlib cannot draw.)
FALLBACK_FONTS = ("Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans CJK KR", "Source Han Sans",
                  "Droid Sans Fallback", "WenQuanYi Zen Hei", "Noto Sans Arabic", "Noto Sans Hebrew",
                  "Noto Sans Devanagari", "Noto Sans Thai", "Noto Sans Symbols 2", "Noto Emoji", "Yu Gothic",
                  "Microsoft YaHei", "Malgun Gothic", "Nirmala UI", "Segoe UI", "Segoe UI Symbol", "Segoe UI Emoji",
                  "Hiragino Sans", "PingFang SC", "Apple SD Gothic Neo", "Arial Unicode MS")


def families() -> list[str]:
    """DejaVu Sans (matplotlib's own), then the fallback fonts this computer has."""
    from matplotlib import font_manager

    have = {f.name for f in font_manager.fontManager.ttflist}
    return ["DejaVu Sans", *(f for f in FALLBACK_FONTS if f in have)]


def _tick(seconds: int, hours: bool) -> str:
    if not hours:
        return clock(seconds)
    return "%d:%02d:%02d" % (seconds // 3600, seconds % 3600 // 60, seconds % 60)


def _no_overlap(fig: Figure, labels: list[Text]) -> None:
    """Pause labels that would print over the one before are left out (the grey band stays):
    pauses a few seconds apart read as one smear of text, not as their lengths."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    last_end = None
    for t in labels:
        box = t.get_window_extent(renderer)
        if last_end is not None and box.x0 < last_end + 4:  # 4 pixels between two labels at least
            t.remove()
        else:
            last_end = box.x1


def render(s: Session, fmt: str = "png", dated: dt.datetime | None = None) -> bytes:
    """The picture as png, svg or pdf bytes. dated: when a session recorded without a clock took
    place, as its neighbours tell (store/dating.py)."""
    with matplotlib.rc_context({"font.family": families()}):
        return _render(s, fmt, dated)


def _render(s: Session, fmt: str, dated: dt.datetime | None) -> bytes:
    minutes = max(s.end_ms, 1) / 60000
    inches, dpi = min(16, max(8, 3 + minutes / 4)), 110
    fig, ax = plt.subplots(figsize=(inches, 3.2), dpi=dpi)
    px_per_minute = inches * dpi * 0.9 / minutes  # (the axes take about 0.9 of the width)
    for g in s.segments:
        x = g.start_ms / 60000
        w = g.elapsed_ms / 60000
        # The white line between two bars only where a bar is wide enough to keep its colour around it: on
        # a 3-hour 10s:30s long run a run is 1.5 pixels wide, and its two edge lines painted most runs white.
        edge = 0.6 if w * px_per_minute >= 6 else 0
        ax.bar(x, LEVEL.get(g.kind, 0.5), width=w, align="edge", color=COLOURS.get(g.kind, "#777777"),
               edgecolor="white", linewidth=edge, hatch="//" if g.label in ("warmup", "cooldown") else None)
        if w > minutes / 40:
            text = clock(s.moving_ms(g) / 1000)
            ax.text(x + w / 2, LEVEL.get(g.kind, 0.5) + 0.03, text, ha="center", va="bottom", fontsize=7,
                    zorder=4, bbox={"facecolor": "white", "edgecolor": "none", "pad": 1, "alpha": 0.85})
        if g.cut_short:
            ax.text(x + w, LEVEL.get(g.kind, 0.5) / 2, SKIP, ha="right", va="center", fontsize=11,
                    color="white")
    pause_labels = []
    for p in s.pauses:
        ax.axvspan(p.start_ms / 60000, p.end_ms / 60000, color=PAUSE, alpha=0.55, lw=0, zorder=3)
        if p.end_ms - p.start_ms >= 500:  # not "pause 0:00" (a session cut off while paused ends there)
            pause_labels.append(ax.text((p.start_ms + p.end_ms) / 120000, 1.12,
                                        "pause " + clock((p.end_ms - p.start_ms) / 1000),
                                        ha="center", va="bottom", fontsize=7, color="#555555"))
    ax.set_xlim(0, minutes)
    ax.set_ylim(0, 1.3)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    # m:ss like the labels on the bars (minutes are the axis's unit; ticks on whole minutes or seconds).
    ax.xaxis.set_major_locator(MaxNLocator(nbins=10, steps=[1, 2, 2.5, 5, 10]))
    hours = s.end_ms >= 3_600_000  # then every tick in h:mm:ss, 0:20:00 beside 1:00:00, not 20:00
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _tick(round(v * 60), hours)))
    ax.set_xlabel("time since start (%s)" % ("h:mm:ss" if hours else "m:ss"))
    if s.started is not None:
        when = s.started.astimezone().strftime("%a %d %b %Y %H:%M")
    elif dated is not None:  # as `logs list` and `logs show` date it, from its neighbours
        when = "~" + dated.astimezone().strftime("%a %d %b %Y %H:%M")
    else:
        when = "clock not set" if s.undated == CLOCK_NOT_SET else "date unreadable"
    status = how_ended(s)  # the words `runwalk logs list` uses
    ax.set_title("%s  -  %s  -  %s, %s  -  run %s, walk %s" % (
        s.config_name or "session", when, clock(s.duration_ms / 1000), status,
        clock((s.total_ms("run") + s.total_ms("sprint")) / 1000), clock(s.total_ms("walk") / 1000)),
        fontsize=9, loc="left", parse_math=False)  # a '$' in a name is a dollar sign, not TeX
    handles: list[Artist] = [Patch(color=COLOURS[k], label=k) for k in ("run", "walk", "sprint")
                             if any(g.kind == k for g in s.segments)]
    if s.pauses:
        handles.append(Patch(color=PAUSE, alpha=0.55, label="pause"))
    if any(g.label in ("warmup", "cooldown") for g in s.segments):
        handles.append(Patch(facecolor="white", edgecolor="#555555", hatch="//", label="warm-up / cool-down"))
    if any(g.cut_short for g in s.segments):
        handles.append(Line2D([], [], linestyle="none", marker="$%s$" % SKIP, markersize=8, color="#555555",
                              label="skipped (double-click)"))
    if handles:  # a damaged log may hold no segment at all: then there is nothing to explain
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=len(handles),
                  frameon=False, fontsize=8)
    with warnings.catch_warnings():
        # A name or label with emoji: the font draws a box, and matplotlib would warn on stderr per glyph.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        warnings.filterwarnings("ignore", message="Matplotlib currently does not support .* natively")
        fig.tight_layout()
        _no_overlap(fig, pause_labels)
        out = io.BytesIO()
        fig.savefig(out, format=fmt)
    plt.close(fig)
    return out.getvalue()
