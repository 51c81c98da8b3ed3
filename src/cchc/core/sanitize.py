"""Post bodies: the one allowlist of HTML an article may contain, applied with nh3 (ammonia).

Like Plone's safe_html: headings, paragraphs, lists, tables (colspan, rowspan, scope),
links (http, https, mailto, tel, relative), images, figures, blockquote, code; nothing
else. Scripts, event handlers, frames, forms, styles and ``javascript:`` URLs never reach a
page or a feed. ``clean`` is used by the content reader (so pages, feeds, search and
documents all see the cleaned HTML), and again by cchc_content once Pelican has expanded
``{filename}``/``{static}``/``{attach}`` links; ``findings`` tells ``cchc check`` what would be
removed, and which of those link targets Pelican would write unescaped, at file:line, in
Vietnamese.

Ordinary Markdown output passes unchanged, byte for byte: when nh3's strict result equals
its result with everything allowed (same parser, same serialiser) and the fragment is closed
(nothing it opens swallows what follows), the original HTML is kept; otherwise the strict
result is used.
"""

import itertools
import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from urllib.parse import unquote

import nh3

TAGS = frozenset({
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "a", "strong", "b", "em", "i", "u", "s",
    "del", "ins", "sub", "sup", "small", "mark", "abbr", "cite", "q", "code", "pre", "kbd",
    "samp", "var", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "table", "caption",
    "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td", "img", "figure",
    "figcaption", "span", "div", "time",
})
ATTRIBUTES = {
    "*": {"id", "title", "lang", "dir", "class"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "th": {"scope", "colspan", "rowspan", "headers", "abbr", "style"},
    "td": {"colspan", "rowspan", "headers", "style"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "col": {"span"},
    "colgroup": {"span"},
    "del": {"datetime", "cite"},
    "ins": {"datetime", "cite"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "data", "formaction", "poster",
                            "background", "xlink:href", "srcset"})
# Removed together with their content (a script's text is not article text).
DROP_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math",
    "textarea", "select", "frameset", "noembed", "noframes", "xmp", "applet",
})
# Python-Markdown's table alignment (style="text-align: …") is the one style kept.
STYLE_PROPERTIES = frozenset({"text-align"})
# Dangerous, not merely unneeded: `cchc check` reports these as errors.
ACTIVE_TAGS = frozenset({"script", "iframe", "object", "embed", "base", "meta", "form", "frame",
                         "frameset", "applet", "link", "svg", "math", "template", "noscript"})

_strict = nh3.Cleaner(
    tags=set(TAGS), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES), link_rel=None, strip_comments=True,
    clean_content_tags=set(DROP_WITH_CONTENT), filter_style_properties=set(STYLE_PROPERTIES),
)
# Pelican's intrasite links whose targets it HTML-unescapes and writes into the page as is,
# after ``clean`` ran (pelican.contents.Content._link_replacer); the attributes it looks in.
_EXPANDED = re.compile(r"[{|](filename|static|attach)[}|]")
EXPANDED_ATTRIBUTES = frozenset({"href", "src", "poster", "data", "cite", "formaction", "action", "content"})
# What would end the attribute or start a tag once written unescaped (and control characters).
_UNSAFE_IN_TARGET = re.compile(r"[\"'<>`\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The part of a link target as written in the Markdown source, for finding its line.
_TARGET_PREFIX = re.compile(r"[^&\"'<>%\s]+")
# Every start tag the HTML tokenizer can see: "<" + name up to whitespace, "/" or ">".
_TAG_NAME = re.compile(r"<([A-Za-z][^\t\n\f\r />]*)")
_SENTINEL = '<b id="cchc-sanitize-end"></b>'
_ALL_SCHEMES = {"http", "https", "mailto", "tel", "ftp", "javascript", "vbscript", "data", "file",
                "blob", "about", "ws", "wss", "sms", "callto", "news", "irc"}


def _permissive(html):
    """nh3's parse and serialisation of *html* with every tag and attribute kept.

    Style attributes go through the same property filter as in the strict cleaner (nh3
    rewrites them); the page's CSP refuses inline styles anyway."""
    tags = {m.group(1).lower().replace("\0", "\ufffd") for m in _TAG_NAME.finditer(html)}
    # (<style> itself cannot be kept with a style filter on: nh3 refuses, and an empty one is harmless.)
    tags = (tags | TAGS | {"html", "head", "body"}) - {"style"}
    return nh3.clean(html, tags=tags, attributes={}, generic_attribute_prefixes={""},
                     url_schemes=_ALL_SCHEMES, link_rel=None, strip_comments=True,
                     clean_content_tags=set(), filter_style_properties=set(STYLE_PROPERTIES))


def clean(html):
    """Article HTML with only the allowlist left; ordinary Markdown output comes back unchanged."""
    strict = _strict.clean(html)
    if strict == _permissive(html) and _permissive(html + _SENTINEL) == strict + _SENTINEL:
        return html
    return strict


@dataclass
class Finding:
    """Something ``clean`` removes: the source line it is on, whether it is an error, why."""

    line: int
    error: bool
    message: str


class _Walker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []  # (error, needle or needles to try in turn, message)

    def handle_starttag(self, tag, attrs):
        if tag in ACTIVE_TAGS:
            self.found.append((True, f"<{tag}", f"thẻ <{tag}> có thể chạy mã hoặc đổi trang: sẽ bị xóa "
                                               "(bài chỉ được dùng định dạng văn bản, bảng, ảnh, liên kết)"))
        elif tag in DROP_WITH_CONTENT:
            self.found.append((False, f"<{tag}", f"thẻ <{tag}> không được phép trong bài: sẽ bị xóa "
                                                "cùng nội dung bên trong"))
        elif tag not in TAGS:
            self.found.append((False, f"<{tag}", f"thẻ <{tag}> không được phép trong bài: sẽ bị bỏ "
                                                "(giữ lại chữ bên trong)"))
        allowed = ATTRIBUTES.get(tag, set()) | ATTRIBUTES["*"]
        for name, value in attrs:
            value = value or ""
            if name in EXPANDED_ATTRIBUTES and _EXPANDED.match(value):
                # Pelican also looks the path up percent-decoded, then writes the file's own name.
                bad = _UNSAFE_IN_TARGET.search(value) or _UNSAFE_IN_TARGET.search(unquote(value))
                if bad:
                    char = bad.group() if bad.group().isprintable() else f"U+{ord(bad.group()):04X}"
                    # As written: in Markdown as is, in an HTML attribute with &quot; and the like.
                    written = value[:bad.end()] if bad.string is value else value
                    needles = (written, escape(written), _TARGET_PREFIX.match(value).group())
                    self.found.append((True, needles, (
                        f"đích liên kết “{value[:60]}” có ký tự “{char}”: Pelican chèn đích này vào trang "
                        "mà không thoát (escape), nên nó có thể thêm thuộc tính hay thẻ HTML vào trang; bỏ "
                        "ký tự đó (phần sau # chỉ gồm chữ không dấu, số và gạch ngang), hoặc đổi tên tệp "
                        "được liên kết cho không còn ký tự đó")))
                    continue
            if name.startswith("on"):
                self.found.append((True, name, f"thuộc tính {name}=… trên thẻ <{tag}> là mã chạy trên "
                                               "trình duyệt: sẽ bị xóa"))
                continue
            if name in URL_ATTRIBUTES:
                scheme = re.match(r"\s*([A-Za-z][A-Za-z0-9+.\-]*)\s*:", re.sub(r"[\x00-\x20]", "", value))
                if scheme and scheme.group(1).lower() not in URL_SCHEMES:
                    self.found.append((True, value.strip()[:60] or scheme.group(1) + ":",
                                       f"địa chỉ “{scheme.group(1)}:” trong {name} của thẻ <{tag}> không được "
                                       "phép (chỉ http, https, mailto, tel hoặc đường dẫn trong trang): "
                                       "sẽ bị xóa"))
                    continue
            if tag in TAGS and name not in allowed:
                self.found.append((False, name, f"thuộc tính {name} trên thẻ <{tag}> không được phép: "
                                                "sẽ bị bỏ"))

    handle_startendtag = handle_starttag


# The Markdown of pelicanconf.py's MARKDOWN setting, for `cchc check` (which reads no settings).
MARKDOWN = {"extensions": ["markdown.extensions.extra", "markdown.extensions.sane_lists"],
            "output_format": "html5"}
# Bodies without any of these are plain Markdown: nothing to remove.
_MAYBE_HTML = re.compile(r"[<&{]|\]\(|\]:")


def body_findings(body, body_line):
    """``findings`` for a Markdown body, converted as the build converts it."""
    if not _MAYBE_HTML.search(body):
        return []
    from markdown import Markdown

    return findings(Markdown(**MARKDOWN).convert(body), body, body_line)


def findings(html, body, body_line):
    """What ``clean`` would remove from *html* (converted from *body*, whose first line is *body_line*),
    and the link targets Pelican would write into it unescaped."""
    unchanged = clean(html) == html
    if unchanged and not _EXPANDED.search(html):
        return []
    walker = _Walker()
    walker.feed(html)
    walker.close()
    lines = body.lower().splitlines()
    out, at = [], 0
    for error, needle, message in walker.found:
        # The first source line with the tag or attribute, from where the previous one was found
        # (read lazily from there: building the whole order for each finding was quadratic, 4,000
        # findings 3.5 s).
        for text in (needle,) if isinstance(needle, str) else needle:
            text = text.lower()
            hit = next((i for i in itertools.chain(range(at, len(lines)), range(at)) if text in lines[i]), None)
            if hit is not None:
                at = hit
                break
        out.append(Finding(body_line + at, error, message))
    if not out and not unchanged:
        out.append(Finding(body_line, False, "mã HTML trong bài không khép kín hoặc không hợp lệ: "
                                             "sẽ được sửa lại khi xây dựng trang"))
    return out
