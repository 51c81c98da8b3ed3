"""Step 1 for pages saved as plain text (one block per line, CMS furniture included)."""

import re

from cchc_core.text import collapse_spaces, nfc

from .heuristics import (
    find_dateline,
    is_blank,
    is_boilerplate,
    is_footer_start,
    parse_byline,
    parse_signature,
)
from .record import Record, old_path


def parse_text(text, source):
    """A page saved as plain text (one block per line) → Record."""
    rec = Record(source=source, scraped=True)
    lines = nfc(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # A "URL: …" line (how staff note where a saved page came from) gives the old address.
    for i, line in enumerate(lines):
        m = re.match(r"^\s*(?:url|địa chỉ|link|nguồn|source)\s*:\s*(https?://\S+)\s*$", line, re.I)
        if m:
            rec.source_url = m.group(1)
            lines[i] = ""
            break
    # Everything from the first related-news list / footer marker on is site furniture.
    end = len(lines)
    for i, line in enumerate(lines):
        if i > 0 and is_footer_start(line):
            end = i
            break
    lines = lines[:end]
    date, date_i, rejected = find_dateline(lines)
    for i, raw, reason in rejected:
        rec.warn(f"bỏ qua dòng ngày “{collapse_spaces(raw)}”: {reason}")
        lines[i] = ""
    rec.date = date
    header_end = 0
    # Header: menus and breadcrumbs (padded/bullet lines), boilerplate, the title, the dateline.
    crumbs = []
    title_i = None
    filled = [i for i, line in enumerate(lines) if not is_blank(line)]
    for i in filled:
        line = lines[i]
        if i == date_i or is_boilerplate(line):
            continue
        if line[:1] in ("\u00a0", "\t", "•", "·", "»", ">") and len(collapse_spaces(line)) < 60:
            crumbs.append(collapse_spaces(line).lstrip("•·»> "))
            continue
        title_i = i
        break
    if title_i is not None and date_i is not None and date_i > title_i + 3 and date_i < len(lines) - 8:
        # The dateline sits further down: the title is the line just before it.
        before = [i for i in filled if title_i < i < date_i and not is_boilerplate(lines[i])]
        if before:
            title_i = before[-1]
    if title_i is not None:
        rec.title = collapse_spaces(lines[title_i])
        header_end = title_i + 1
        if date_i is not None and date_i < title_i + 4:
            header_end = max(header_end, date_i + 1)
        # The same headline repeated just below (SharePoint shows it twice): collapse it, and
        # treat the short lines between the two copies as the section label.
        for j in [i for i in filled if header_end <= i < header_end + 6]:
            if collapse_spaces(lines[j]).casefold() == rec.title.casefold():
                between = [collapse_spaces(lines[k]) for k in filled if header_end <= k < j]
                if between and all(len(b) < 80 for b in between):
                    rec.source_section = "; ".join(b for b in between if b)
                header_end = j + 1
                break
        if crumbs and not rec.source_section:
            rec.source_section = crumbs[-1]
    body = lines[header_end:] if title_i is not None else lines
    # Closing block, read from the end: bylines, "Nguồn:", padded signatures, the source unit.
    body = [("" if (i + header_end == date_i) else line) for i, line in enumerate(body)]
    meta = {}
    idx = [i for i, line in enumerate(body) if not is_blank(line)]
    first_tail = True
    while idx:
        i = idx[-1]
        line = body[i]
        found = parse_byline(line) or parse_signature(line, last=first_tail)
        if not found or any(k in meta for k in found):
            if is_boilerplate(line):
                body[i] = ""
                idx.pop()
                continue
            break
        meta.update(found)
        body[i] = ""
        idx.pop()
        first_tail = False
    for key, value in meta.items():
        setattr(rec, key, value)
    body = [line for line in body if not is_boilerplate(line)]
    rec.body = text_to_markdown(body)
    if rec.source_url:
        rec.old_paths.append(old_path(rec.source_url))
    return rec


_MD_ESCAPE = re.compile(r"([\\`*_\[\]])")


def text_to_markdown(lines):
    """Plain-text lines → Markdown paragraphs, text kept verbatim (only Markdown syntax escaped)."""
    paragraphs = []
    for line in lines:
        text = collapse_spaces(line)
        if not text:
            continue
        text = _MD_ESCAPE.sub(r"\\\1", text).replace("<", "&lt;")
        text = re.sub(r"^([#>+]|-(?=\s)|\d+(?=\.\s))", r"\\\1", text)
        paragraphs.append(text)
    return "\n\n".join(paragraphs)
