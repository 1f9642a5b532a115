"""`runwalk deploy`: put the firmware on the band, compiled for its own bytecode.

The band says which .mpy it reads (`sys.implementation._mpy`: version and native
architecture); mpy-cross compiles the firmware package for exactly that. main.py
stays source (MicroPython runs /main.py only as .py) and the board module goes to
/lib/runwalk_board.mpy (compiled too: as .py the band would compile it into its heap at
every start, 5.3 KB on rp2). config.json and /logs/ are never touched. Files whose hash already
matches are skipped; every copied file is checked by its SHA-256 on the band.

`--romfs` puts the firmware package and the board module, as .mpy, in a ROMFS image in
the band's ROM partition instead (host_tools/band/romfs.py): they run in place from flash,
which leaves the app about a third more RAM. main.py stays on the filesystem; the /lib
copies go once the band runs from the image (with --replace, as for a plain deploy, the old
files go first). A plain deploy onto a band whose ROMFS holds the firmware erases that image,
which would otherwise run instead of /lib.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

from host_tools import parse
from host_tools.band import port_issues, romfs, snippets
from host_tools.band.connection import Band, BandError, connected, room_warning, warn
from host_tools.errors import RunwalkError, UsageError
from host_tools.firmware_files import BOARDS, FIRMWARE, MPY_FLAGS, mpy_cross

MPY_VERSION = 6  # what mpy-cross 1.29 writes; bands read .mpy of their own major version only
# sys.implementation._mpy bits 10-13 (py/persistentcode.h MP_NATIVE_ARCH_*) -> mpy-cross -march
ARCHS = (None, "x86", "x64", "armv6", "armv6m", "armv7m", "armv7em", "armv7emsp", "armv7emdp", "xtensa",
         "xtensawin", "rv32imc", "rv64imc")
# (sys.platform, text in sys.implementation._machine) -> the board module when --board is not given
PLATFORM_BOARDS = (("rp2", "", "pico"), ("linux", "", "sim"), ("nrf", "nRF52840", "xiao_nrf52840"),
                   ("esp32", "ESP32C3", "xiao_esp32c3"))


LIB = "/lib"
LIB_RUNWALK = "/lib/runwalk"  # the firmware package
# Where firmware before 1.0 kept the board module; the nrf port's built-in `board` hid it.
OLD_BOARD = "/lib/board.py"
BOARD_PY = "/lib/runwalk_board.py"
BOARD_MPY = "/lib/runwalk_board.mpy"


def guess_board(platform: str, machine: str) -> str | None:
    for plat, part, board in PLATFORM_BOARDS:
        if platform == plat and part.lower().replace("-", "") in machine.lower().replace("-", ""):
            return board
    return None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("deploy", help="copy the firmware onto the band (keeps config.json and logs)")
    parse.add_port(p)
    p.add_argument("--board", help="board module from boards/ (default: from the band's platform)")
    p.add_argument("--source", action="store_true",
                   help="copy .py source instead of compiled .mpy (the band compiles it at every boot, "
                        "with more heap, but its tracebacks name lines: for debugging)")
    p.add_argument("--replace", action="store_true",
                   help="remove the old firmware files first, for a flash with no room to stage the new ones "
                   "beside them (the band has no app until the copy ends: if it is cut short, deploy again; "
                   "config.json and logs are never touched); with --romfs, the firmware's files in /lib and an old "
                   "main.py go before main.py and the image are written")
    p.add_argument("--romfs", action="store_true",
                   help="put the firmware in the band's ROMFS partition, where it runs from flash and needs less "
                   "RAM (needs a MicroPython build with one: boards/README.md)")
    p.set_defaults(func=cmd_deploy)


def boards() -> list[str]:
    return sorted(x.stem for x in BOARDS.glob("*.py"))


def mpy_target(mpy: int) -> tuple[int, str | None]:
    """(bytecode version, -march) from sys.implementation._mpy."""
    arch = (mpy >> 10) & 0x0F
    return mpy & 0xFF, ARCHS[arch] if arch < len(ARCHS) else None


def compile_mpy(src: Path, dest: Path, march: str | None, name: str | None = None) -> None:
    cmd = [mpy_cross(), *MPY_FLAGS]
    if march:
        cmd.append("-march=" + march)
    # -s: the module's own name, which the band interns anyway: tracebacks read
    # "runwalk.session", line 42, and no file name takes RAM of its own.
    name = name or ("runwalk" if src.stem == "__init__" else "runwalk." + src.stem)
    cmd += ["-o", str(dest), "-s", name, str(src)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RunwalkError("mpy-cross cannot compile %s: %s" % (src.name, (r.stderr or r.stdout).strip()))


def build(board: str, mpy: int | None, out: Path) -> dict[str, bytes]:
    """Band path -> bytes of everything to copy."""
    files: dict[str, bytes] = {"/main.py": (FIRMWARE / "main.py").read_bytes()}
    version, march = mpy_target(mpy) if mpy is not None else (None, None)
    if version == MPY_VERSION:
        compile_mpy(BOARDS / (board + ".py"), out / "runwalk_board.mpy", march, name="runwalk_board")
        files[BOARD_MPY] = (out / "runwalk_board.mpy").read_bytes()
    else:
        files[BOARD_PY] = (BOARDS / (board + ".py")).read_bytes()
    for src in sorted((FIRMWARE / "lib" / "runwalk").glob("*.py")):
        if version == MPY_VERSION:
            dest = out / (src.stem + ".mpy")
            compile_mpy(src, dest, march)
            files[LIB_RUNWALK + "/" + dest.name] = dest.read_bytes()
        else:
            files[LIB_RUNWALK + "/" + src.name] = src.read_bytes()
    return files


def band_hashes(band: Band, paths: list[str]) -> tuple[dict[str, str], list[str]]:
    out = band.exec(snippets.file_hashes(paths, LIB_RUNWALK), timeout=30).decode().splitlines()
    hashes = {}
    listing: list[str] = []
    for line in out:
        parts = line.split()
        if parts and parts[0] == "ls":
            listing = parts[1:]
        elif len(parts) == 2:
            hashes[parts[0]] = parts[1]
    return hashes, listing


def changes(band: Band, board: str, mpy: int | None) -> tuple[dict[str, bytes], list[str], list[str]]:
    """What a deploy would do: (every file, the ones to copy, the ones to remove). Nothing is written.

    `runwalk status` asks the same to say whether `runwalk deploy` would change anything."""
    with tempfile.TemporaryDirectory() as tmp:
        files = build(board, mpy, Path(tmp))
    want = {p: hashlib.sha256(d).hexdigest() for p, d in files.items()}
    # The old board module and the board module of the other kind: MicroPython imports a
    # .py before an .mpy, so one left beside the new copy would be the one that runs.
    others = [p for p in (OLD_BOARD, BOARD_PY, BOARD_MPY) if p not in files]
    have, listing = band_hashes(band, sorted(files) + others)
    todo = [p for p in sorted(files) if have.get(p) != want[p]]
    # A file a deploy cut short left staged is staged over and renamed into place by this one: not
    # stale (removed after the renames, it would be gone, and the deploy failed with ENOENT).
    restaged = {p + STAGE for p in todo}
    stale = [LIB_RUNWALK + "/" + n for n in listing
             if LIB_RUNWALK + "/" + n not in files and LIB_RUNWALK + "/" + n not in restaged]
    stale += [p for p in others if have.get(p, "-") != "-"]  # "-": no such file
    return files, todo, stale


# OSError 28 as MicroPython prints it ("OSError: 28", "[Errno 28] ENOSPC"), and only that: any "28"
# read as a full flash, e.g. a MemoryError "allocating 1280 bytes", which no log pull or --replace cures.
NO_SPACE = re.compile(r"OSError: (\[Errno )?28\b|ENOSPC")

STAGE = ".new"  # files are staged under path + STAGE, checked, then renamed into place together


def stage_file(band: Band, path: str, data: bytes, advance: Callable[[int], object], chunk: int = 1536) -> None:
    band.exec(snippets.open_write(path + STAGE))
    for i in range(0, len(data), chunk):
        band.exec(snippets.write_b64(data[i : i + chunk]))
        advance(len(data[i : i + chunk]))
    band.exec(snippets.CLOSE_WRITE)


def drop_staged(band: Band, paths: list[str]) -> None:
    """Remove whatever was staged: the band is left as it was."""
    try:
        band.exec(snippets.discard([p + STAGE for p in paths]))
    except RunwalkError:
        pass


def install(band: Band, con: Console, files: dict[str, bytes], todo: list[str], stale: list[str],
            replace: bool = False, again: str = "runwalk deploy --replace", rom_runs: bool = False) -> None:
    """Copy the files in todo, remove the stale ones. Every changed file is staged, the staged
    copies checked, then all renamed into place in one go: a full flash or a lost cable while
    copying leaves the old firmware whole. `replace`: the old files go first (a flash with
    no room for both), so a cut leaves the band without an app until the next deploy. `rom_runs`: the band
    runs firmware from its ROMFS partition, erased only once this copy is done (it runs ahead of /lib)."""
    try:
        _stage(band, con, files, todo, stale, replace)
    except (RunwalkError, KeyboardInterrupt) as e:
        # A lost cable or a Ctrl-C: say what the band runs now (the message alone said "interrupted").
        why = "interrupted" if isinstance(e, KeyboardInterrupt) else str(e)
        code = 130 if isinstance(e, KeyboardInterrupt) else getattr(e, "exit_code", 1)
        if rom_runs:
            # Not "the band has no app": the image in ROMFS still runs, and /lib held no firmware to replace.
            why = why.split("; ", 1)[0] if "flash is full" in why else why
            raise RunwalkError("%s; nothing was deployed: the band still runs the firmware in its ROMFS partition "
                               "(`runwalk status` says which); `runwalk deploy --romfs` updates it there" % why,
                               code) from None
        if replace:
            raise RunwalkError("%s; the old firmware went first (--replace), so the band has no app until a deploy "
                               "ends: run `%s` again (config.json and logs are kept)" % (why, again), code) from None
        if "nothing was deployed" in why:
            raise
        raise RunwalkError("%s; nothing was deployed (the firmware on the band is unchanged)" % why, code) from None
    band.exec(snippets.commit_staged(todo, STAGE, [] if replace else stale))  # a stale .py would shadow its .mpy


def _stage(band: Band, con: Console, files: dict[str, bytes], todo: list[str], stale: list[str],
           replace: bool) -> None:
    """install()'s copy: every file in todo staged beside the old ones and checked (the old ones
    removed first with `replace`)."""
    want = {p: hashlib.sha256(files[p]).hexdigest() for p in todo}
    if replace:
        band.exec(snippets.discard(sorted(set(stale) | set(todo))))
    try:
        band.exec(snippets.make_dirs((LIB, LIB_RUNWALK)))
        # Not on a pipe or a log file: there a transient bar leaves only a stray blank line.
        with Progress(TextColumn("Deploying {task.fields[n]} files"), BarColumn(), DownloadColumn(),
                      console=con, transient=True, disable=not con.is_terminal) as bar:
            task = bar.add_task("deploy", total=sum(len(files[p]) for p in todo), n=len(todo))
            for p in todo:
                stage_file(band, p, files[p], lambda n: bar.advance(task, n))
    except BandError as e:
        drop_staged(band, todo)
        if NO_SPACE.search(str(e)):
            # Pulling frees nothing on a band with no sessions (a fresh one, say, after a mip install).
            pull = "make room with `runwalk logs pull --delete`, or " if session_logs(band) else ""
            if replace:
                # (It said to pull, as the plain deploy's message did, also on a band with no session.)
                raise RunwalkError("the band's flash is full even without its old firmware; %s"
                                   % ("make room with `runwalk logs pull --delete`, then deploy again" if pull else
                                      "it holds no session to pull: other files fill it (`mpremote fs tree -s :` "
                                      "lists them with their sizes); remove some, then deploy again")) from None
            raise RunwalkError("the band's flash is full; nothing was deployed (the firmware on it is "
                               "unchanged): the new files are staged beside the old ones, which needs room "
                               "for both; %sdeploy with --replace (the old files go first)" % pull) from None
        raise
    staged, _ = band_hashes(band, [p + STAGE for p in todo])
    wrong = [p for p in todo if staged.get(p + STAGE) != want[p]]
    if wrong:
        drop_staged(band, todo)
        raise RunwalkError("%d files did not arrive intact (%s); nothing was deployed, try again"
                           % (len(wrong), ", ".join(wrong)))


def session_logs(band: Band) -> int:
    """How many session logs (unpulled, pulled or set aside) the band's /logs holds."""
    from runwalk.store import CLOSED_EXT, DAMAGED_EXT, LOGS, PULLED_EXT

    code = ("import os\ntry:\n n=os.listdir(%r)\nexcept OSError:\n n=[]\n"
            "print(len([x for x in n if x[-4:] in %r]))" % ("/" + LOGS, (CLOSED_EXT, PULLED_EXT, DAMAGED_EXT)))
    try:
        return int(band.exec(code).strip() or 0)
    except (RunwalkError, ValueError):
        return 1  # cannot tell: say what might help


def soft_reset(band: Band) -> None:
    """A fresh interpreter in the raw REPL, as at connect: the band mounts its ROMFS again."""
    from mpremote.transport import TransportError
    from serial import SerialException

    try:
        with contextlib.redirect_stdout(io.StringIO()):
            band.t.enter_raw_repl(soft_reset=True, timeout_overall=10)
    except (TransportError, SerialException, OSError) as e:
        raise band.lost(e) from None


def identify(band: Band, asked: str | None) -> tuple[str, int]:
    """(board module, sys.implementation._mpy) of the band. Warns, in one line, when the band's
    MicroPython has a known issue that affects the band (host_tools/band/port_issues.py)."""
    info = band.exec(snippets.identify()).decode().splitlines()
    platform, mpy_text, machine, version_text = (info + ["", "", "", ""])[:4]
    version = port_issues.parse_version(version_text)
    found = port_issues.affecting(platform.strip(), machine, version) if version else []
    if found and version:
        warn(port_issues.warning(version, machine, found))
    guessed = guess_board(platform.strip(), machine)
    if asked and guessed and asked != guessed:
        # Another board's module cannot drive this one's pins: the band would not start.
        raise RunwalkError("this band is a %s (%s), not a %s; drop --board (or say --board %s)"
                           % (guessed, machine.strip() or platform.strip(), asked, guessed))
    board = asked or guessed
    if board is None:
        raise RunwalkError("cannot tell which board %r is; name it with --board (%s)"
                           % (machine.strip() or platform, ", ".join(boards())))
    return board, int(mpy_text)


@contextlib.contextmanager
def _room_said_if_failed(band: Band) -> Iterator[None]:
    """A deploy that failed changed nothing that makes room: the full-flash warning, as any command gives it,
    goes before its error."""
    try:
        yield
    except RunwalkError:
        full = room_warning(band)
        if full:
            warn(full)
        raise


def cmd_deploy(args: argparse.Namespace) -> int:
    # Usage errors (exit 2, pointing to --help), as argparse's own for a --format it does not know.
    if args.board and args.board not in boards():
        raise UsageError("no board %r (choose from %s)" % (args.board, ", ".join(boards())))
    if args.romfs and args.source:
        raise UsageError("--romfs takes compiled .mpy (only those run from flash): drop --source")
    con = Console(stderr=True, soft_wrap=True)
    # The full-flash warning is given after the deploy, not on connecting: a deploy frees room (old /lib
    # copies, .py a mip install left), and "the band's flash is full (0 KB free...)" came just before
    # "Deployed ...: 22 firmware files removed from /lib", on a band with room to spare by then.
    # (A bare board is what deploy is for.)
    with connected(args.port, expect_firmware=False, check_room=False) as band, _room_said_if_failed(band):
        board, band_mpy = identify(band, args.board)
        rom = romfs.probe(band)
        if args.romfs:
            rc = deploy_romfs(band, con, board, band_mpy, rom, args.replace)
            full = room_warning(band)
            if full:
                warn(full)
            return rc
        mpy = None if args.source else band_mpy
        if mpy is not None and (mpy & 0xFF) != MPY_VERSION:
            con.print("note: the band reads .mpy version %d, mpy-cross writes %d: copying source instead"
                      % (mpy & 0xFF, MPY_VERSION))
        files, todo, stale = changes(band, board, mpy)
        want = {p: hashlib.sha256(d).hexdigest() for p, d in files.items()}
        install(band, con, files, todo, stale, args.replace, rom_runs=rom.firmware)
        got, _ = band_hashes(band, sorted(files))
        wrong = [p for p in files if got.get(p) != want[p]]
        if wrong:
            raise RunwalkError("%d files on the band do not match after deploying (%s); deploy again"
                               % (len(wrong), ", ".join(wrong)))
        if rom.firmware:
            # /rom/lib comes before /lib on sys.path: the old firmware there would keep running.
            romfs.erase_header(band, rom)
        full = room_warning(band)
    kind = "source" if mpy is None or (mpy & 0xFF) != MPY_VERSION else ".mpy for %s" % (
        mpy_target(mpy)[1] or "bytecode only")
    # Removals said too: after a mip install the .py files shadowing the .mpy (and filling the flash) go,
    # which "0 files copied, 23 already up to date" alone read as a deploy that did nothing.
    gone = ", %d old file%s removed" % (len(stale), "" if len(stale) == 1 else "s") if stale else ""
    print("Deployed runwalk (%s, board %s) to %s: %d file%s copied, %d already up to date%s, all verified; "
          "config.json and logs kept." % (kind, board, band.port, len(todo), "" if len(todo) == 1 else "s",
                                          len(files) - len(todo), gone))
    if rom.firmware:
        print("Erased the firmware image in the band's ROMFS partition: it would have run instead of the new copy "
              "in /lib.")
    if full:
        warn(full)
    return 0


def rom_tree(board: str, mpy: int, out: Path) -> None:
    """lib/runwalk/*.mpy and lib/runwalk_board.mpy under out: what the ROMFS image holds (/rom/lib)."""
    _, march = mpy_target(mpy)
    (out / "lib" / "runwalk").mkdir(parents=True)
    for src in sorted((FIRMWARE / "lib" / "runwalk").glob("*.py")):
        compile_mpy(src, out / "lib" / "runwalk" / (src.stem + ".mpy"), march)
    # .mpy too: a .py would be compiled into RAM at import, ROMFS or not.
    compile_mpy(BOARDS / (board + ".py"), out / "lib" / "runwalk_board.mpy", march, name="runwalk_board")


def rom_image(board: str, mpy: int) -> bytes:
    """The ROMFS image `runwalk deploy --romfs` writes for this board and bytecode."""
    with tempfile.TemporaryDirectory() as tmp:
        rom_tree(board, mpy, Path(tmp))
        return romfs.build_image(Path(tmp))


def romfs_changes(band: Band, board: str, mpy: int, rom: romfs.Partition
                  ) -> tuple[bytes, bool, dict[str, bytes], list[str]]:
    """What `runwalk deploy --romfs` would do: (the image, whether the partition lacks it, main.py, main.py if it
    would be copied). Nothing is written. `runwalk status` asks the same of a band running from /rom."""
    image = rom_image(board, mpy)
    # main.py stays on the filesystem (a board runs /main.py only from there).
    main = {"/main.py": (FIRMWARE / "main.py").read_bytes()}
    have, _ = band_hashes(band, ["/main.py"])
    main_todo = [p for p in main if have.get(p) != hashlib.sha256(main[p]).hexdigest()]
    fits = len(image) <= rom.size  # (one larger is refused: its hash would read past the partition)
    return image, not (fits and romfs.holds(band, rom, image)), main, main_todo


def deploy_romfs(band: Band, con: Console, board: str, mpy: int, rom: romfs.Partition, replace: bool = False) -> int:
    """`replace`: as for a plain deploy, the old firmware files on the filesystem go first (the /lib copies, which
    a --romfs deploy removes anyway once the band runs from /rom, and main.py if it changes), for a flash with
    no room for main.py staged beside them; the band then has no app until the deploy ends."""
    if not rom.usable:
        raise RunwalkError(romfs.no_partition(rom))
    if (mpy & 0xFF) != MPY_VERSION:
        raise RunwalkError("this band reads .mpy version %d, mpy-cross writes %d: ROMFS needs .mpy it can run; "
                           "deploy without --romfs" % (mpy & 0xFF, MPY_VERSION))
    image, written, main, main_todo = romfs_changes(band, board, mpy, rom)
    if len(image) > rom.size:
        raise RunwalkError("the firmware's ROMFS image is %d bytes, the band's ROM partition only %d; "
                           "deploy without --romfs" % (len(image), rom.size))
    again = "runwalk deploy --romfs" + (" --replace" if replace else "")
    early: list[str] = []
    if replace:
        early = band.exec(snippets.drop_tree(LIB_RUNWALK, (BOARD_PY, BOARD_MPY, OLD_BOARD))).decode().split()
    install(band, con, main, main_todo, [], replace, again)
    if written:
        # Whether the band still has the firmware in /lib if the write is cut short (an earlier --romfs
        # deploy removed it): the message must say whether the band still has an app.
        _, listing = band_hashes(band, [BOARD_MPY, BOARD_PY])
        # A fresh interpreter first: nothing imported from the old image runs while it is rewritten.
        soft_reset(band)
        try:
            with Progress(TextColumn("Writing the ROMFS image"), BarColumn(), DownloadColumn(), console=con,
                          transient=True, disable=not con.is_terminal) as bar:
                task = bar.add_task("romfs", total=len(image))
                romfs.write(band, rom, image, lambda n: bar.advance(task, n))
        except (RunwalkError, KeyboardInterrupt) as e:
            # The header goes last: a cut leaves no image the band would mount.
            why = "interrupted" if isinstance(e, KeyboardInterrupt) else str(e)
            code = 130 if isinstance(e, KeyboardInterrupt) else getattr(e, "exit_code", 1)
            runs = ("the band runs the firmware in /lib" if listing else
                    "the old firmware went first (--replace), so the band has no app until a deploy ends" if early
                    else "an earlier --romfs deploy removed the firmware from /lib, so the band has no app until a "
                    "deploy ends")
            raise RunwalkError("%s; the ROMFS image is incomplete (the band ignores it) and %s: run "
                               "`%s` again (config.json and logs are kept)" % (why, runs, again), code) from None
        if romfs.image_hash(band, len(image)) != hashlib.sha256(image).hexdigest():
            romfs.erase_header(band, rom)
            raise RunwalkError("the ROMFS image did not arrive intact, so it was erased (the band ignores the "
                               "partition)%s; deploy again" % ("" if listing else " and has no app until a deploy "
                                                               "ends"))
    # The band mounts the image at every start: check it now runs the firmware from there
    # before the /lib copies go.
    soft_reset(band)
    where = band.exec(snippets.imported_from(("runwalk", "runwalk_board"))).decode().split()
    if len(where) != 2 or not all(w.startswith("/rom/") for w in where):
        raise RunwalkError("the band does not import the firmware from its ROMFS image (it found %s); %s"
                           % (", ".join(where), "its copy in /lib went first (--replace): deploy without --romfs"
                              if early else "the copy in /lib was kept"))
    # The /lib copies of the firmware (they would only take flash).
    removed = early + band.exec(snippets.drop_tree(LIB_RUNWALK, (BOARD_PY, BOARD_MPY, OLD_BOARD))).decode().split()
    print("Deployed runwalk (.mpy for %s, board %s) to the ROMFS partition of %s: %s (%d of %d bytes), verified; "
          "%d firmware file%s removed from /lib%s; config.json and logs kept."
          % (mpy_target(mpy)[1] or "bytecode only", board, band.port,
             "image written" if written else "image already up to date", len(image), rom.size,
             len(removed), "" if len(removed) == 1 else "s", ", main.py updated" if main_todo else ""))
    return 0
