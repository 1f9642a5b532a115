"""Text the band's validator takes in a name or label (runwalk.workout `_odd_char`): any but
control characters (C0, DEL, C1), lone surrogates, and the hidden or direction-changing ones
(tests/test_unicode.py tests those are refused)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

BAND_HIDDEN = "\u00ad\u061c\u200b\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u3164\uffa0\ufeff" + "".join(
    chr(c) for c in range(0x2060, 0x2070))
CHARS = st.characters(exclude_categories=("Cs", "Cc"), exclude_characters=BAND_HIDDEN)


def text(**kw: Any) -> st.SearchStrategy[str]:
    return st.text(CHARS, **kw)
