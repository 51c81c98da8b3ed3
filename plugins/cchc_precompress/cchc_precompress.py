"""cchc_precompress: ``.br`` and ``.gz`` next to every text file, byte-for-byte reproducible.

Servers send the precompressed twin when the browser accepts it (nginx ``gzip_static`` /
``brotli_static``, Apache rewrite rules: see deploy/), so nothing is compressed per request.
Every file with a listed extension anywhere in the output is covered, whoever wrote it
(pages, feeds, search shards, sitemap), as long as this plugin is listed after the plugins
that write files (publishconf.py appends it last). Gzip files carry no name and mtime 0, and
Brotli output is deterministic, so two builds of the same input are identical.

    CCHC_PRECOMPRESS = {"EXTENSIONS": [...], "MIN_SIZE": 256, "GZIP": True, "BROTLI": True,
                        "GZIP_LEVEL": 6, "BROTLI_QUALITY": 7, "CACHE": ""}

With CACHE (publishconf.py: .cache/precompress/) twins are kept by the digest of the bytes they
compress and hard-linked into the output (TwinCache): only new bytes are compressed, and their twins
are written beside their files and linked into the cache (TwinCache.keep).
"""

import contextlib
import errno
import gzip
import hashlib
import logging
import os
import shutil
import tempfile
import zlib
from pathlib import Path

from pelican import signals

from cchc.core import outputtree, parallel
from cchc.core.settings import merged_settings, require_order

log = logging.getLogger(__name__)

DEFAULTS = {
    "EXTENSIONS": ["html", "css", "js", "mjs", "json", "xml", "svg", "txt", "webmanifest", "map"],
    "MIN_SIZE": 256,  # bytes; smaller files gain nothing and cost a lookup
    "GZIP": True,
    "BROTLI": True,
    # 6 (zlib's default): the 16,474 text files of a 2,000-post publish are 0.3 % larger than
    # at 9 (38.47 against 38.37 MB; gzip serves only browsers without Brotli) for a quarter
    # less CPU (3.5 s against 4.6 s), 07/12/2026.
    "GZIP_LEVEL": 6,
    # Measured on our pages: quality 7 compresses ~20× faster than 10 and ~25× faster than 11,
    # for pages ~5–7 % larger than 10–11 (still ~10 % smaller than gzip).
    "BROTLI_QUALITY": 7,
    # Where twins are kept between builds by the digest of the bytes they compress (TwinCache):
    # a folder, or "" for none (every file compressed by every build).
    "CACHE": "",
}


def settings_for(settings):
    """CCHC_PRECOMPRESS merged over DEFAULTS (a local copy)."""
    return merged_settings(settings, "CCHC_PRECOMPRESS", DEFAULTS, "cchc_precompress")


def gzip_bytes(data, level=9):
    """Gzip with no file name and mtime 0: the same input always gives the same bytes."""
    return gzip.compress(data, compresslevel=level, mtime=0)


def _twins(data, conf, brotli):
    """{".gz": bytes or None, ".br": bytes or None} for *data*: None where the format is off or
    the compressed copy would not be smaller."""
    out = {}
    if conf["GZIP"]:
        packed = gzip_bytes(data, conf["GZIP_LEVEL"])
        out[".gz"] = packed if len(packed) < len(data) else None
    if brotli is not None:
        packed = brotli.compress(data, quality=conf["BROTLI_QUALITY"], mode=brotli.MODE_TEXT)
        out[".br"] = packed if len(packed) < len(data) else None
    return out


def _brotli(conf):
    if not conf["BROTLI"]:
        return None
    try:
        import brotli
    except ImportError:
        log.error("cchc_precompress: the Brotli package is missing (pip install -r requirements.txt)")
        raise
    return brotli


def text_files(root, conf):
    """The paths (strings) of the files under *root* with a listed extension, in a stable order
    (their size is known once they are read: see precompress)."""
    exts = {"." + e.lower() for e in conf["EXTENSIONS"]}
    for dirpath, _dirs, files in os.walk(root):
        for name in sorted(files):
            if os.path.splitext(name)[1].lower() in exts:
                yield os.path.join(dirpath, name)


_digest = outputtree.digest  # the output record's digest: a file linked from the live site is known by it


class TwinCache:
    """Compressed twins kept between builds by the digest of the bytes they compress, in
    ``<folder>/<key>/`` (the key: the compression settings, the zlib and Brotli versions and
    this layout, so a change to any starts afresh). A file whose bytes an earlier build
    compressed is not compressed again: its twins are hard-linked from here (copied where the
    cache is on another disk). ``<digest><ext>`` holds a twin; an empty ``<digest><ext>.none``
    says there is none (the compressed copy was not smaller), so what to link is known from the
    names alone, with no stat of each entry. Each build keeps only the entries it used, so the
    folder stays the size of one site's twins. Plain strings, not Path objects, and no stat per
    file: with every twin cached, this step took 2.4 s for the 16,474 text files of a 2,000-post
    publish, now 1.1 s (07/12/2026)."""

    LAYOUT = 2  # 1: an empty <digest><ext> meant "no twin" (each entry stat'ed)

    def __init__(self, folder, conf, brotli):
        parts = [f"layout {self.LAYOUT}",
                 repr(sorted((k, conf[k]) for k in ("GZIP", "BROTLI", "GZIP_LEVEL", "BROTLI_QUALITY"))),
                 zlib.ZLIB_RUNTIME_VERSION, getattr(brotli, "__version__", "") if brotli else ""]
        key = hashlib.blake2b("\n".join(parts).encode(), digest_size=8).hexdigest()
        self.root = Path(folder)
        self.folder = os.path.join(os.fspath(folder), key)
        os.makedirs(self.folder, exist_ok=True)
        self.known = {entry.name for entry in os.scandir(self.folder)}
        self.used = set()
        self.link = os.link

    def has(self, digest, exts):
        return all(f"{digest}{ext}" in self.known or f"{digest}{ext}.none" in self.known for ext in exts)

    def keep(self, digest, path, twins):
        """Write *twins* ({ext: bytes or None}) of the file *path* beside it and keep them here by
        *digest*; returns the entries' names. Each twin is written once, beside its file, then
        hard-linked in: an entry is a whole file or none (a killed build leaves no half twin under
        an entry's name), and the build links nothing more for it. Until 07/12/2026 twins were
        written here under a temporary name, renamed, then linked beside the file: two operations
        per twin more, on this one folder all the pool's processes write in (sampled: 2.5 s of
        each worker's 8.5 s in a cold 2,000-post publish); this step alone now takes 0.82 of the
        time it took (bench/README.md, seventh session)."""
        names = []
        for ext, packed in twins.items():
            if packed:
                name = f"{digest}{ext}"
                with open(path + ext, "xb") as fh:
                    fh.write(packed)
                self._enter(name, path + ext)
            else:
                name = f"{digest}{ext}.none"
                self._enter(name)
            names.append(name)
        return names

    def _enter(self, name, source=None):
        """The entry *name*: a hard link to *source*, or an empty file without one."""
        entry = os.path.join(self.folder, name)
        try:
            if source is None:
                open(entry, "xb").close()
            else:
                os.link(source, entry)
        except FileExistsError:  # the same bytes' entry (the key is their digest), made meanwhile
            pass
        except OSError as exc:
            if source is None or exc.errno != errno.EXDEV:
                raise
            # The cache on another disk: a copy, written under a temporary name, then renamed.
            tmp = os.path.join(self.folder, f".{name}.{os.getpid()}")
            shutil.copyfile(source, tmp)
            os.replace(tmp, entry)

    def place(self, digest, exts, path, beside=False):
        """Put the cached twins of *digest* beside *path* (*beside*: they are there already, this
        build wrote them: ``keep``); how many there are."""
        written = 0
        for ext in exts:
            name = f"{digest}{ext}"
            if name not in self.known:  # <name>.none: no twin
                continue
            if beside:
                written += 1
                continue
            entry, target = os.path.join(self.folder, name), path + ext
            try:
                self.link(entry, target)
            except OSError as exc:
                if exc.errno != errno.EXDEV:
                    raise
                self.link = shutil.copyfile  # another disk: copies from now on
                shutil.copyfile(entry, target)
            written += 1
        self.used.add(digest)
        return written

    def prune(self):
        """Drop the entries this build did not use, and the folders of other settings."""
        for other in self.root.iterdir():
            if os.fspath(other) != self.folder and other.is_dir():
                shutil.rmtree(other, ignore_errors=True)
        for entry in os.scandir(self.folder):
            if entry.name.partition(".")[0] not in self.used:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


_WORKER = {}


def _compress_beside(job):
    """In a pool worker: compress the file *path*, write its twins beside it and keep them in the
    cache (TwinCache.keep); returns the names of the entries."""
    path, digest = job
    with open(path, "rb") as fh:
        data = fh.read()
    return _WORKER["cache"].keep(digest, path, _twins(data, _WORKER["conf"], _WORKER["brotli"]))


def precompress(root, conf, cache=None, tree=None):
    """Write the compressed twins of every text file under *root*; returns how many.

    With *cache* (a folder), twins of bytes compressed by an earlier build come from there and
    only new bytes are compressed (see TwinCache); without, every file is compressed. Either way
    on every core (cchc.core.parallel.process_pool): zlib and Brotli run in a pool of processes
    (two threads took longer than one for the same Brotli work: its binding holds the GIL).
    *tree* (cchc.core.outputtree.PreviousTree): a file linked from the live site is not read,
    its digest is the record's."""
    brotli = _brotli(conf)
    exts = [ext for ext, on in ((".gz", conf["GZIP"]), (".br", brotli is not None)) if on]
    if not exts:
        return 0
    if cache is None:  # a throwaway cache beside the output (same disk: links, not copies)
        with tempfile.TemporaryDirectory(prefix=".cchc-precompress-", dir=Path(root).resolve().parent) as tmp:
            return precompress(root, conf, tmp, tree)
    store = TwinCache(cache, conf, brotli)
    files, digests = [], []
    missing = {}
    for path in text_files(root, conf):
        entry = tree.known(path) if tree is not None else None
        if entry is None:
            with open(path, "rb") as fh:
                data = fh.read()
            if len(data) < conf["MIN_SIZE"]:
                continue
            digest = _digest(data)
        elif entry[0] < conf["MIN_SIZE"]:  # the record's size: no second stat
            continue
        else:
            digest = entry[3]
        files.append(path)
        digests.append(digest)
        if digest not in missing and not store.has(digest, exts):
            missing[digest] = path
    jobs = [(path, digest) for digest, path in missing.items()]
    _WORKER.update(conf=conf, cache=store, brotli=brotli)
    pool = parallel.process_pool(len(jobs), 64)  # a few files: one process
    if pool is None:
        for job in jobs:
            store.known.update(_compress_beside(job))
    else:
        with pool:
            for names in pool.map(_compress_beside, jobs, chunksize=32):
                store.known.update(names)
    compressed = set(missing.values())  # their twins are beside them already
    written = sum(store.place(digest, exts, path, path in compressed)
                  for path, digest in zip(files, digests, strict=True))
    store.prune()
    return written


def precompress_site(pelican):
    """Compress the finished output."""
    conf = settings_for(pelican.settings)
    count = precompress(pelican.output_path, conf, conf["CACHE"] or None,
                        outputtree.PreviousTree.from_settings(pelican.settings, pelican.output_path))
    log.info("cchc_precompress: wrote %d compressed files", count)


def check_order(pelican):
    """It compresses every file the other plugins wrote: last in PLUGINS."""
    require_order(pelican.settings, "cchc_precompress", last=True)


def register():
    """Check the plugin order; precompress text files once everything is written."""
    signals.initialized.connect(check_order)
    signals.finalized.connect(precompress_site)
