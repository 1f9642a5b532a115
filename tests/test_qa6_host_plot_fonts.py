"""`logs plot` draws a workout name in CJK with a font that has it, where one is installed: matplotlib used
DejaVu Sans alone, which has no CJK, so the title of a session named "丘 ジョギング" was a row of boxes on every
computer. (Skipped where no font with CJK is installed.)"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from hostlogs import make_log
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font
from simtools import RUNWALK

from host_tools.exports.plot import FALLBACK_FONTS
from host_tools.store import db

NAME = "丘 ジョギング"


def _cjk_font() -> str | None:
    """The name of an installed fallback font that has every character of NAME, looked up afresh."""
    fresh = font_manager.FontManager()  # (not the cache: a font installed since it was made counts too)
    for f in fresh.ttflist:
        if f.name in FALLBACK_FONTS:
            try:
                chars = FT2Font(f.fname).get_charmap()
            except (OSError, RuntimeError):
                continue
            if all(ord(c) in chars for c in NAME if c != " "):
                return f.name
    return None


def test_a_cjk_name_is_drawn_with_a_font_that_has_it(tmp_path: Path) -> None:
    font = _cjk_font()
    if font is None:
        pytest.skip("no font with CJK installed here (e.g. fonts-noto-cjk, fonts-droid-fallback)")
    store = tmp_path / "s.sqlite"
    cfg = {"schema": 1, "name": NAME, "warn_s": 0, "steps": [{"kind": "run", "s": 60}, {"kind": "walk", "s": 60}]}
    with db.Store(store) as s:
        s.add("000001.rwl", make_log(cfg), fallback_seq=1)
    out = tmp_path / "run.svg"
    env = dict(os.environ, MPLCONFIGDIR=str(tmp_path / "mpl"))  # a font cache made now, with that font in it
    r = subprocess.run([RUNWALK, "logs", "plot", "last", "--db", str(store), "-o", str(out)], capture_output=True,
                       text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    # matplotlib's SVG names each glyph it draws by its font: the CJK ones come from the fallback font now.
    fonts = set(re.findall(r'<path id="([A-Za-z0-9]+)-[0-9a-f]+"', out.read_text()))
    assert fonts - {"DejaVuSans"}, fonts  # before: {'DejaVuSans'} alone (a box for each CJK character)
