"""Step 1 for saved HTML pages (SharePoint, Liferay, DNN, WordPress, Joomla, ASP.NET, Plone…),
and the HTML → Markdown conversion the Plone exports use too."""

import re

from bs4 import BeautifulSoup, Comment
from markdownify import MarkdownConverter

from cchc.core.dates import DateError
from cchc.core.text import collapse_spaces, fold, nfc

from .heuristics import (
    find_dateline,
    is_boilerplate,
    is_footer_start,
    is_section_label,
    parse_byline,
    parse_dateline,
    parse_signature,
    title_problem,
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


EMBEDS = ("iframe", "embed", "video", "audio", "object")


def _keep_embeds(soup, embeds):
    """An embedded video or frame becomes a link to its source (the new site embeds nothing foreign)."""
    for tag in soup.find_all(EMBEDS):
        src = tag.get("src") or tag.get("data") or (tag.find("source") or {}).get("src") if tag.name else None
        src = _safe_url(src) if src else None
        if src and src.startswith(("http://", "https://", "/")):
            kind = "Video" if tag.name in ("video", "embed") or re.search(r"youtube|vimeo|video|\.mp4", src) \
                else "Âm thanh" if tag.name == "audio" else "Nội dung nhúng"
            link = soup.new_tag("a", href=src)
            link.string = f"{kind}: {src}"
            para = soup.new_tag("p")
            para.append(link)
            tag.replace_with(para)
            embeds.append(src)


def sanitize(soup, embeds=None):
    """Make parsed HTML inert: no scripts, frames, forms, event handlers or javascript: URLs.

    Embedded videos and frames with an http(s) source become links; their sources are added to
    *embeds* (a list) so the caller can warn.
    """
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    _keep_embeds(soup, embeds if embeds is not None else [])
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


def html_to_markdown(html, embeds=None):
    """HTML body (text or an already parsed tree) → Markdown: cleaned, converted with markdownify, inert."""
    soup = sanitize(soup_of(html) if isinstance(html, str) else html, embeds)
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


_FURNITURE_CLASS = re.compile(r"(?:^|[-_ ])(?:header|footer|menu|navbar|nav|breadcrumbs?|sidebar|banner|logo|"
                              r"brand|share|social|related|comments?|tinlienquan|tin-lien-quan)(?:$|[-_ ])", re.I)
_CONTENT = ("article", "main")


def _classes(tag):
    return " ".join([*(tag.get("class") or []), tag.get("id") or ""]) if tag.attrs else ""


def _in_furniture(tag):
    """Inside <header>, <nav>, <footer>, <aside> or a block named logo/banner/menu…, and not in the article."""
    for up in tag.parents:
        if _is_article(up):
            return False
        if up.name in ("header", "nav", "footer", "aside") or _FURNITURE_CLASS.search(_classes(up)):
            return True
    return False


def _is_article(tag):
    return tag.name in _CONTENT or tag.get("itemprop") == "articleBody"


def _choose_h1(soup, site_name):
    """The article's headline: the first <h1> with text that is not the site's banner or name."""
    found = []
    for h1 in soup.find_all("h1"):
        text = collapse_spaces(h1.get_text(" "))
        if not text or _in_furniture(h1) or site_name and fold(text) == fold(site_name):
            continue
        if title_problem(text) is None:
            found.append(h1)
    inside = [h for h in found if any(_is_article(u) for u in h.parents)]
    return (inside or found or [None])[0]


def _link_only(tag):
    """A block that is only links and separators: a menu or a breadcrumb, not text."""
    links = tag.find_all("a")
    if len(links) < 2:
        return False
    rest = "".join(s for s in tag.find_all(string=True) if not s.find_parent("a"))
    return not re.sub(r"[\s|»>/•·›:–-]+", "", rest)


def parse_html_page(html, source):
    """A saved HTML news page (SharePoint, Liferay, DNN, WordPress, Joomla, ASP.NET…) → Record."""
    if len(html) > LARGE_PAGE:
        return parse_large_page(html, source)
    rec = Record(source=source, scraped=True)
    soup = soup_of(html)
    rec.source_url = _url_of_page(soup, html)
    og_title = soup.select_one('meta[property="og:title"]')
    og_title = collapse_spaces(og_title.get("content") or "") if og_title else ""
    site = soup.select_one('meta[property="og:site_name"]')
    site = collapse_spaces(site.get("content") or "") if site else ""
    h1 = _choose_h1(soup, site)
    container = (soup.select_one("article") or soup.select_one('[itemprop="articleBody"]')
                 or soup.select_one("main") or soup.body or soup)
    if h1 is not None and container not in h1.parents and container is not soup:
        container = soup.body or soup  # the headline sits outside the article element: read the page
    # Menus, breadcrumbs, banners and footers (not the part holding the headline).
    whole = len(container.get_text())
    for tag in container.find_all(["header", "nav", "footer", "aside", "div", "ul", "ol", "p", "section"]):
        if tag.decomposed or h1 is not None and (tag is h1 or h1 in tag.descendants):
            continue
        if len(tag.get_text()) > whole / 2:
            continue  # a wrapper holding most of the page is the article, whatever its class says
        if tag.name in ("header", "nav", "footer", "aside") or _FURNITURE_CLASS.search(_classes(tag)):
            tag.decompose()
    embeds = []
    sanitize(soup, embeds)
    if h1 is not None:
        for tag in list(h1.find_all_previous(["p", "div", "ul", "ol"])):
            if not tag.decomposed and container in tag.parents and h1 not in tag.descendants and _link_only(tag):
                tag.decompose()
    title = collapse_spaces(h1.get_text(" ")) if h1 is not None else ""
    if h1 is not None:
        before = h1.find_previous(string=lambda s: collapse_spaces(s) != "")
        if before is not None and container in before.parents and is_section_label(before, title):
            rec.source_section = collapse_spaces(before)
            _drop_string(before)
        if container in h1.parents:
            h1.decompose()
    if not title and og_title and fold(og_title) != fold(site) and title_problem(og_title) is None:
        title = og_title
        rec.warn("trang không có thẻ tiêu đề <h1>: tiêu đề lấy từ og:title; hãy kiểm tra")
    if not title:
        rec.warn("trang không có tiêu đề bài (thẻ <h1> hay og:title): cổng không lấy tiêu đề từ thẻ <title> "
                 "hay dòng đầu của nội dung")
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
    rec.body = html_to_markdown(container, embeds)
    for src in dict.fromkeys(embeds):
        rec.warn(f"video hoặc khung nhúng {src} được thay bằng liên kết tới nguồn (cổng mới không nhúng nội "
                 "dung của trang khác); hãy kiểm tra, hoặc chép video về máy chủ của cơ quan", review=True)
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
