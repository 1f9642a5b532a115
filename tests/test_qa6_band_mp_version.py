"""`runwalk sim --mp-version X.Y.Z` makes the band say that version everywhere a board's
MicroPython says it: sys.implementation.version, sys.version, and sys.implementation as
printed at the REPL.

Before: sys.implementation.version said (1, 22, 3, '') but sys.version still named the unix
build ('3.4.0; MicroPython 9458e3a23f on ...'), and sys.implementation printed as
'<_Namespace object at 7f...>' where a board prints its fields.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any


def test_sys_version_and_implementation_say_the_version_asked_for(make_band: Any, tmp_path: Path) -> None:
    band = make_band(tmp_path, extra=("--mp-version", "1.22.3", "--as", "pico")).start()
    out = band.exec("import sys; print(sys.version); print(repr(sys.implementation)); "
                    "print(sys.implementation.version)").splitlines()
    assert out[0].startswith("3.4.0; MicroPython v1.22.3 on "), out
    impl = out[1]
    assert impl.startswith("(name='micropython', version=(1, 22, 3, ''), "), out
    assert "_machine='Raspberry Pi Pico with RP2040'" in impl, out
    assert ast.literal_eval(out[2]) == (1, 22, 3, ""), out

