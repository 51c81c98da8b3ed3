"""The output tree a build replaces, and what a new one can take from it without writing.

``cchc build`` writes the whole site into a fresh folder beside output/ and swaps it in
(cchc.cli.build), and after one edit almost every file it writes is byte for byte one the live
output/ already holds: at 2,000 posts, 17,470 files of which about 300 differ. Beside the tree,
the build keeps a record of it (``records_file``: per file its size, mtime, inode and a digest of
its bytes, as git's index trusts a file by its status). A writer holding a file's bytes calls
``PreviousTree.write``: when the record vouches for the same bytes at that place in the old tree,
the old file is hard-linked into the new one (no data written, no new inode, and later nothing
to read back: cchc.cli.build.keep_unchanged_mtimes knows the inode), else the bytes are written.
A writer that knows only the size and digest of the bytes (cchc_pagecache) calls
``PreviousTree.link_recorded``, and writes the bytes itself when nothing was linked.

A linked file is shared with the live tree until the next build deletes the old one: nothing may
write into a file of the new tree in place (open(…, "w") on it would change the live site too).
Writers that change a file after it was written replace it (cchc_assets). The tree is given to
the build by the setting ``CCHC_PREVIOUS_OUTPUT`` (the live output folder's absolute path; the
build CLI sets it, see cchc.cli.build._build); without it every file is written.
"""

import hashlib
import os

SETTING = "CCHC_PREVIOUS_OUTPUT"


def records_file(output):
    """Beside the output folder *output* (a str or Path): its record, one line per file."""
    output = os.fspath(output)
    head, name = os.path.split(output.rstrip(os.sep))
    return os.path.join(head, f".{name}-digests")


def digest(data):
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def read_records(path):
    """{relative path: (size, mtime_ns, inode, digest)} from records_file(); {} when missing or
    unreadable (then nothing is vouched for)."""
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
        return {rel: (int(size), int(mtime), int(ino), dig) for rel, size, mtime, ino, dig in
                (line.rsplit("\t", 4) for line in lines)}
    except (OSError, ValueError):
        return {}


def format_records(records):
    """The text of records_file() for *records* ([(rel, size, mtime_ns, inode, digest)])."""
    return "".join(f"{r[0]}\t{r[1]}\t{r[2]}\t{r[3]}\t{r[4]}\n" for r in records)


def put(path, data, tree=None):
    """Write the bytes *data* at *path* (its folder made) as a new file, never into the file that
    was there: through *tree* (a PreviousTree: linked from the live site when it holds these
    bytes) or, without one, plainly. The one way the build's writers put a file."""
    if tree is not None:
        tree.write(path, data)
        return
    path = os.fspath(path)
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)


_SHARED = {}  # (old, new, the record's status) → PreviousTree: a build's writers share it


class PreviousTree:
    """The tree *old* a new tree *new* replaces, with its record (``write``: link or write)."""

    def __init__(self, old, new, records=None):
        self.old = os.path.join(os.fspath(old), "")
        self.new = os.path.join(os.fspath(new), "")
        self.records = read_records(records_file(old)) if records is None else records
        self.linked = self.written = 0
        self._folders = set()  # folders of the new tree made (or found) so far

    @classmethod
    def from_settings(cls, settings, new=None):
        """The tree of ``CCHC_PREVIOUS_OUTPUT`` for a build writing into *new* (default:
        OUTPUT_PATH), or None when there is none or it is the same folder. The writers of one
        build share one (its record is read once)."""
        old = settings.get(SETTING) or ""
        new = os.path.abspath(new or settings["OUTPUT_PATH"])
        if not old or not os.path.isdir(old) or os.path.abspath(old) == new:
            return None
        old = os.path.abspath(old)
        try:
            st = os.stat(records_file(old))
            status = (st.st_size, st.st_mtime_ns, st.st_ino)
        except OSError:
            status = None
        key = (old, new, status)
        if key not in _SHARED:
            _SHARED.clear()  # one build at a time per process: the last one's
            _SHARED[key] = cls(old, new)
        return _SHARED[key]

    def write(self, path, data, data_digest=None):
        """Put the bytes *data* at *path* (a file of the new tree, its folder made): a link to the
        old tree's file when its record vouches for these bytes there, else a plain write.
        *data_digest*: digest(*data*) when the caller has it."""
        self._replacing(self._put, os.fspath(path), data, data_digest)

    def link_recorded(self, path, size, data_digest):
        """Link the old tree's file into *path* when the record vouches that it holds *size*
        bytes of digest *data_digest*, without the bytes at hand; True if linked, else nothing
        is done (the caller writes the bytes)."""
        path = os.fspath(path)
        if not path.startswith(self.new):
            return False
        linked = self._replacing(self._link, path, size, data_digest)
        self.linked += linked
        return linked

    @staticmethod
    def _replacing(put, path, *args):
        """``put(path, *args)``, which makes a new file at *path*. The new tree is fresh: almost no
        path holds a file yet, so it tries first; a file already there (written earlier in this
        build, perhaps linked from the old tree) is removed and the file put again, never written
        into. (Removing first cost a failed system call and exception per file: 86,700 of them in
        a rebuild of 10,000 posts.)"""
        try:
            return put(path, *args)
        except FileExistsError:
            os.unlink(path)
            return put(path, *args)

    def _put(self, path, data, data_digest):
        if path.startswith(self.new) and self._link(path, len(data), data_digest, data):
            self.linked += 1
            return
        self._folder(path)
        with open(path, "xb") as fh:
            fh.write(data)
        self.written += 1

    def known(self, path):
        """The record's (size, mtime_ns, inode, digest) of *path*, a file of the new tree, when
        it is a file of the old tree linked in (the same inode) that the record vouches for;
        else None (read it). A step after the pages (compression, the link check) then need not
        read it."""
        path = os.fspath(path)
        if not path.startswith(self.new):
            return None
        entry = self.records.get(path[len(self.new):])
        if entry is None:
            return None
        try:
            st = os.stat(path)
        except OSError:
            return None
        # The old tree still holds the recorded inode: a file with that number is that file.
        if (st.st_size, st.st_mtime_ns, st.st_ino) != entry[:3]:
            return None
        return entry

    def known_digest(self, path):
        """digest() of the bytes of *path* when ``known``, else None."""
        entry = self.known(path)
        return entry[3] if entry is not None else None

    def _link(self, path, size, data_digest, data=None):
        """Link the old tree's file into *path* if the record vouches it holds *size* bytes of
        digest *data_digest* (None: digest(*data*), computed only when needed)."""
        rel = path[len(self.new):]
        entry = self.records.get(rel)
        if entry is None or entry[0] != size:
            return False
        old = self.old + rel
        try:
            st = os.stat(old)
        except OSError:
            return False
        if (st.st_size, st.st_mtime_ns, st.st_ino) != entry[:3]:
            return False
        if (data_digest if data_digest is not None else digest(data)) != entry[3]:
            return False
        try:
            self._folder(path)
            os.link(old, path)
        except FileExistsError:  # _replacing removes it and tries again
            raise
        except OSError:  # another file system, too many links, no permission: write instead
            return False
        return True

    def _folder(self, path):
        folder = os.path.dirname(path)
        if folder not in self._folders:  # makedirs stats the folder: once per folder, not per file
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
