# The haptic vocabulary as data. Each pattern alternates ON and OFF durations
# in ms, starting ON. The cues of a workout (segments, heads-up, start, pause,
# resume, done) pulse 150 ms or longer: shorter ones are missed through clothing
# while running. The error and flash-full cues buzz in 100 ms pulses on purpose:
# felt at the band's start or a click, not mid-run, and unlike any workout cue.
# Patterns differ in pulse count and rhythm, not only length, so they can be
# told apart by feel.
from .ticks import const, ticks_add, ticks_diff

RUN = (400, 200, 400)  # two long
WALK = (900,)  # one long
SPRINT = (150, 100, 150, 100, 150, 100, 600)  # three quick, one long
WARN = (180, 220, 180, 220, 180)  # three short taps: "change coming"
DONE = (600, 300, 600, 300, 600)  # three long
START = (150, 150, 150, 150, 700)  # two taps, one long: "go"
PAUSE = (700, 250, 150)  # long then tap
RESUME = (150, 250, 700)  # tap then long
ERROR = (100, 100, 100, 100, 100, 100, 100, 100, 100)  # five rapid buzzes
FULL = (100, 100, 100, 100, 100, 100, 1200)  # rapid buzz then very long: flash full
_BATTERY_PULSE = const(250)  # battery check: one to four 250 ms pulses, 350 ms apart
_BATTERY_GAP = const(350)

KIND_CUES = (WALK, RUN, SPRINT)  # indexed by workout kind

NAMES = {
    RUN: "run",
    WALK: "walk",
    SPRINT: "sprint",
    WARN: "warn",
    DONE: "done",
    START: "start",
    PAUSE: "pause",
    RESUME: "resume",
    ERROR: "error",
    FULL: "full",
}


def battery(mv):
    """Battery check pattern for a cell at `mv` millivolts (None: unknown, as full).

    One pulse below 3500 mV, two from 3500, three from 3700, four from 3900.
    """
    p = [_BATTERY_PULSE]
    for step in (3500, 3700, 3900):
        if mv is None or mv >= step:
            p.append(_BATTERY_GAP)
            p.append(_BATTERY_PULSE)
    return tuple(p)


_CUE_GAP = const(400)  # pause between a cue and the one queued after it


class Player:
    """Plays haptic patterns as motor edges at absolute deadlines.

    A new cue replaces the one playing: the newest news is what the runner
    must feel. `play_next` queues one cue after the current one (the start
    cue, then the first segment's kind). The app asks `next_edge()` for the
    next deadline and calls `advance(now)` when it is reached; `level` is the
    motor strength to apply (0 = off).
    """

    def __init__(self):
        self.pattern = None
        self.step = 0
        self.edge_at = 0
        self.level = 0
        self.strength = 0
        self.queued = None
        self.queued_strength = 0

    def play(self, pattern, strength, now):
        self.queued = None
        self.pattern = pattern
        self.strength = strength
        self.step = 0
        self.level = strength
        self.edge_at = ticks_add(now, pattern[0])

    def play_next(self, pattern, strength, now):
        if self.pattern is None:
            self.play(pattern, strength, now)
        else:
            self.queued = pattern
            self.queued_strength = strength

    def next_edge(self):
        return self.edge_at if self.pattern is not None else None

    def advance(self, now):
        """Apply every edge due by `now`; return True if the motor level changed."""
        before = self.level
        p = self.pattern
        while p is not None and ticks_diff(now, self.edge_at) >= 0:
            self.step += 1
            if self.step >= len(p):
                self.level = 0
                if self.queued is not None:
                    # Wait _CUE_GAP off, then start the queued pattern (step -1).
                    self.pattern = p = self.queued
                    self.strength = self.queued_strength
                    self.queued = None
                    self.step = -1
                    self.edge_at = ticks_add(self.edge_at, _CUE_GAP)
                else:
                    self.pattern = p = None
            else:
                self.level = 0 if self.step & 1 else self.strength
                # Chain from the previous edge, not from `now`: no drift.
                self.edge_at = ticks_add(self.edge_at, p[self.step])
        return self.level != before
