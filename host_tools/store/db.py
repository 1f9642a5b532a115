"""The laptop's session store: SQLite in the user data directory (or `--db FILE`).

A session is keyed by the band's uid and its sequence number. The raw log bytes
are kept with their SHA-256, so every export can be re-derived from what the band
wrote, by a newer decoder too. Nothing is ever overwritten: if a band's numbers
restart (its flash was wiped), the other session with the same key is kept as
another row. The first stored keeps its id (`UID-000012`), the later ones get
`UID-000012.2`, `.3`, ...: ids never change and never name two sessions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from host_tools.errors import RunwalkError
from host_tools.parse import shell_word
from host_tools.store import model

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL,
    seq INTEGER NOT NULL,
    band_file TEXT NOT NULL,
    raw BLOB NOT NULL,
    sha256 TEXT NOT NULL,
    pulled_at TEXT NOT NULL,
    started TEXT,
    damaged INTEGER NOT NULL,
    UNIQUE (uid, seq, sha256)
);
"""


def default_path() -> Path:
    return Path(platformdirs.user_data_dir("runwalk", appauthor=False)) / "sessions.sqlite"


@dataclass(frozen=True)
class Stored:
    number: int  # the local number `runwalk logs show N` takes
    uid: str
    seq: int
    band_file: str
    raw: bytes
    sha256: str
    pulled_at: str
    nth: int = 1  # 2, 3, ... for later sessions with the same uid and number (a band's numbers restarted)

    def session(self) -> model.Session:
        """The session its log holds, decoded once (the log never changes): `logs list` dates each
        undated session from all the others, which decoded every log again for each (a 500-session
        store with 50 undated: 14 s)."""
        s = self.__dict__.get("_session")
        if s is None:
            s = model.from_log(self.raw, self.seq, self.uid)
            if self.nth > 1:
                s.id = "%s.%d" % (s.id, self.nth)
            self.__dict__["_session"] = s  # (frozen: not through setattr)
        return s


class Store:
    def __init__(self, path: str | os.PathLike[str] | None = None, create: bool = True) -> None:
        """create=False (commands that only read): a missing store reads as empty, and is not made."""
        self.path = Path(path) if path else default_path()
        if self.path.is_dir():  # sqlite would say only "unable to open database file"
            raise RunwalkError("%s is a directory; give --db the session store's file, e.g. %s"
                               % (self.path, self.path / "sessions.sqlite"))
        try:
            if create or self.path.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(str(self.path))
            else:
                self.conn = sqlite3.connect(":memory:")
            tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if tables and not self._is_store():
                # Another program's database (a typo in --db): never add a table to it, never read it as ours.
                self.conn.close()
                raise RunwalkError("%s is an SQLite database but not a runwalk session store; give --db another "
                                   "file" % self.path)
            if not tables and not create:
                self.conn.close()
                self.conn = sqlite3.connect(":memory:")  # an empty file reads as an empty store, unchanged
            self.conn.executescript(SCHEMA)
            self.found = self.path.exists()  # False: a reading command found no store there (a typo in --db?)
        except sqlite3.DatabaseError as e:
            if "not a database" not in str(e):
                raise self._cannot_open(e, create) from None
            # Another file given as --db (a typo, a FIT file): never written to, and said so.
            raise RunwalkError("%s is not a runwalk session store (not an SQLite file); give --db another file"
                               % self.path) from None
        except (OSError, sqlite3.Error) as e:
            raise self._cannot_open(e, create) from None

    def _cannot_open(self, e: Exception, create: bool) -> RunwalkError:
        folder = self.path.parent
        if create and not self.path.exists() and folder.is_dir() and not os.access(folder, os.W_OK):
            # sqlite says only "unable to open database file"
            return RunwalkError("cannot make the session store %s: %s is read-only for you (give --db a file "
                                "in a folder you can write)" % (self.path, folder))
        return RunwalkError("cannot open the session store %s: %s" % (self.path, e))

    def check_writable(self) -> None:
        """RunwalkError unless a session can be added: a store on a read-only file, folder or disk is found
        out before a pull stops the band's app (ending a session in progress) to fetch what it cannot keep."""
        try:
            try:
                # A row written and rolled back: what a pull does first (the folder must take the journal too).
                self.conn.execute("INSERT INTO sessions (uid, seq, band_file, raw, sha256, pulled_at, damaged) "
                                  "VALUES ('', -1, '', x'', '', '', 0)")
            finally:
                self.conn.rollback()
        except sqlite3.Error as e:
            why = str(e)
            if "locked" in why or "busy" in why:  # for longer than sqlite waits: not something to make writable
                raise RunwalkError("cannot write the session store %s: another program is writing to it (another "
                                   "pull, a database browser): run the pull again once it is done; nothing was "
                                   "pulled" % self.path) from None
            folder = self.path.parent
            if getattr(e, "sqlite_errorname", "") == "SQLITE_READONLY_DIRECTORY" or not os.access(folder, os.W_OK):
                why = "its folder %s is read-only" % folder  # for the journal beside it (sqlite: "unable to open")
            raise RunwalkError("cannot write the session store %s (%s): make it writable, or give --db another "
                               "file; nothing was pulled" % (self.path, why)) from None

    _NEEDED = {"id", "uid", "seq", "band_file", "raw", "sha256", "pulled_at", "started", "damaged"}

    def _is_store(self) -> bool:
        return self._NEEDED <= {r[1] for r in self.conn.execute("PRAGMA table_info(sessions)")}

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Commit everything inside, or nothing."""
        with self.conn:
            yield self.conn

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        """A query's rows; a store the disk damaged (or a file cut short) is one RunwalkError, not a traceback."""
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as e:
            raise RunwalkError("cannot read the session store %s: %s" % (self.path, e)) from None

    def has(self, uid: str, seq: int, sha256: str | None = None) -> bool:
        row = next(iter(self.rows("SELECT sha256 FROM sessions WHERE uid=? AND seq=?", (uid, seq))), None)
        return row is not None and (sha256 is None or row[0] == sha256)

    def add(self, band_file: str, raw: bytes, fallback_uid: str = model.UNKNOWN_UID, fallback_seq: int = 0) -> Stored:
        """Store one session's bytes (committed on return). Returns it as stored."""
        s = model.from_log(raw, fallback_seq, fallback_uid)
        digest = hashlib.sha256(raw).hexdigest()
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        try:
            with self.transaction() as c:
                c.execute(
                    "INSERT INTO sessions (uid, seq, band_file, raw, sha256, pulled_at, started, damaged) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uid, seq, sha256) DO NOTHING",
                    (s.uid, s.seq, band_file, raw, digest, now, s.started.isoformat() if s.started else None,
                     1 if s.damage else 0),
                )
        except sqlite3.Error as e:  # a full disk, a store another program holds locked: rolled back, say so
            raise RunwalkError("cannot write the session store %s: %s" % (self.path, e)) from None
        got = self._row(next(iter(self.rows(
            "SELECT %s FROM sessions WHERE uid=? AND seq=? AND sha256=?" % self._COLS, (s.uid, s.seq, digest)
        )), None))
        assert got is not None
        return got

    def _row(self, row: tuple | None) -> Stored | None:
        if row is None:
            return None
        return Stored(row[0], row[1], row[2], row[3], bytes(row[4]), row[5], row[6], row[7])

    # nth: which session of those with its uid and number, in the order they were stored.
    _COLS = ("id, uid, seq, band_file, raw, sha256, pulled_at, "
             "(SELECT COUNT(*) FROM sessions AS o WHERE o.uid = sessions.uid AND o.seq = sessions.seq "
             "AND o.id <= sessions.id)")

    def get_key(self, uid: str, seq: int, nth: int = 1) -> Stored | None:
        """The nth session stored with that uid and number (nth > 1: the band's numbers restarted)."""
        rows = self.rows("SELECT %s FROM sessions WHERE uid=? AND seq=? ORDER BY id" % self._COLS, (uid, seq))
        return self._row(rows[nth - 1]) if 1 <= nth <= len(rows) else None

    def all(self) -> list[Stored]:
        rows = self.rows("SELECT %s FROM sessions ORDER BY started IS NULL, started, id" % self._COLS)
        return [r for r in (self._row(x) for x in rows) if r is not None]

    def missing(self) -> str:
        """Why a reading command finds nothing, when there is no store at all: it names the file,
        so a mistyped --db shows (rather than "holds no sessions", as if the runs were lost)."""
        return "there is no session store at %s (`runwalk logs pull%s` makes it)" % (
            self.path, "" if self.path == default_path() else " --db %s" % shell_word(self.path))

    def find(self, ref: str) -> Stored:
        """A session by its local number, its id (`UID-000012`), or `last` (the one stored last;
        the commands' `last`, the latest run, is dating.find's)."""
        if not self.found:
            raise RunwalkError("no sessions stored: %s" % self.missing())
        ref = ref.strip()
        if ref.startswith("#") and ref[1:].isdigit():
            ref = ref[1:]  # `#3`, as `logs pull` prints the numbers
        if ref.lower() == "last":
            row = next(iter(self.rows("SELECT %s FROM sessions ORDER BY id DESC LIMIT 1" % self._COLS)), None)
            found = self._row(row)
            if found is None:
                raise RunwalkError("the store %s holds no sessions yet (run `runwalk logs pull`)" % self.path)
            return found
        # ASCII digits only ("²".isdigit() is true), and no more than SQLite's 64-bit integers hold.
        if ref.isascii() and ref.isdigit() and int(ref) < 2**63:
            found = self._row(next(iter(self.rows("SELECT %s FROM sessions WHERE id=?" % self._COLS, (int(ref),))),
                                   None))
            if found is not None:
                return found
        uid, _, seq = ref.rpartition("-")
        seq, _, nth = seq.partition(".")  # UID-000012.2: the second session stored as UID-000012
        if not nth:
            nth = "1"
        if uid and seq.isascii() and seq.isdigit() and int(seq) < 2**63 and nth.isascii() and nth.isdigit():
            found = self.get_key(uid, int(seq), int(nth))
            if found is not None:
                return found
        raise RunwalkError("no session %r in %s (see `runwalk logs list`)" % (ref, self.path))


def count(store: Store) -> int:
    """How many sessions the store holds."""
    return int(store.rows("SELECT COUNT(*) FROM sessions")[0][0])


def hashes(store: Store) -> set[str]:
    """SHA-256 of every stored log: what a pull can skip."""
    return {r[0] for r in store.rows("SELECT sha256 FROM sessions")}
