"""A build cache kept in one SQLite file: values by key, under the key of what made them.

cchc_pagecache (rendered pages) and cchc_search (what each search record gives the index) keep
their work between builds the same way, so the file's upkeep is defined once, here:

- each row (key → bytes) belongs to a *generation*: the digest of the code, settings and the
  rest its values were made under. The development, production and editor settings alternate
  (`make html`, `make publish`, `make studio`): the KEEP most recently built generations stay;
  of the current one, what this build used or made; the room of dropped rows is given back
  (VACUUM) once it is most of the file;
- a file of another layout (an earlier version: ``PRAGMA user_version``) is emptied, and one
  that is not a database, or is damaged, is replaced: a cache only spares work;
- a file another build holds locked past TIMEOUT, a full disk: this build goes without it
  (``error`` says why) and the file stays as it is.

Nothing is written before ``close``; the caller says what failed in its own words (``error``,
the value ``close`` returns).
"""

import contextlib
import marshal
import sqlite3
import time
from pathlib import Path


class KeptRows:
    KEEP = 3
    SCHEMA = 3  # 1: cchc_search's own table, 2: cchc_pagecache's own table
    TIMEOUT = 30  # seconds to wait for another build's write to the file

    def __init__(self, path, generation=None):
        self.path = Path(path)
        self.generation = generation
        self.used, self.new = set(), {}
        self.error = None
        self.db = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._connect()
        except (OSError, sqlite3.Error) as exc:
            self.error = exc
            self._drop_connection()
            # Not a SQLite file or a damaged one (DatabaseError, not OperationalError): start
            # afresh. Locked or a full disk (OperationalError), a folder, no access: go without.
            if (isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError)
                    and self.path.is_file()):
                with contextlib.suppress(OSError, sqlite3.Error):
                    self.path.unlink()
                    self._connect()
                    self.error = None

    def _connect(self):
        self.db = sqlite3.connect(self.path, timeout=self.TIMEOUT)
        with self.db:
            if self.db.execute("PRAGMA user_version").fetchone()[0] != self.SCHEMA:
                for table in ("page", "site", "record", "code", "row", "generation"):
                    self.db.execute(f"DROP TABLE IF EXISTS {table}")
                self.db.execute(f"PRAGMA user_version = {self.SCHEMA}")
            self.db.execute("CREATE TABLE IF NOT EXISTS row (generation TEXT NOT NULL, key NOT NULL, "
                            "data BLOB NOT NULL, PRIMARY KEY (generation, key))")
            self.db.execute("CREATE TABLE IF NOT EXISTS generation "
                            "(generation TEXT PRIMARY KEY, built INTEGER NOT NULL)")

    def _drop_connection(self):
        if self.db is not None:
            self.db.close()
        self.db = None

    def _give_up(self, exc):
        self.error = exc
        self._drop_connection()

    def all(self):
        """{key: bytes} of the current generation (nothing is marked used)."""
        if self.db is None:
            return {}
        try:
            return dict(self.db.execute("SELECT key, data FROM row WHERE generation = ?", (self.generation,)))
        except sqlite3.Error as exc:
            self._give_up(exc)
            return {}

    def get(self, key):
        """The bytes kept for *key* in the current generation (marked used), or None."""
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT data FROM row WHERE generation = ? AND key = ?",
                                  (self.generation, key)).fetchone()
        except sqlite3.Error as exc:
            self._give_up(exc)
            return None
        if row is not None:
            self.used.add(key)
        return row[0] if row is not None else None

    def use(self, key):
        """Keep *key*'s row (taken from ``all``)."""
        self.used.add(key)

    def put(self, key, data):
        """*data* made by this build for *key*, written at ``close``."""
        self.new[key] = data

    def memo(self, key, compute, known=None):
        """(value, whether computed): the plain data kept for *key* (in marshal, Python's own
        format for plain data, the fastest to load: the generation should hold the Python
        version), from *known* (what ``all`` gave) or else the file, or made earlier in this
        build; else ``compute()``, kept for ``close``. The key is marked used either way."""
        if known is not None:
            self.use(key)
            data = known.get(key)
        else:
            data = self.get(key)
        if data is None:
            data = self.new.get(key)
        if data is not None:
            return marshal.loads(data), False
        value = compute()
        self.put(key, marshal.dumps(value))
        return value, True

    def close(self):
        """Write what this build made; drop the rows of its generation it neither used nor made,
        and the generations beyond the KEEP most recent. Returns the error that stopped it, or
        None."""
        if self.db is None or self.generation is None:
            self._drop_connection()
            return None
        try:
            with self.db:
                gen = self.generation
                self.db.execute("INSERT OR REPLACE INTO generation VALUES (?, ?)", (gen, time.time_ns()))
                self.db.execute("CREATE TEMP TABLE keep (key PRIMARY KEY)")
                self.db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", ((k,) for k in self.used))
                self.db.execute("DELETE FROM row WHERE generation = ? AND key NOT IN (SELECT key FROM keep)", (gen,))
                self.db.executemany("INSERT OR REPLACE INTO row VALUES (?, ?, ?)",
                                    ((gen, k, v) for k, v in self.new.items()))
                old = "SELECT generation FROM generation ORDER BY built DESC LIMIT -1 OFFSET ?"
                self.db.execute(f"DELETE FROM row WHERE generation IN ({old})", (self.KEEP,))
                self.db.execute(f"DELETE FROM generation WHERE generation IN ({old})", (self.KEEP,))
            free, total = (self.db.execute(f"PRAGMA {name}").fetchone()[0] for name in ("freelist_count", "page_count"))
            if free * 2 > total:  # mostly room left by dropped rows (SQLite keeps it): give it back
                self.db.execute("VACUUM")
            return None
        except sqlite3.Error as exc:
            return exc
        finally:
            self._drop_connection()
