"""cchc_redirects: keep the old portal's URLs working after the switch.

Posts list their old addresses in ``old_paths`` (written by ``cchc import``: Plone paths,
redirects.json entries, saved pages' source URLs). For each one this plugin writes

* a static redirect page (meta refresh + canonical + a visible link) where a path can hold
  one (``/bar/an-important-news`` → ``bar/an-important-news/index.html``);
* ``redirects/nginx.conf`` (a ``map`` for nginx) and ``redirects/.htaccess`` (mod_rewrite)
  with real 301s for every old path, including query-string forms such as SharePoint
  ``View_Detail.aspx?ItemID=70`` and Plone ``/view``, ``/@@images/…``, ``/@@download/…``
  variants, which static files cannot match.

Two posts claiming the same old path are a conflict: the first (by source path) keeps it
and the build logs a warning naming both. Settings: ``CCHC_REDIRECTS = {...}`` merged over
DEFAULTS into a local copy.
"""

import logging
import os
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from pelican import signals
from pelican.generators import Generator

from cchc.core.schema import old_path_error
from cchc.core.settings import merged_settings
from cchc.core.sitepaths import DEFAULT_URLS

log = logging.getLogger(__name__)

DEFAULTS = {
    "STATIC_PAGES": True,
    "NGINX": DEFAULT_URLS["redirects_nginx"],  # "" to skip
    "HTACCESS": DEFAULT_URLS["redirects_htaccess"],  # "" to skip
    # Plone views of an item that must land on the same new page: exact path + "/<suffix>" …
    "EXACT_SUFFIXES": ["view", "newsitem_view", "document_view"],
    # … and anything below path + "/<suffix>/" (image scales, file downloads).
    "PREFIX_SUFFIXES": ["@@images", "@@download", "image_view_fullscreen"],
    "TEMPLATE": "redirect",
}


def settings_for(settings):
    """CCHC_REDIRECTS merged over DEFAULTS (a local copy); unknown keys are logged and ignored."""
    return merged_settings(settings, "CCHC_REDIRECTS", DEFAULTS, "cchc_redirects")


def site_paths(settings):
    """Where this plugin writes (cchc.core.sitepaths: an old path may not take these over)."""
    conf = settings_for(settings)
    return [conf[k] for k in ("NGINX", "HTACCESS") if conf[k]]


@dataclass
class Redirect:
    """One old address and the page it now lives at."""

    old: str  # as the old portal wrote it: path, maybe "?query"
    target: str  # new URL (root-relative or absolute with SITEURL)
    title: str
    source: str  # the post that claims it

    @property
    def path(self):
        return urlsplit(self.old).path or "/"

    @property
    def query(self):
        return urlsplit(self.old).query

    def static_file(self):
        """Output file that can hold a redirect page for this path, or None (query, odd extension)."""
        if self.query or "@@" in self.path or self.path in ("", "/"):
            return None
        parts = [p for p in unquote(self.path).split("/") if p]
        if any(p in (".", "..") or "\\" in p for p in parts):
            return None
        last = parts[-1]
        if "." in last:
            return "/".join(parts) if last.lower().endswith((".html", ".htm")) else None
        return "/".join(parts) + "/index.html"


def collect(items, siteurl=""):
    """Redirects from posts' old_paths → (redirects, conflicts); first claim wins.

    A conflict is ``(old path, kept target, refused target)``: two posts claim the same
    old address. An old path equal to a live page's URL is refused too (kept = that page).
    """
    live = {"/" + i.url.lstrip("/") for i in items if getattr(i, "url", None) is not None}
    chosen, conflicts = {}, []
    for item in sorted(items, key=lambda i: str(getattr(i, "source_path", ""))):
        target = f"{siteurl}/{item.url}" if siteurl else f"/{item.url}"
        for old in getattr(item, "old_paths", None) or []:
            if old in live or old.rstrip("/") + "/" in live:
                conflicts.append((old, old, target))
                continue
            if old in chosen:
                if chosen[old].target != target:
                    conflicts.append((old, chosen[old].target, target))
                continue
            chosen[old] = Redirect(old, target, item.title, str(getattr(item, "source_path", "")))
    return list(chosen.values()), conflicts


def _variants(red, conf):
    """(kind, path) pairs a server rule must match: the path itself, its Plone views and prefixes."""
    out = [("exact", red.path)]
    last = red.path.rstrip("/").rsplit("/", 1)[-1]
    if not red.query and red.path != "/" and "." not in last:
        base = red.path.rstrip("/")
        out += [("exact", f"{base}/{s}") for s in conf["EXACT_SUFFIXES"]]
        out += [("prefix", f"{base}/{s}/") for s in conf["PREFIX_SUFFIXES"]]
    return out


def _header(conflicts, *usage):
    """The comment lines a server file opens with: what it is, how to use it, the conflicts left out."""
    return (["# cchc_redirects: đường dẫn cũ → trang mới (301). Tệp do `make html` tạo ra; đừng sửa tay."]
            + [f"# {line}" for line in usage]
            + [f"# XUNG ĐỘT: {old} đã trỏ tới {kept}; bỏ qua {other}" for old, kept, other in conflicts])


def nginx_map(redirects, conflicts, conf):
    """An nginx ``map $request_uri $cchc_redirect`` block."""
    lines = _header(conflicts, "Cách dùng: trong khối http { include /đường/dẫn/output/redirects/nginx.conf; }",
                    "và trong khối server { if ($cchc_redirect) { return 301 $cchc_redirect; } }")
    lines += ["map $request_uri $cchc_redirect {", '    default "";']
    for red in redirects:
        target = _nginx_quote(red.target)
        if red.query:
            lines.append(f'    "{_nginx_quote(red.old)}" "{target}";')
            continue
        for kind, path in _variants(red, conf):
            pattern = "^" + _rx(path) + (r"/?(?:\?.*)?$" if kind == "exact" else "")
            lines.append(f'    "~{_nginx_quote(pattern)}" "{target}";')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _rx(text):
    """Escape regex metacharacters only (re.escape also escapes '-', '/', which reads badly)."""
    return re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", text)


def _nginx_quote(text):
    """A double-quoted nginx string: backslash and quote escaped; no line breaks can occur (old
    paths with control characters are refused by the schema, and by _safe here)."""
    return _safe(text).replace("\\", "\\\\").replace('"', '\\"')


def _safe(text):
    if re.search(r"[\x00-\x1f\x7f]", text):
        raise ValueError(f"cchc_redirects: ký tự điều khiển trong {text!r}")
    return text


def _apache_quote(pattern):
    """A double-quoted mod_rewrite regex. mod_rewrite splits its own arguments: a quote always
    ends one (it cannot be escaped) and a backslash only escapes white space. So a quote and
    white space are written as regex escapes (\\x22, \\x20): the argument holds neither."""
    text = _safe(pattern).replace('"', r"\x22").replace(" ", r"\x20")
    return f'"{text}"'


def _apache_target(url):
    """A RewriteRule substitution: $N and %N are back-references there, so they are escaped;
    a quote or a space cannot occur (percent-encoded)."""
    url = _safe(url).replace('"', "%22").replace(" ", "%20")
    return '"' + re.sub(r"([$%])", r"\\\1", url) + '"'


def htaccess(redirects, conflicts, conf):
    """Apache mod_rewrite rules (for the site root .htaccess or the virtual host)."""
    lines = _header(conflicts, "Cách dùng: chép nội dung vào .htaccess ở thư mục gốc của trang (cần mod_rewrite).")
    lines += ["RewriteEngine On"]
    for red in redirects:
        target = _apache_target(red.target)
        if red.query:
            lines.append(f"RewriteCond %{{QUERY_STRING}} {_apache_quote('^' + _rx(red.query) + '$')}")
            lines.append(f"RewriteRule {_apache_quote('^/?' + _rx(unquote(red.path).lstrip('/')) + '$')} "
                         f"{target} [R=301,L,QSD]")
            continue
        for kind, path in _variants(red, conf):
            pattern = _rx(unquote(path).lstrip("/"))
            end = "/?$" if kind == "exact" else ""
            lines.append(f"RewriteRule {_apache_quote('^/?' + pattern + end)} {target} [R=301,L]")
    return "\n".join(lines) + "\n"


class RedirectsGenerator(Generator):
    """Writes redirect pages for old paths and the nginx/Apache redirect maps."""

    def generate_context(self):
        self.conf = settings_for(self.settings)

    def generate_output(self, writer):
        items = list(self.context.get("articles", [])) + list(self.context.get("pages", []))
        redirects, conflicts = collect(items, self.settings.get("SITEURL", ""))
        # The schema refuses these (the same rule); nothing it refuses reaches a server's configuration.
        unsafe = [r for r in redirects if old_path_error(r.old)]
        for red in unsafe:
            log.error("cchc_redirects: %s: %s; bỏ qua", red.source, old_path_error(red.old))
        redirects = [r for r in redirects if r not in unsafe]
        # An old path that is a page of the new site (a listing, a tag page…) stays that page.
        live = [r for r in redirects
                if r.static_file() and os.path.exists(os.path.join(self.output_path, r.static_file()))]
        conflicts += [(r.old, r.old, r.target) for r in live]
        redirects = [r for r in redirects if r not in live]
        for old, kept, other in conflicts:
            log.warning("cchc_redirects: đường dẫn cũ %s trỏ tới hai trang khác nhau: %s và %s; "
                        "giữ %s, hãy xóa đường dẫn này khỏi old_paths của một bài", old, kept, other, kept)
        if not redirects and not conflicts:
            return
        if self.conf["STATIC_PAGES"]:
            template = self.get_template(self.conf["TEMPLATE"])
            for red in redirects:
                name = red.static_file()
                if name is None:
                    continue
                writer.write_file(name, template, self.context, relative_urls=False,
                                  target_url=red.target, target_title=red.title, old_path=red.old,
                                  page_name=name.rsplit("/index.html", 1)[0])
        for key, render in (("NGINX", nginx_map), ("HTACCESS", htaccess)):
            if self.conf[key]:
                path = os.path.join(self.output_path, self.conf[key])
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8") as fh:
                    fh.write(render(redirects, conflicts, self.conf))
        log.info("cchc_redirects: %d đường dẫn cũ, %d xung đột", len(redirects), len(conflicts))


def get_generators(_pelican):
    return RedirectsGenerator


def register():
    """Add the redirects generator (runs after articles and pages are read)."""
    signals.get_generators.connect(get_generators)
