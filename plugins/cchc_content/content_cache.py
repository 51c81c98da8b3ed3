"""Pelican's content cache, made safe for this site: one folder per everything-but-the-post.

Pelican's reader-level cache (``CACHE_CONTENT``, ``LOAD_CONTENT_CACHE``) keeps each post's
HTML and metadata and reuses them while the post's own bytes are unchanged
(``CHECK_MODIFIED_METHOD = "md5"``). It does not know what else the reading depended on: the
reader's code (this plugin and ``cchc.core``: schema, sanitiser, text rules), the library
versions, the settings (URL patterns live inside the cached Category objects, SITEURL in the
rooted links) and the attachment files a post's check looks for. So ``CACHE_PATH`` is made a
folder named by a digest of all of those (``cache_key``): a change to any of them starts from an
empty folder, as a cold build would; the three most recently used folders are kept (the
development and production settings differ, so they alternate).

Pelican writes its cache files in place, and a build killed while writing leaves a truncated
file that the next build fails to load (EOFError, which Pelican does not catch). So once the
contexts are built (Pelican has saved the cache then) a seal records each cache file's size and
modification time, and at the start of a build any file the seal does not vouch for is removed.
Two builds with the same key at once: the second neither reads nor writes the cache (a lock).
"""

import fcntl
import hashlib
import json
import logging
import os
import shutil
from pathlib import Path

from cchc.core import buildkey
from cchc.core.files import source_refusal, write_whole

log = logging.getLogger(__name__)

SEAL = ".seal.json"
LOCK = ".lock"
KEEP = 3  # key folders kept: development, production, one more
_STAMPS = "cchc_content_stamps"  # the build's stamps, in its context (guard_stamps)


def guard_stamps(generator):
    """Pelican stamps each file it is about to read by reading it whole (``md5``), in the
    generator's cache and in its readers' cache, before any reader sees the file: a FIFO named
    ``x.md`` would block that read for ever, a link out of content/ would be read. Only a regular
    file inside content/ is stamped; any other gets no stamp (a cache miss), so the reader, which
    refuses it with its message (``cchc.core.files.read_source``), is the next to see it.
    (article_generator_init, page_generator_init, static_generator_init: the stamps exist then.)

    Pelican asks for each post's stamp four times a build (the generator's cache and the
    readers', each when looking and when storing): the verdict and the stamp are kept for the
    build (in its context) while the file's status (size, times, inode) stays the same, so each
    post is read and its path resolved once: 0.5 s of a rebuild at 2,000 posts, before anything
    else can start."""
    root = generator.settings["PATH"]
    method = generator.settings.get("CHECK_MODIFIED_METHOD")
    known = generator.context.setdefault(_STAMPS, {})
    for holder in (generator, getattr(generator, "readers", None)):
        stamp = getattr(holder, "_filestamp_func", None)
        if stamp is None or getattr(stamp, "cchc_guarded", False):
            continue

        def guarded(filename, stamp=stamp):
            try:
                st = os.stat(filename)
                status = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)
            except OSError:
                status = None  # missing, a broken link: source_refusal says so, nothing is kept
            kept = known.get((method, filename))
            if status is not None and kept is not None and kept[0] == status:
                return kept[1]
            value = "" if source_refusal(root, filename) else stamp(filename)
            if status is not None:
                known[(method, filename)] = (status, value)
            return value

        guarded.cchc_guarded = True
        holder._filestamp_func = guarded


def cache_key(settings):
    """The digest of everything a post's reading depends on besides the post itself
    (cchc.core.buildkey, which the page cache shares)."""
    digest = hashlib.blake2b(digest_size=12)
    buildkey.update(digest, settings)
    return digest.hexdigest()


def _unsealed(folder):
    """Remove the cache files of *folder* that its seal does not vouch for (a killed build's)."""
    try:
        seal = json.loads((folder / SEAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        seal = {}
    for path in folder.iterdir():
        if path.name in (SEAL, LOCK):
            continue
        st = path.stat()
        if seal.get(path.name) != [st.st_size, st.st_mtime_ns]:
            path.unlink()


def _prune(base, keep):
    folders = sorted((p for p in base.iterdir() if p.is_dir() and p != keep),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in folders[KEEP - 1:]:
        shutil.rmtree(old, ignore_errors=True)


def seal(folder):
    """Record the size and time of each cache file in *folder*, as Pelican has just saved them."""
    folder = Path(folder)
    if not folder.is_dir():
        return
    files = {}
    for path in folder.iterdir():
        if path.name not in (SEAL, LOCK):
            st = path.stat()
            files[path.name] = [st.st_size, st.st_mtime_ns]
    write_whole(folder / SEAL, json.dumps(files, sort_keys=True))


class ContentCache:
    """The cache folder of one build: chosen, checked and locked at ``initialized``, released
    at ``finalized`` (``seal`` runs once the contexts are built)."""

    def __init__(self, pelican):
        settings = pelican.settings
        self.folder = None
        self._lock = None
        if not (settings.get("CACHE_CONTENT") or settings.get("LOAD_CONTENT_CACHE")):
            return
        base = Path(settings["CACHE_PATH"])
        folder = base / cache_key(settings)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._lock = open(folder / LOCK, "a+b")
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            _unsealed(folder)
            os.utime(folder)  # most recently used
            _prune(base, folder)
        except OSError as exc:  # held by a build running now, or a read-only checkout: no cache
            log.info("cchc_content: building without the content cache (%s)", exc)
            self.release()
            settings["CACHE_CONTENT"] = settings["LOAD_CONTENT_CACHE"] = False
            return
        settings["CACHE_PATH"] = str(folder)
        self.folder = folder

    def release(self):
        if self._lock is not None:
            self._lock.close()  # closing the file releases the lock
            self._lock = None
