"""What a board does around its REPL, on top of the unix port's own REPL.

- Input: a board queues what the host sends while a program runs and the
  REPL reads it later; only Ctrl-C acts at once. The unix port instead throws
  away unread input whenever it switches its terminal mode (TCSAFLUSH), so
  the sim holds the host's bytes until the child sits at a prompt, and sends
  Ctrl-C ahead of them, as SIGINT, while code runs.
- Ctrl-C is a byte like any other while code has switched it off
  (`micropython.kbd_intr(-1)`, as mpremote mount does to read binary files):
  the bootstrap tells the sim (status `kbd`), and the sim checks that the port
  really has no SIGINT handler then.
- Output: after a soft reset the sim starts a fresh child and, if the host was
  in the raw REPL, puts the child back there, hiding its start-up banner, so
  the host sees `soft reboot` and the raw REPL prompt as a board prints them.
  The friendly REPL's lines end in CR LF, as a board sends them.
"""

from __future__ import annotations

CTRL_C = 0x03
RAW_BANNER = b"raw REPL; CTRL-B to exit\r\n"
FRIENDLY_BANNER = b'Type "help()" for more information.'
SOFT_REBOOT = b"MPY: soft reboot\r\n"
ENTER_RAW = b"\x01"


class InputGate:
    """Host bytes waiting for the child to read them."""

    def __init__(self) -> None:
        self.held = bytearray()

    def push(self, data: bytes) -> None:
        self.held += data

    def clear(self) -> None:
        self.held.clear()

    def take(self, at_prompt: bool, can_interrupt: bool) -> bytes:
        """The bytes to write to the child now.

        At a prompt: everything, in order. While code runs: only Ctrl-C (sent
        as SIGINT), and only when the child has a SIGINT handler.
        """
        if not self.held:
            return b""
        if at_prompt:
            out = bytes(self.held)
            self.held.clear()
            return out
        if can_interrupt and CTRL_C in self.held:
            i = self.held.index(CTRL_C)
            del self.held[i]
            return bytes([CTRL_C])
        return b""


class OutputFilter:
    """Follows which REPL the child shows, hides a restarted child's banner, and ends the
    friendly REPL's lines in CR LF as a board does (the unix port leaves that to a terminal's
    onlcr, which would also mangle the raw REPL's binary transfers: mpremote mount)."""

    def __init__(self) -> None:
        self.raw = False
        self._tail = b""
        self._hiding = False
        self._hidden = b""
        self._cr = False  # the last byte sent was CR

    def hide_until_raw(self) -> None:
        """Swallow output until the child prints the raw REPL banner."""
        self._hiding = True
        self._hidden = b""

    @property
    def hiding(self) -> bool:
        return self._hiding

    def feed(self, data: bytes) -> bytes:
        if self._hiding:
            self._hidden += data
            i = self._hidden.find(RAW_BANNER)
            if i < 0:
                self._hidden = self._hidden[-4096:]
                return b""
            data = self._hidden[i:]
            self._hiding = False
            self._hidden = b""
            self.raw = True
        out = self._cooked(data, self.raw)
        text = self._tail + data
        r = text.rfind(RAW_BANNER)
        f = text.rfind(FRIENDLY_BANNER)
        if r >= 0 or f >= 0:
            self.raw = r > f
        self._tail = text[-64:]
        return out

    def _cooked(self, data: bytes, raw: bool) -> bytes:
        """data with lone LFs as CR LF where the friendly REPL shows it (raw: in the raw REPL at
        the start of data; a banner in data switches)."""
        out = bytearray()
        i = 0
        while i < len(data):
            if raw:
                f = data.find(FRIENDLY_BANNER, i)
                if f < 0:
                    out += data[i:]
                    break
                s = data.rfind(b"MicroPython ", i, f)  # the banner's first line
                s = f if s < 0 else s
                out += data[i:s]
                i, raw = s, False
            else:
                r = data.find(RAW_BANNER, i)
                end = len(data) if r < 0 else r
                piece = data[i:end].replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
                if self._cr and piece[:2] == b"\r\n" and data[i : i + 1] == b"\n":
                    piece = piece[1:]  # its CR went out with the last piece
                out += piece
                self._cr = piece[-1:] == b"\r"
                i, raw = end, True
                if r < 0:
                    break
        if out:
            self._cr = out[-1:] == b"\r"
        return bytes(out)

    def reset(self) -> None:
        self.raw = False
        self._tail = b""
        self._hiding = False
        self._hidden = b""
        self._cr = False
