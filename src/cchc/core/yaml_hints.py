"""Why a front matter is not valid YAML, said for staff: the line where the broken value starts.

PyYAML reports where it *noticed* the problem (an unclosed quote on line 7 is noticed at the
next quote, maybe line 11) and in English. Only when parsing failed, these rules look at the
lines themselves, top to bottom, for what people really type wrong: a Tab, a quote or bracket
opened and not closed, a colon inside an unquoted value, a line that is not "field: value".
"""

import re

# The key ends with a character that is not a space: a lazy [^:#]*? before [ \t]*: tried the run of
# spaces after every character of a line that has no colon (60,000 spaces: 13 s); this way each
# run of spaces is tried once, from the character before it.
_KEY = re.compile(r"^(?P<indent>[ \t]*)(?P<dash>-[ \t]+)?"
                  r"(?P<key>[^\s:#'\"\[\]{}-](?:[^:#]*[^\s:#])?|\"[^\"]*\"|'[^']*')"
                  r"[ \t]*:(?:[ \t]+|$)(?P<value>.*)$")
_SPECIAL_START = "@`%&*!|>"
SHOWN_CHARS = 120  # of a line or value quoted in a message: a 60,000-character line is not shown whole


def _clip(text):
    text = text.strip()
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS].rstrip() + "…"


def _closing_quote(value, quote):
    """Index of the quote that closes the scalar starting at value[0] on this line, or None."""
    i = 1
    while i < len(value):
        c = value[i]
        if quote == '"' and c == "\\":
            i += 2
            continue
        if c == quote:
            if quote == "'" and value[i + 1 : i + 2] == "'":  # '' is an escaped quote
                i += 2
                continue
            return i
        i += 1
    return None


def _label(key):
    return "tiêu đề" if key == "title" else "giá trị"


def _value_problem(key, value):
    """What is wrong with one "key: value" line's value, or None."""
    value = value.rstrip()
    if not value or value.startswith("#"):
        return None
    if value[0] in "\"'":
        name = "ngoặc kép" if value[0] == '"' else "ngoặc đơn"
        end = _closing_quote(value, value[0])
        if end is None:
            return (f"dấu {name} {value[0]} mở ở đầu giá trị của “{key}” nhưng không được đóng; thêm "
                    f"{value[0]} ở cuối giá trị, ví dụ {key}: {value[0]}…{value[0]}")
        rest = value[end + 1:].strip()
        if rest and not rest.startswith("#"):
            inner = value[1:].rstrip()
            if inner.endswith(value[0]):
                inner = inner[:-1]
            other = "'" if value[0] == '"' else '"'
            return (f"giá trị của “{key}” có dấu {value[0]} ở giữa, nên giá trị bị đóng sớm; bao cả giá trị "
                    f"bằng dấu {other} thay vì {value[0]}, ví dụ {key}: {other}{_clip(inner)}{other}, hoặc dùng "
                    "ngoặc kép cong “ ” bên trong")
        return None
    if value[0] in "[{":
        close = "]" if value[0] == "[" else "}"
        if close not in value:
            return (f"dấu {value[0]} mở danh sách của “{key}” nhưng không có dấu {close} đóng; thêm {close} "
                    f"ở cuối, ví dụ {key}: {value[0]}muc-mot, muc-hai{close}")
        return None
    if re.search(r":(\s|$)", value):
        return (f"dấu hai chấm “: ” nằm trong {_label(key)} của “{key}” mà không có ngoặc kép; đặt "
                f"{_label(key)} trong ngoặc kép, ví dụ {key}: \"{_clip(value)}\"")
    if value[0] in _SPECIAL_START:
        return (f"ký tự {value[0]} không được đứng đầu {_label(key)} của “{key}”; đặt {_label(key)} trong "
                f"ngoặc kép, ví dụ {key}: \"{_clip(value)}\"")
    return None


def diagnose(head, parser_line=None):
    """(line, Vietnamese message) for a front matter that failed to parse.

    *head* is the text between the '---' lines (its first line is line 2 of the file);
    *parser_line* is where PyYAML noticed the problem, used when no rule here applies."""
    lines = head.split("\n")
    for i, text in enumerate(lines):
        n = i + 2
        shown = f" Dòng {n} đang là: {_clip(text)}"
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        lead = text[: len(text) - len(text.lstrip(" \t"))]
        if "\t" in lead or ("\t" in text and not _KEY.match(text.replace("\t", " "))):
            return n, ("dòng này có ký tự Tab (phím Tab); trong phần khai báo chỉ dùng dấu cách để thụt "
                       "lề: xóa Tab, gõ dấu cách." + shown)
        m = _KEY.match(text)
        if m:
            problem = _value_problem(_clip(m.group("key").strip("\"'")), m.group("value"))
            if problem:
                return n, problem + "." + shown
            continue
        if not lead and not text.startswith("-"):
            return n, ("dòng này không có dạng “tên trường: giá trị” (thiếu dấu hai chấm sau tên trường, "
                       "hoặc dòng viết tiếp thì phải thụt lề bằng dấu cách)." + shown)
    where = parser_line if parser_line and 2 <= parser_line < len(lines) + 2 else None
    shown = f" Dòng {where} đang là: {_clip(lines[where - 2])}" if where else ""
    return where, ("phần khai báo không đúng cú pháp: kiểm tra dấu hai chấm sau tên trường, thụt lề bằng "
                   "dấu cách và các dấu ngoặc kép." + shown)
