"""Step 1 for pages saved as plain text (one block per line, CMS furniture included)."""

import re

from cchc.core.text import collapse_spaces, nfc

from .heuristics import (
    breadcrumb_parts,
    dateline_doubt,
    find_dateline,
    is_academic_author,
    is_boilerplate,
    is_footer_start,
    is_furniture,
    is_section_label,
    is_site_header,
    looks_like_org,
    parse_byline,
    parse_signature,
    title_problem,
)
from .record import Record, old_path

HEADER_LINES = 15  # the title is looked for among the first lines that are not furniture


def _source_url(lines, rec):
    """A "URL: …" line (how staff note where a saved page came from) gives the old address."""
    for i in list(range(min(40, len(lines)))) + list(range(max(40, len(lines) - 20), len(lines))):
        m = re.match(r"^\s*(?:url|địa chỉ|link|nguồn|source)\s*:\s*(https?://\S+)\s*$", lines[i], re.I)
        if m:
            rec.source_url = m.group(1)
            lines[i] = ""
            return


def _choose_title(lines, cands, rec):
    """Index of the headline among the first content lines *cands*, or None (never a guess)."""
    j = 0
    if len(cands) > 1 and collapse_spaces(lines[cands[0]]) == "null " + collapse_spaces(lines[cands[1]]):
        lines[cands[0]] = ""  # Liferay prints "null <title>" above the title when a field is empty
        j = 1
    if len(cands) > j + 1 and is_site_header(lines[cands[j]]) and title_problem(lines[cands[j + 1]]) is None:
        lines[cands[j]] = ""  # the portal's own name above the article
        j += 1
    if len(cands) > j + 1 and is_section_label(lines[cands[j]], lines[cands[j + 1]]):
        rec.source_section = collapse_spaces(lines[cands[j]])
        lines[cands[j]] = ""
        j += 1
    if j >= len(cands):
        return None
    problem = title_problem(lines[cands[j]])
    if problem:
        first = collapse_spaces(lines[cands[j]])
        first = first if len(first) <= 80 else first[:77] + "…"
        rec.warn(f"dòng đầu của trang (“{first}”) không phải tiêu đề: {problem}")
        return None
    return cands[j]


def _header_bylines(lines, filled, after, rec):
    """Author lines under the headline: "ThS. Nguyễn Thị Thu Hương" / "Học viện Hành chính Quốc gia"."""
    authors, units = [], []
    following = [i for i in filled if i > after and lines[i].strip(" \t\u00a0")][:8]
    k = 0
    while k < len(following) and is_academic_author(lines[following[k]]):
        authors.append(collapse_spaces(lines[following[k]]))
        lines[following[k]] = ""
        k += 1
        if k < len(following):
            unit = collapse_spaces(lines[following[k]])
            if (len(unit) <= 80 and unit[-1] not in ".;:" and not is_academic_author(unit)
                    and looks_like_org(unit)):
                units.append(unit)
                lines[following[k]] = ""
                k += 1
    if authors:
        rec.author = ", ".join(authors)
    if units:
        rec.source_unit = "; ".join(units)


def parse_text(text, source):
    """A page saved as plain text (one block per line) → Record."""
    rec = Record(source=source, scraped=True)
    lines = nfc(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    _source_url(lines, rec)
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
    if date_i is not None:
        doubt = dateline_doubt(lines[date_i])
        if doubt:
            rec.date_status, rec.date_note = "nghi-van", doubt[0].upper() + doubt[1:] + "."
            rec.warn(doubt, review=True)
    header_end = 0
    # Header: furniture (counters, menus, breadcrumbs), the site's name, a section label, the title.
    crumbs = []
    cands = []
    filled = [i for i, line in enumerate(lines) if line.strip(" \t\u00a0\u200b")]
    for i in filled[:HEADER_LINES]:
        line = lines[i]
        if i == date_i:
            continue
        if is_furniture(line):
            lines[i] = ""
            continue
        parts = breadcrumb_parts(line)
        if parts:
            crumbs += parts[1:]
            lines[i] = ""
            continue
        if line[:1] in ("\u00a0", "\t", "•", "·", "»", ">") and len(collapse_spaces(line)) < 60:
            crumbs.append(collapse_spaces(line).lstrip("•·»> "))
            lines[i] = ""
            continue
        cands.append(i)
        if len(cands) >= 3:
            break
    title_i = _choose_title(lines, cands, rec)
    filled = [i for i in filled if lines[i].strip(" \t\u00a0\u200b")]
    if title_i is not None and date_i is not None and date_i > title_i + 3 and date_i < len(lines) - 8:
        # The dateline sits further down: the title is the line just before it.
        before = [i for i in filled if title_i < i < date_i and not is_boilerplate(lines[i])]
        if before and title_problem(lines[before[-1]]) is None:
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
            rest = [c for c in crumbs if collapse_spaces(c).casefold() != rec.title.casefold()]
            rec.source_section = rest[-1] if rest else None
        _header_bylines(lines, filled, max(title_i, date_i if date_i is not None and date_i < title_i + 4
                                           else title_i), rec)
    body = lines[header_end:] if title_i is not None else lines
    # Closing block, read from the end: bylines, "Nguồn:", padded signatures, the source unit.
    body = [("" if (i + header_end == date_i) else line) for i, line in enumerate(body)]
    meta = {}
    idx = [i for i, line in enumerate(body) if line.strip(" \t\u00a0\u200b")]
    first_tail = True
    while idx:
        i = idx[-1]
        line = body[i]
        found = parse_byline(line) or parse_signature(line, last=first_tail)
        if not found or any(k in meta or getattr(rec, k) for k in found):
            if is_furniture(line):
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
