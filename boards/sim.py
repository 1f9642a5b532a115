# Board: the virtual wristband of `runwalk sim` (design 4.4).
#
# It runs only inside the sim's MicroPython process, where the sim's bootstrap
# provides the `_simhost` module: the sim's options, the trace file, a pipe of
# button edges from the sim and a status pipe back to it.
#
# - Virtual clock: `t` counts virtual ms since the sim started. In real time it
#   is the monotonic clock scaled by --speed; headless (--until-idle) it jumps
#   straight to the next deadline or scripted edge, so a 6-hour workout runs in
#   seconds with every event exactly on time. The tick clock the firmware sees
#   is `ticks_add(TICK0, t)`, so --wrap-after can put the tick wrap anywhere.
# - Button: edges from --script (`<ms> down|up`) at their virtual times, and
#   whole gestures the sim forwards from its keyboard or --button-fifo: one
#   line of `<ms> d|u` pairs, ms counted from when the band reads the line, so
#   a click is held 120 virtual ms however late the host's scheduler is.
# - Sleep: with USB attached the band waits on the button pipe with a timeout,
#   which SIGINT (mpremote's Ctrl-C) interrupts, as the REPL needs; on
#   --battery the trace marks each sleep as a light sleep. Every sleep and
#   wake is traced, so idle polling shows up.
import json
import select
import time
from time import ticks_add, ticks_diff

import _simhost

_P = _simhost.params
_JUMP = _P["jump"]
_SPEED = _P["speed"]
_BATTERY = _P["battery"]
TICK0 = ticks_add(0, -_P["wrap_after"]) if _P.get("wrap_after") is not None else 0

_clock = [_P["v0"]]  # headless: the virtual ms now
# Real time: virtual ms = (monotonic us - _real0) * speed / 1000. The host's
# monotonic clock is the one time.ticks_us() reads on Linux; if not, use ours.
_real0 = _P["t0_us"]
if abs(ticks_diff(time.ticks_us(), _P["host_us"])) > 5000000:
    _real0 = ticks_add(time.ticks_us(), -(_P["host_us"] - _P["t0_us"]))

# [unix_s, virtual ms when it was set]; None or unix_s 0: not set (a reset the port
# modelled by --as loses it: host_tools/sim/port.py).
_wall = _P.get("wall")


def now_v():
    """Virtual ms since the sim started."""
    if _JUMP:
        return _clock[0]
    return int(ticks_diff(time.ticks_us(), _real0) * _SPEED) // 1000


def _trace(ev, fields):
    if _simhost.trace_file is None:
        return
    head = '{"t": ' + str(now_v()) + ', "ev": "' + ev + '"'
    if fields:
        line = head + ", " + json.dumps(fields)[1:] + "\n"
    else:
        line = head + "}\n"
    _simhost.trace(line)


def set_clock(unix_s):
    """Set the band's wall clock (the host tools do this on connect)."""
    global _wall
    v = now_v()
    _wall = [int(unix_s), v]
    _simhost.status("wall " + str(int(unix_s)) + " " + str(v))
    _trace("clock", {"unix_s": int(unix_s)})


def _idle_spell(ms):
    """The board this sim stands in for (--as) idled ms on battery: after long enough it
    would have entered a sleep that loses the wall clock (host_tools/sim/port.py)."""
    global _wall
    off = _simhost.port.get("off_after_ms")
    if off is None or ms < off or _wall is None or not _wall[0]:
        return
    _wall = None
    _simhost.status("wall 0 0")
    _trace("clock_lost", {"idle_ms": ms})


def wall_s():
    if _wall is None or not _wall[0]:
        return None
    if _JUMP:
        return _wall[0] + (now_v() - _wall[1]) // 1000  # headless: the dates follow virtual time
    # In real time the wall clock is the host's: at --speed 20 the ticks run 20x
    # fast, but a session started now is dated now, not in the future.
    return _wall[0] + int((now_v() - _wall[1]) / _SPEED) // 1000


class SimBoard:
    def __init__(self):
        self.edges = []  # due button edges: (down, tick)
        self.script = _P["script"]  # [[virtual ms, 1 = down / 0 = up], ...]
        self.si = 0
        self.later = []  # a gesture's edges still ahead: [virtual ms, down], in time order
        start = _P["script_from"]
        while self.si < len(self.script) and self.script[self.si][0] < start:
            self.si += 1
        self.started = False  # the app said `ready` (main.py's loop retries one that did not fit)
        self.button = _simhost.button_file
        self.poll = None
        if self.button is not None:
            self.poll = select.poll()
            self.poll.register(self.button, select.POLLIN)
        self.mv = _P["battery_mv"]
        # What a board's machine.reset_cause() would say (runwalk sim --reset-cause).
        self.watchdog_reset = _P.get("reset_cause") == "watchdog"

    # -- clock -------------------------------------------------------------------

    def ticks_ms(self):
        return ticks_add(TICK0, now_v())

    def _next_at(self):
        """Virtual ms of the next edge ahead (scripted, or a gesture's), or None."""
        t = self.script[self.si][0] if self.si < len(self.script) else None
        if self.later and (t is None or self.later[0][0] < t):
            t = self.later[0][0]
        return t

    def _script_due(self):
        """Queue every edge ahead that is due by now, at its own time."""
        v = now_v()
        n = 0
        while True:
            t = self._next_at()
            if t is None or t > v:
                return n
            if self.later and self.later[0][0] == t:
                down = self.later.pop(0)[1]
            else:
                down = self.script[self.si][1]
                self.si += 1
            self._edge(bool(down), t)
            n += 1

    def _edge(self, down, t):
        self.edges.append((down, ticks_add(TICK0, t)))
        _trace("button", {"edge": "down" if down else "up", "at": t})

    def _read_pipe(self):
        """Take the gestures the sim sent: the first edge now, the rest at their virtual
        times. A gesture sent while another is still being played follows it."""
        n = 0
        while self.poll.poll(0):
            words = self.button.readline().split()
            if not words:
                break
            base = now_v()
            if self.later and self.later[-1][0] > base:
                base = self.later[-1][0]
            for i in range(0, len(words) - 1, 2):
                t = base + int(words[i])
                down = words[i + 1] == b"d"
                if t <= now_v() and not self.later:
                    self._edge(down, t)
                    n += 1
                else:
                    self.later.append([t, down])
        return n

    def sleep_until(self, deadline, may_power_off=False):
        f = _simhost.flash
        if f.interrupted:
            # A Ctrl-C that arrived during a flash access (see bootstrap.py).
            f.interrupted = False
            raise KeyboardInterrupt
        v = now_v()
        dv = None if deadline is None else ticks_diff(deadline, ticks_add(TICK0, v))
        nxt = self._next_at()
        if nxt is not None:
            nxt -= v
        wait = dv
        if nxt is not None and (wait is None or nxt < wait):
            wait = nxt
        fields = {} if dv is None else {"ms": dv if dv > 0 else 0}
        if _BATTERY:
            fields["mode"] = "light"
        if may_power_off:
            fields["may_power_off"] = True  # the app allowed a board to power off here
        _trace("sleep", fields)
        if _JUMP:
            if wait is None:
                self._idle()
            if wait > 0:
                _clock[0] = v + wait
            pressed = self._script_due()
        else:
            pressed = 0
            if wait is None or wait > 0:
                real = -1
                if wait is not None:
                    r = wait / _SPEED
                    real = int(r)
                    if real < r:
                        real += 1
                if self.poll is not None:
                    if self.poll.poll(real):
                        pressed += self._read_pipe()
                elif real >= 0:
                    time.sleep_ms(real)
                else:
                    while True:  # nothing can ever wake the band: wait for the host
                        time.sleep_ms(60000)
            pressed += self._script_due()
        _trace("wake", {"reason": "button" if pressed else "timer"})
        if may_power_off and dv is None and _BATTERY:
            _idle_spell(now_v() - v)

    def _idle(self):
        """Headless and nothing more can happen: tell the sim to end the run. (A session
        always has a deadline: one the script leaves open ends by itself, days on.)"""
        _trace("idle", {})
        if self.started:
            _simhost.status("exit 0")
        else:  # (main.py caught a MemoryError: on a board it waits for the button and tries again)
            _simhost.status("exit 1 the band's app never started: not even its built-in workout fits the "
                            "heap (MemoryError); give --heap more (with --mpy, as a deploy puts the firmware on)")
        _simhost.hang()

    def edge(self):
        if self.edges:
            return self.edges.pop(0)
        return None

    # -- outputs -------------------------------------------------------------------

    def motor(self, level):
        _trace("motor", {"on": level > 0, "level": level})

    def battery_mv(self):
        return self.mv

    def wall_s(self):
        return wall_s()

    def uid(self):
        return _P["uid"]

    def note(self, ev, fields):
        if ev == "ready":
            self.started = True
        if _simhost.trace_file is None:
            return
        at = fields.get("at")
        if at is not None:
            # Ticks mean nothing outside the band: trace them as virtual ms.
            fields = dict(fields)
            fields["at"] = ticks_diff(at, TICK0)
        _trace(ev, fields)


_board = None


def make():
    global _board
    if _board is None:
        _board = SimBoard()
    return _board
