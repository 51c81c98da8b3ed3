"""Step 1 for saved HTML pages (SharePoint, Liferay, DNN, WordPress, Joomla, ASP.NET, Plone…),
and the HTML → Markdown conversion the Plone exports use too."""

import re

from bs4 import BeautifulSoup, Comment
from cchc_core.dates import DateError
from cchc_core.text import collapse_spaces, nfc
from markdownify import MarkdownConverter

from .heuristics import (
    find_dateline,
    is_boilerplate,
    is_footer_start,
    parse_byline,
    parse_dateline,
    parse_signature,
)
from .record import Record, old_path, plone_date
from .text_page import parse_text
from .tidy import html_lines, tidy_html

# Above this size (characters) a page is read as text only, in one streaming pass: building a
# tree of a 50 MB page and converting it element by element would take minutes.
LARGE_PAGE = 3_000_000

DROP_TAGS = ("script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
             "input", "button", "select", "textarea", "noscript", "template", "svg", "math", "link",
             "meta", "base", "canvas", "audio", "video", "source", "track", "dialog")
SAFE_SCHEMES = ("http", "https", "mailto", "tel")


def _safe_url(value):
    value = re.sub(r"[\x00-\x20]+", "", value or "")
    scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", value)
    if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
        return None
    return value or None


def sanitize(soup):
    """Make parsed HTML inert: no scripts, frames, forms, event handlers or javascript: URLs."""
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        for attr in list(tag.attrs):
            name = attr.lower()
            if name in ("href", "src"):
                safe = _safe_url(tag[attr])
                if safe is None:
                    del tag[attr]
                else:
                    tag[attr] = safe
            elif name not in ("alt", "title", "colspan", "rowspan", "scope", "headers"):
                del tag[attr]
        if tag.name == "a" and not tag.get("href"):
            tag.unwrap()
        elif tag.name == "img" and not tag.get("src"):
            tag.decompose()
    return soup


def soup_of(html):
    """A tree of legacy HTML made shallow and well nested first (see :mod:`.tidy`): no recursion limit."""
    return BeautifulSoup(tidy_html(html), "html.parser")


_MARKDOWN = MarkdownConverter(heading_style="ATX", autolinks=False, escape_misc=True,
                              newline_style="backslash", bullets="-")


def html_to_markdown(html):
    """HTML body (text or an already parsed tree) → Markdown: cleaned, converted with markdownify, inert."""
    soup = sanitize(soup_of(html) if isinstance(html, str) else html)
    for h1 in soup.find_all("h1"):
        h1.name = "h2"  # the post title is the page's only <h1>
    text = _MARKDOWN.convert_soup(soup)
    # Python-Markdown does not honour "\<": never let a "<" reach it as markup.
    text = text.replace("\\<", "&lt;").replace("<", "&lt;")
    text = nfc(text).replace("\u00a0", " ")
    lines = [re.sub(r"(?<=\S) {2,}", " ", line).rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _strings(node):
    return [s for s in node.find_all(string=True) if collapse_spaces(s)]


def _drop_string(s):
    """Remove a text node, and its element when the element holds nothing else."""
    parent = s.parent
    s.extract()
    while parent is not None and parent.name not in ("body", "html", "[document]", "article", "main") \
            and not collapse_spaces(parent.get_text()) and not parent.find("img"):
        up = parent.parent
        parent.decompose()
        parent = up


def parse_html_page(html, source):
    """A saved HTML news page (SharePoint, Liferay, ASP.NET…) → Record."""
    if len(html) > LARGE_PAGE:
        return parse_large_page(html, source)
    rec = Record(source=source, scraped=True)
    soup = soup_of(html)
    rec.source_url = _url_of_page(soup, html)
    og_title = soup.select_one('meta[property="og:title"]')
    og_title = og_title.get("content") if og_title else None
    page_title = soup.title.get_text() if soup.title else None
    sanitize(soup)
    container = (soup.select_one("article") or soup.select_one('[itemprop="articleBody"]')
                 or soup.select_one("main") or soup.body or soup)
    for tag in container.find_all(["nav", "aside"]):
        tag.decompose()
    h1 = container.find("h1") or soup.find("h1")
    title = collapse_spaces(h1.get_text(" ")) if h1 else ""
    if h1 and container in h1.parents:
        h1.decompose()
    if not title:
        title = collapse_spaces(og_title or "") or collapse_spaces(re.split(r"\s+[|–-]\s+", page_title or "")[0])
        if title:
            rec.warn("tiêu đề lấy từ thẻ <title>/og:title của trang, không phải từ tiêu đề bài; hãy kiểm tra")
    rec.title = nfc(title) or None
    # Footer furniture: from the first related-news/footer marker, drop the rest of the container.
    for s in _strings(container):
        if is_footer_start(s):
            node = s
            while node.parent is not None and node.parent is not container:
                node = node.parent
            for sib in list(node.find_next_siblings()):
                sib.decompose()
            node.decompose()
            break
    strings = _strings(container)
    texts = [collapse_spaces(s) for s in strings]
    time_tag = container.find("time", attrs={"datetime": True})
    date, date_i, rejected = find_dateline(texts)
    for i, raw, reason in rejected:
        rec.warn(f"bỏ qua dòng ngày “{raw}”: {reason}")
        _drop_string(strings[i])
    if date is not None:
        rec.date = date
        _drop_string(strings[date_i])
    elif time_tag is not None:
        try:
            rec.date = parse_dateline(time_tag.get_text()) or plone_date(time_tag["datetime"])
        except DateError:
            rec.date = None
    for s in _strings(container):
        if is_boilerplate(s) or (rec.title and collapse_spaces(s).casefold() == rec.title.casefold()):
            _drop_string(s)  # furniture, or the headline repeated in the body
    meta, first = {}, True
    for s in reversed(_strings(container)):
        found = parse_byline(s) or parse_signature(s, last=first)
        if not found or any(k in meta for k in found):
            break
        meta.update(found)
        _drop_string(s)
        first = False
    for key, value in meta.items():
        setattr(rec, key, value)
    rec.body = html_to_markdown(container)
    if rec.source_url:
        rec.old_paths.append(old_path(rec.source_url))
    return rec


def _url_of_page(soup, text):
    for sel, attr in (('link[rel="canonical"]', "href"), ('meta[property="og:url"]', "content")):
        tag = soup.select_one(sel)
        if tag and tag.get(attr, "").startswith(("http://", "https://")):
            return tag[attr].strip()
    m = re.search(r"saved from url=\(\d+\)(https?://\S+?)\s*-->", text[:2000])
    return m.group(1) if m else None


def parse_large_page(html, source):
    """A very large saved page → Record, from its text lines (formatting, links and tables dropped)."""
    lines, h1 = html_lines(html)
    rec = parse_text("\n".join(lines), source)
    if h1 and rec.title != collapse_spaces(h1):
        # The page's own headline wins over what the text reader took from the first lines.
        rec.title = collapse_spaces(nfc(h1)) or rec.title
    url = _url_of_page(BeautifulSoup(html[:20000], "html.parser"), html)
    if url and not rec.source_url:
        rec.source_url = url
        rec.old_paths.append(old_path(url))
    rec.warn(f"trang HTML rất lớn ({len(html) / 1e6:.0f} triệu ký tự): chỉ giữ chữ theo từng đoạn, bỏ định "
             "dạng, liên kết, ảnh và bảng; hãy đối chiếu với trang gốc", review=True)
    return rec
