"""cchc_assets: cache-busting names for theme assets, and every reference rewritten.

After the build, each file under the theme's static folder (``theme/`` in the output) with
a listed extension gets a copy named after its content (``main.css`` →
``main.3f2a9c1b7d.css``), and every reference to it in HTML, CSS, XML and JSON files is
rewritten to the new name. Servers can then cache these files for a year ("immutable",
see deploy/): a changed file has a new name. The original names stay in place for
anything that builds URLs at run time (a script fetching a file by its plain name).

Assets referenced from CSS (fonts, images) are named first, so a stylesheet's hash covers
the names it points to. The theme's own files are named before the pages are written
(``plan_names``) and the templates render those names (cchc_theme's ``asset()``); the rewrite
after the build is for everything else and checks the plan.

    CCHC_ASSETS = {"EXTENSIONS": [...], "HASH_LENGTH": 10, "KEEP_ORIGINALS": True}
"""

import fnmatch
import hashlib
import logging
import os
import posixpath
import re
import shutil

from pelican import signals

from cchc.core import outputtree
from cchc.core.settings import merged_settings
from cchc.core.sitepaths import ASSET_NAMES

log = logging.getLogger(__name__)

DEFAULTS = {
    "EXTENSIONS": ["css", "js", "mjs", "svg", "png", "jpg", "jpeg", "gif", "webp", "avif", "ico",
                   "woff", "woff2"],
    "HASH_LENGTH": 10,
    "KEEP_ORIGINALS": True,
    "REWRITE_IN": ["html", "css", "js", "xml", "json", "webmanifest"],
}
_HASHED = re.compile(r"\.[0-9a-f]{8,}\.[^./]+$")


def settings_for(settings):
    """CCHC_ASSETS merged over DEFAULTS (a local copy)."""
    return merged_settings(settings, "CCHC_ASSETS", DEFAULTS, "cchc_assets")


def _named(rel, data, length):
    stem, _, suffix = rel.rpartition(".")
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:length]}.{suffix}"


def name_assets(files, length):
    """The content names of the assets *files* ({rel under the output root: the file to read}):
    ({old rel: new rel}, {stylesheet rel: its text with url(…) rewritten, where that changed it}).
    The same rule names the built files (``fingerprint``) and, before the pages are written, the
    theme's own files (``plan_names``)."""
    # Non-CSS first: stylesheets may point to fonts and images, and their hash must cover the new names.
    order = sorted(files, key=lambda rel: (rel.lower().endswith(".css"), rel))
    mapping, css = {}, {}
    for rel in order:
        with open(files[rel], "rb") as fh:
            data = fh.read()
        if rel.lower().endswith(".css") and mapping:
            # As a text-mode read gives it (universal newlines); written back only when changed.
            text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
            new_text = _rewrite_css(text, rel, mapping)
            if new_text != text:
                css[rel] = new_text
                data = new_text.encode("utf-8")
        mapping[rel] = _named(rel, data, length)
    return mapping, css


def _references(mapping):
    """One pattern for every reference to an old name in *mapping* ({old rel: new rel}), longest
    names first: one pass over a file instead of one per asset (11 patterns over every page
    were half of a publish's rewriting time at 2,000 posts). A new name never holds an old one
    followed by an end (it is the old stem, a digest, the suffix), so one pass gives what
    replacing each name in turn gave.

    The folder the names share (``theme/``) opens the pattern as a literal, and the character
    before it is checked by a lookbehind after it: the regular expression engine then skips
    to each occurrence of that literal instead of trying every alternative at every character
    (1.34 s → 0.10 s over the 4,731 pages of a 2,000-post site)."""
    names = sorted(mapping, key=lambda rel: (-len(rel), rel))
    folder = os.path.commonprefix(names).rpartition("/")[0]
    folder = folder + "/" if folder else ""
    alternatives = "|".join(re.escape(old[len(folder):]) for old in names)
    before = r"[/\"'(]"
    head = re.escape(folder) + f"(?<={before}{re.escape(folder)})" if folder else f"(?<={before})"
    pattern = re.compile(head + "(?:" + alternatives + r")(?=[\"')?#\s,]|$)")
    return lambda text: pattern.sub(lambda m: mapping[m.group(0)], text)


def _assets(folder, prefix, exts, ignored=lambda name: False, followlinks=False):
    """{rel under the output root: path} of the files under *folder* whose extension is in
    *exts*, not already named after their content; *prefix*: *folder*'s rel. Files and folders
    whose name is *ignored* are left out."""
    found = {}
    for dirpath, dirs, files in os.walk(folder, followlinks=followlinks):
        dirs[:] = [d for d in dirs if not ignored(d)]
        for name in files:
            if ignored(name) or os.path.splitext(name)[1].lower() not in exts or _HASHED.search(name):
                continue
            path = os.path.join(dirpath, name)
            found[posixpath.join(prefix, os.path.relpath(path, folder).replace(os.sep, "/"))] = path
    return found


def fingerprint(output_path, static_dir, conf, tree=None, planned=None):
    """Name assets after their content and rewrite references; returns {old rel: new rel}.

    *planned*: the names the pages were rendered with (``plan_names``); one that differs from the
    built file's gets that file's name too. *tree* (outputtree.PreviousTree): a file linked from
    the live site is not read again when the live site holds every asset under the same name (it
    went through this rewrite with these names)."""
    root = os.path.abspath(output_path)
    static = os.path.join(root, static_dir)
    if not os.path.isdir(static):
        return {}
    assets = _assets(static, static_dir.replace(os.sep, "/"), {"." + e.lower() for e in conf["EXTENSIONS"]})
    mapping, css = name_assets(assets, conf["HASH_LENGTH"])
    for rel, new in mapping.items():
        path = assets[rel]
        if rel in css:  # a new file: one of the new tree may be a link to the live site's
            outputtree.put(path, css[rel].encode("utf-8"))
        shutil.copy2(path, os.path.join(root, new))
        if not conf["KEEP_ORIGINALS"]:
            os.unlink(path)
    if not mapping:
        return mapping
    names = dict(mapping)
    for old, new in (planned or {}).items():
        if mapping.get(old, old) != new:  # the build changed the file after the plan: pages follow it
            log.warning("cchc_assets: %s was planned as %s, built as %s", old, new, mapping.get(old, old))
            names[new] = mapping.get(old, old)
    rewrite = _references(names)
    marker = static_dir.encode("utf-8")
    hashed_targets = {os.path.join(root, new) for new in mapping.values()}
    rewrite_exts = {"." + e.lower() for e in conf["REWRITE_IN"]}
    skip_linked = (tree is not None and len(names) == len(mapping)
                   and all(new in tree.records for new in mapping.values()))
    # Every page of the site passes here: plain strings and one read per file.
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            if os.path.splitext(name)[1].lower() not in rewrite_exts or path in hashed_targets:
                continue
            if skip_linked and tree.known(path) is not None:
                continue
            with open(path, "rb") as fh:
                data = fh.read()
            if marker not in data:
                continue
            text = data.decode("utf-8")
            if "\r" in text:  # as a text-mode read gives it (universal newlines)
                text = text.replace("\r\n", "\n").replace("\r", "\n")
            new_text = rewrite(text)
            if new_text != text:  # linked from the live site when it holds the rewritten page
                outputtree.put(path, new_text.encode("utf-8"), tree)
    return mapping


_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


def _rewrite_css(text, css_rel, mapping):
    """Rewrite url(…) in the stylesheet *css_rel* (under the output root) that point to renamed
    assets, relative to it; root-relative ones are the tree-wide rewrite's."""
    def repl(m):
        quote, url = m.group(1), m.group(2)
        if ":" in url.split("/")[0] or url.startswith("#"):
            return m.group(0)
        clean = url.split("?")[0].split("#")[0]
        if clean.startswith("/"):
            return m.group(0)  # root-relative: handled by the tree-wide rewrite
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(css_rel), clean))
        if rel not in mapping:  # outside the site ("../…" past its root) is in no mapping either
            return m.group(0)
        new_url = url.replace(posixpath.basename(clean), posixpath.basename(mapping[rel]), 1)
        return f"url({quote}{new_url}{quote})"

    return _CSS_URL.sub(repl, text)


def theme_assets(settings, conf):
    """{rel under the output root: source path} of the theme's own files that will be assets, as
    Pelican copies them (its StaticGenerator: each of ``THEME_STATIC_PATHS`` of the theme, a
    folder's files into ``THEME_STATIC_DIR``, a file there by its name; ``IGNORE_FILES`` left out)."""
    static_dir = settings.get("THEME_STATIC_DIR", "theme").replace(os.sep, "/")
    exts = {"." + e.lower() for e in conf["EXTENSIONS"]}
    ignores = settings.get("IGNORE_FILES") or ()

    def ignored(name):
        return any(fnmatch.fnmatch(name, pattern) for pattern in ignores)

    found = {}
    for entry in settings.get("THEME_STATIC_PATHS") or ():
        source = os.path.join(settings["THEME"], entry)
        if ignored(os.path.basename(source)):
            continue
        if os.path.isfile(source):
            name = os.path.basename(source)
            if os.path.splitext(name)[1].lower() in exts and not _HASHED.search(name):
                found[f"{static_dir}/{name}"] = source
            continue
        found.update(_assets(source, static_dir, exts, ignored, followlinks=True))
    return found


def plan_names(generators):
    """all_generators_finalized: the names the theme's own files will have, from the theme itself,
    in the build's context (``ASSET_NAMES``) before any page is written: the templates render
    them (cchc_theme's ``asset()``), so a page is as the site publishes it when written, and one
    the live site already holds is linked from there. (Rewriting every page after the build
    made each a new file: a rebuild of 10,000 posts read and wrote 23,000 pages for it.)
    ``fingerprint_site`` checks the plan against the files built."""
    if not generators:
        return
    settings = generators[0].settings
    conf = settings_for(settings)
    names = name_assets(theme_assets(settings, conf), conf["HASH_LENGTH"])[0]
    generators[0].context[ASSET_NAMES] = _PLANNED[os.path.abspath(generators[0].output_path)] = names


_PLANNED = {}  # output folder → the names its pages were rendered with, until fingerprint_site


def fingerprint_site(pelican):
    """Fingerprint the theme's assets in the finished output."""
    conf = settings_for(pelican.settings)
    planned = _PLANNED.pop(os.path.abspath(pelican.output_path), None)
    mapping = fingerprint(pelican.output_path, pelican.settings.get("THEME_STATIC_DIR", "theme"), conf,
                          outputtree.PreviousTree.from_settings(pelican.settings, pelican.output_path), planned)
    log.info("cchc_assets: %d assets named after their content", len(mapping))


def register():
    """Name the theme's files before the pages are written; check and rewrite once the site is."""
    signals.all_generators_finalized.connect(plan_names)
    signals.finalized.connect(fingerprint_site)
