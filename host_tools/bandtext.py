"""Text from the band, made safe to print, store and export.

MicroPython keeps the JSON escapes of an emoji (`\\ud83e\\udd93`) as two lone
surrogates and writes them out as six bytes that are not UTF-8 (CESU-8). Bands
whose firmware accepted such names wrote them into their log headers and traces;
CPython's json reads them back as lone surrogates, which no terminal, XML or
FIT encoder takes. Here surrogate pairs are joined into the character they
stand for, and whatever is left (a lone surrogate, a control character, bytes
that are no text at all) becomes U+FFFD.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

REPLACEMENT = "\ufffd"
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _cesu(e: UnicodeError) -> tuple[str, int]:
    """Decode error handler: a surrogate's three bytes (ED A0-BF 80-BF) as that surrogate, else U+FFFD."""
    assert isinstance(e, UnicodeDecodeError)
    b = e.object[e.start : e.start + 3]
    if len(b) == 3 and b[0] == 0xED and 0xA0 <= b[1] <= 0xBF and 0x80 <= b[2] <= 0xBF:
        return chr(0xD000 | (b[1] & 0x3F) << 6 | (b[2] & 0x3F)), e.start + 3
    return REPLACEMENT, e.end


codecs.register_error("runwalk-band", _cesu)


def _joined(text: str) -> str:
    """Surrogate pairs joined into their character; lone surrogates replaced (U+FFFD)."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def clean(text: str) -> str:
    """A name or label read from the band: no surrogate, no control character (both as U+FFFD)."""
    if text.isprintable():  # the common case, and cheap: no surrogate, no control character
        return text
    return _CONTROL.sub(REPLACEMENT, _joined(text))


def decode(data: bytes) -> str:
    """Bytes the band wrote (UTF-8, or CESU-8 from older firmware) as text without surrogates; never raises.

    Control characters stay (JSON lines hold them as whitespace): clean() the strings in them."""
    return _joined(data.decode("utf-8", "runwalk-band"))


def cleaned(value: Any) -> Any:
    """Every string in decoded JSON (keys too) through clean()."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [cleaned(v) for v in value]
    if isinstance(value, dict):
        return {cleaned(k): cleaned(v) for k, v in value.items()}
    return value
