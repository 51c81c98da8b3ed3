"""What a build's output depends on besides the posts: the digest both build caches are keyed by.

Pelican's content cache (cchc_content.content_cache) keeps each post as read while this
digest holds; the page cache (cchc_pagecache) adds the theme, the build's day and every post's
front matter to it. One definition, so a change the reading depends on can never be forgotten
by one of them: the project's code (``cchc`` and the plugin folders), the versions of the
libraries that turn Markdown and YAML into pages, the administrative-unit data, the settings,
the working folder (paths in messages) and the names and sizes of the attachment files.
"""

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

import cchc

from . import units
from .settings import plugin_names

# Settings that differ between builds without changing what a post reads as or a page shows
# (CCHC_PARALLEL: the same site either way, tests/site/test_parallel.py; the preview's warm
# process sets it off; CCHC_PREVIOUS_OUTPUT: cchc.core.outputtree, where the live tree is).
VOLATILE = frozenset({"OUTPUT_PATH", "CACHE_PATH", "CCHC_PARALLEL", "CCHC_PREVIOUS_OUTPUT"})
LIBRARIES = ("pelican", "markdown", "nh3", "PyYAML", "lxml", "beautifulsoup4")
CODE_SUFFIXES = frozenset({".py", ".json", ".yaml", ".yml"})


def plain(value):
    """*value* as plain data for the digest; other objects by their type (deterministic)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    return f"<{type(value).__module__}.{type(value).__qualname__}>"


def tree_digest(digest, root, suffixes=None, contents=True):
    """Feed *digest* the names and bytes (or sizes) of the files under *root*, in order."""
    root = Path(root)
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        if suffixes is not None and path.suffix not in suffixes:
            continue
        digest.update(str(path.relative_to(root)).encode("utf-8", "surrogateescape") + b"\0")
        if contents:
            digest.update(path.read_bytes())
        else:
            digest.update(str(path.stat().st_size).encode())
        digest.update(b"\0")


def _code(digest, libraries=LIBRARIES):
    tree_digest(digest, Path(cchc.__file__).parent, CODE_SUFFIXES)
    for name in libraries:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-\0".encode())
    digest.update(f"units={units.data_identity()}\0".encode())  # a post's unit and history note


def code_digest():
    """The digest of the library's code (``cchc``), the libraries' versions and the unit data:
    what the staff check's validation of a post depends on besides the post (no settings)."""
    digest = hashlib.blake2b(digest_size=16)
    _code(digest)
    return digest.hexdigest()


def update(digest, settings, libraries=LIBRARIES):
    """Feed *digest* everything a post's reading depends on besides the post itself."""
    _code(digest, libraries)
    for plugins in settings.get("PLUGIN_PATHS") or []:
        tree_digest(digest, plugins, CODE_SUFFIXES)
    settled = {k: plain(v) for k, v in settings.items() if k not in VOLATILE and k != "PLUGINS"}
    settled["PLUGINS"] = sorted(plugin_names(settings))
    settled["cwd"] = os.getcwd()  # the posts' paths in messages are relative to it
    digest.update(json.dumps(settled, sort_keys=True, ensure_ascii=False).encode())
    content = Path(settings.get("PATH", "."))
    for static in settings.get("STATIC_PATHS") or []:  # attachments: a post's check looks for them
        tree_digest(digest, content / static, contents=False)
