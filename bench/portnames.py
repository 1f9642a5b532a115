"""The names a port's firmware has built in, read from its MicroPython stubs.

A name a band's code uses that is already in its firmware (a module's name, a
function, a class or a constant of a built-in or frozen module: `machine`, `Pin`,
`lightsleep`) costs it no heap when the code is loaded; every other name is
interned into the heap's pools. The WebAssembly port the bench runs on has other
built-in names than a board, so the bench counts a band's names per port from
these stubs (`make stubs` installs them into .stubs/PORT): the port's modules
(its top-level stubs), the standard modules it names there (`uos.pyi`: `from os
import *`, read from `stdlib/`) and the built-ins. The stubs are typeshed-based,
so they may list a name the firmware lacks: the count errs on the low side.
"""

from __future__ import annotations

import ast
from pathlib import Path

# Which stubs each board module is checked against (the Makefile's TYPECHECK list).
BOARD_STUBS = {"pico": "rp2", "xiao_esp32c3": "esp32c3", "xiao_nrf52840": "nrf"}


def _defined(body: list[ast.stmt], out: set[str]) -> None:
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out.add(node.name)
        elif isinstance(node, ast.ClassDef):
            out.add(node.name)
            _defined(node.body, out)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            out.add(node.target.id)
        elif isinstance(node, ast.Assign):
            out.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.If):
            _defined(node.body, out)
            _defined(node.orelse, out)


def built_in(stubs: Path) -> set[str]:
    """Module names and the names they define (functions, classes, their attributes), and
    the built-in functions and types' methods (typeshed's builtins, which the port has
    wherever the firmware uses one: it runs there)."""
    files = sorted(stubs.glob("*.pyi"))
    if not files:
        raise RuntimeError("no MicroPython stubs in %s: run `make stubs`" % stubs)
    out: set[str] = set()
    for f in files:
        out.add(f.stem)
        tree = ast.parse(f.read_text(encoding="utf-8"))
        _defined(tree.body, out)
        # `uos.pyi`: `from os import *`, the port's os as micropython-stdlib-stubs has it.
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module and any(a.name == "*" for a in node.names):
                out.add(node.module)
                for std in (stubs / "stdlib" / (node.module + ".pyi"), stubs / "stdlib" / node.module / "__init__.pyi"):
                    if std.exists():
                        _defined(ast.parse(std.read_text(encoding="utf-8")).body, out)
    _defined(ast.parse((stubs / "stdlib" / "builtins.pyi").read_text(encoding="utf-8")).body, out)
    return out


def script_names(path: Path) -> set[str]:
    """The names a script run as source interns (main.py): its identifiers and its file's name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = {path.name}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            out.add(node.id)
        elif isinstance(node, ast.Attribute):
            out.add(node.attr)
        elif isinstance(node, ast.alias):
            out.update(node.name.split("."))
            out.add(node.name)
            if node.asname:
                out.add(node.asname)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def _uint(data: bytes, i: int) -> tuple[int, int]:
    """MicroPython's variable-length unsigned int (7 bits a byte, high bit: more), and the next offset."""
    n = 0
    while True:
        b = data[i]
        i += 1
        n = (n << 7) | (b & 0x7F)
        if not b & 0x80:
            return n, i


def mpy_names(path: Path) -> set[str]:
    """The names loading a .mpy file interns: its qstr table, less the names the .mpy
    format marks static (MicroPython's fixed list that every firmware has built in)."""
    data = path.read_bytes()
    if data[:1] != b"M" or data[1] != 6:
        raise ValueError("%s is not a version 6 .mpy file" % path)
    n_qstr, i = _uint(data, 4)
    _, i = _uint(data, i)  # the constant objects' count
    out: set[str] = set()
    for _ in range(n_qstr):
        x, i = _uint(data, i)
        if x & 1:
            continue  # static
        n = x >> 1
        out.add(data[i:i + n].decode("utf-8"))
        i += n + 1  # and its NUL
    return out
