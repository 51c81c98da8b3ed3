"""Which of two posts that clash (one slug, one id, one document number) is the published one.

The file git added first (the date of the commit that added its path) is the one already
published: the other is the newcomer, the one whose slug, id or record has to change. A file
without a commit (untracked, or only staged) is newer than any committed one. Between two files
without a commit, and where there is no git (not installed, not a repository), the file's
modification time decides; the message then says so (issue 31: the check once told staff to
change the URL of the live post, the one that sorted last).

Git is asked only about the files of a clash, one ``git log`` each.
"""

import os
import subprocess
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Age:
    """When a file came to be, as far as it can be known."""

    path: str
    committed: bool  # git has a commit adding it
    when: float  # the first commit's time (committed), else the file's modification time
    git: bool  # git answered for this folder (False: no git, the modification time decided)

    @property
    def key(self):
        """Oldest first: committed before uncommitted, then by time, then by path."""
        return (not self.committed, self.when, self.path)

    @property
    def day(self):
        return datetime.fromtimestamp(self.when).strftime("%d/%m/%Y %H:%M")


def _first_commit(path):
    """Epoch seconds of the commit that added *path*; None when there is none; raises OSError
    when git cannot answer (not installed, not a repository). Not ``--follow``: it takes a copied
    post for a rename of the original and dates the copy as old as the original; a renamed file
    counts from its rename."""
    proc = subprocess.run(["git", "log", "--no-renames", "--diff-filter=A", "--format=%ct", "--", str(path)],
                          capture_output=True, text=True, timeout=60, check=False)
    if proc.returncode != 0:
        raise OSError(proc.stderr.strip() or "git log failed")
    times = proc.stdout.split()
    return int(times[-1]) if times else None


def _mtime(path):
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0


def ages(paths):
    """{path: Age} for *paths* (as the check names them, relative to the working folder)."""
    out = {}
    git = True
    for path in paths:
        first = None
        if git:
            try:
                first = _first_commit(path)
            except (OSError, subprocess.SubprocessError):
                git = False
        out[path] = Age(path, first is not None, float(first) if first is not None else _mtime(path), git)
    if not git:  # git failed on a later file: every file judged the same way
        out = {p: Age(p, False, _mtime(p), False) for p in paths}
    return out


def oldest_first(items, path_of=lambda item: item):
    """*items* sorted oldest first (see module), with {path: Age}."""
    found = ages([path_of(i) for i in items])
    return sorted(items, key=lambda i: found[path_of(i)].key), found


def how_known(older, newer):
    """(what is said of the older file, of the newer one), saying how it was decided: e.g.
    ("đã có trong git", "chưa có trong git")."""
    if older.committed and not newer.committed:
        return "đã có trong git", "chưa có trong git"
    if older.committed and older.when == newer.when:  # one commit added both: neither came first
        return (f"vào git cùng lần với tệp này, ngày {older.day}",
                "vào git cùng lần, được nêu ở đây vì tên tệp xếp sau")
    if older.committed:
        return f"vào git ngày {older.day}", f"vào git sau, ngày {newer.day}"
    if older.git:
        return (f"chưa có trong git, sửa lần cuối {older.day}",
                f"cũng chưa có trong git, sửa lần cuối {newer.day}, sau tệp đó")
    return (f"sửa lần cuối {older.day}; không dùng được git nên so theo thời điểm sửa tệp",
            f"sửa lần cuối {newer.day}, sau tệp đó")
