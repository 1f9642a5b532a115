"""The validator's limits (runwalk.workout) wherever else they are stated: the README's
config.json table, and the stream reader's private copies (runwalk.cfgstream)."""

from __future__ import annotations

import re
from pathlib import Path

from runwalk import cfgstream
from runwalk import workout as wk

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def allowed() -> dict[str, str]:
    """The table's `allowed` column by its field column."""
    rows = re.findall(r"^\| (.+?) \| .+? \| (.+?) \|$", README, re.MULTILINE)
    return {field: text for field, text in rows}


def test_the_readme_config_table_states_the_validators_ranges() -> None:
    a = allowed()
    assert "1-%d characters" % wk.MAX_NAME in a["`name`"]
    assert "whole number 1-%d," % wk.MAX_SECONDS in a["step `s`"]
    assert "at most %d characters" % wk.MAX_LABEL in a["step `label`"]
    assert "N from 1 to %d; blocks nest up to %d deep" % (wk.MAX_REPEAT, wk._MAX_DEPTH) in a["`repeat` block"]
    assert a["`warn_s`"].startswith("%d (none) to %d (default %d);" % (wk._MIN_WARN_S, wk.MAX_WARN_S,
                                                                       wk.DEFAULT_WARN_S))
    assert a["`intensity`"] == "%d-%d percent (default %d)" % (wk._MIN_INTENSITY, wk._MAX_INTENSITY,
                                                               wk._DEFAULT_INTENSITY)
    assert a["`button.long_ms`"] == "%d-%d ms (default %d)" % (wk._MIN_LONG_MS, wk._MAX_LONG_MS, wk._DEFAULT_LONG_MS)
    assert a["`button.double_ms`"] == "%d-%d ms (default %d)" % (wk._MIN_DOUBLE_MS, wk._MAX_DOUBLE_MS,
                                                                 wk._DEFAULT_DOUBLE_MS)
    assert "at most %d segments once its repeats are unrolled" % wk.MAX_SEGMENTS in README


def limits(module: object) -> dict[str, int]:
    """A module's limits by name, public or private (CPython keeps const() names; the band folds them)."""
    names = {n.lstrip("_") for n in vars(wk) if re.fullmatch(r"_?(MIN|MAX|DEFAULT)_[A-Z_]+", n)}
    return {n: getattr(module, n, getattr(module, "_" + n, None)) for n in names}


def test_the_stream_reader_copies_the_validators_limits() -> None:
    got, want = limits(cfgstream), limits(wk)
    assert len(want) == 18
    assert got == want
