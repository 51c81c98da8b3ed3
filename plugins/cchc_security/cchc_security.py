"""cchc_security: the page's Content-Security-Policy, and nothing copied from outside content/.

* ``CCHC_CSP`` (a template global) is the policy of the ``<meta http-equiv>`` every page
  carries, so hosts without header configuration (GitHub/GitLab Pages, S3) are covered:
  scripts only from the theme (``SITEURL/theme/js/`` with an absolute SITEURL, the site
  itself otherwise), no plugins, no ``<base>`` or form to another site. ``frame-ancestors``
  is ignored in a meta element; the deploy/ samples send it as a header.
* Static files: Pelican copies content/files/ and content/images/ following symbolic links.
  Files reached through a link out of content/ or a loop, and types a browser would run
  (.js, .html, an SVG that is more than a drawing), are refused with the same Vietnamese message as
  ``cchc check`` and dropped from the copy (the build fails on them); Pelican never walks
  into a refused link at all (the link is added to its *_EXCLUDES settings).
"""

import logging
import os

from markupsafe import Markup
from pelican import signals

from cchc.core.files import static_problem, walk
from cchc.core.siteurl import is_absolute, origin

log = logging.getLogger(__name__)


def policy(settings):
    """The CSP for pages built with *settings*."""
    siteurl = (settings.get("SITEURL") or "").rstrip("/")
    if is_absolute(siteurl):
        scripts = f"{siteurl}/{settings.get('THEME_STATIC_DIR', 'theme')}/js/"
        own = f"'self' {origin(siteurl)}"
    else:
        scripts = own = "'self'"
    return "; ".join([
        f"default-src {own}", f"script-src {scripts}", "object-src 'none'", "base-uri 'self'",
        f"form-action {own}", f"img-src {own}", f"style-src {own}", "frame-src 'none'",
    ])


def add_globals(generator):
    # Our own text, no quote marks in it: written as is (no &#39; for every ').
    generator.env.globals["CCHC_CSP"] = Markup(policy(generator.settings))


def filter_static(generator):
    """Drop every static file a safe walk of content/ does not reach, or may not publish."""
    root = generator.settings["PATH"]
    files, refusals = walk(root)
    allowed = {str(p) for p in files}
    refused = {str(rel) for rel, _why in refusals}
    for rel, why in refusals:
        log.error("%s: %s", os.path.join(os.path.relpath(root), str(rel)), why)
    kept = []
    for sf in generator.staticfiles:
        rel = os.path.relpath(sf.source_path, root)
        if rel in refused:
            continue  # said above
        if not os.path.lexists(sf.source_path):
            # Pelican adds every {static}/{attach} target it cannot parse back to a file name
            # (a;b.pdf cut at ";"): nothing to copy; `cchc check` names the broken link.
            continue
        found = (None, "tệp nằm sau một liên kết tượng trưng bị từ chối") if rel not in allowed else None
        found = found or static_problem(root, rel)
        if found:
            line, why = found
            where = os.path.join(os.path.relpath(root), rel) + (f":{line}" if line else "")
            log.error("%s: %s", where, why)
            continue
        kept.append(sf)
    generator.staticfiles[:] = kept  # the context holds the same list


def prune_refused_links(pelican):
    """Pelican walks content/ following links: it never enters a refused one (loop, outside)."""
    settings = pelican.settings
    _files, refusals = walk(settings["PATH"])
    refused = [str(rel) for rel, _why in refusals]
    for key in ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES", "STATIC_EXCLUDES"):
        settings[key] = list(settings.get(key) or []) + refused


def register():
    signals.initialized.connect(prune_refused_links)
    signals.generator_init.connect(add_globals)
    signals.static_generator_finalized.connect(filter_static)
