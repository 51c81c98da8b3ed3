"""Bounds on a post's body: what Python-Markdown would take superlinear time or deep recursion on.

Python-Markdown converts ordinary text in time proportional to its length, but four shapes of
input make it do far more work, all found by probing it (issue 33; times on the build machine):

- **Nesting**: each level of a list or blockquote is converted by a recursive call (500 nested
  list levels: RecursionError; 250 blockquote levels: 2 s), and elements opened with
  ``markdown="1"`` are re-parsed per level (8,000 of them: 3 s, quadratic).
- **Brackets**: for every ``[`` the link, image, reference, footnote and abbreviation patterns
  read on to its matching ``]``, or to the end of the paragraph when there is none (16,000
  unclosed ``[``: 75 s; quadratic).
- **HTML tags**: the HTML block parser (the standard library's ``html.parser``) reads from every
  ``<a`` or ``</a`` that is not closed by ``>`` to the end of the document, then moves on by one
  character (8,000 ``<a ``: 14 s; quadratic).
- **Definition lists**: a run of ``: definition`` lines with no blank line between them is
  converted recursively (800 of them: RecursionError).

Each bound below is far above what a post needs and low enough that a post at the bound converts
in about a second; `make bench-hostile` measures both. ``markdown_problems`` computes every
measure in one linear pass (the tag measure replays the parser's own tag scanner, stopping once
the bound is spent), so `cchc check` and the reader refuse such a body before it is converted.
"""

import re

MAX_NESTING = 20  # levels of lists, blockquotes and markdown="1" elements on one line
MAX_BRACKET_WORK = 1_000_000  # characters the link patterns read for the [ of one post
MAX_TAG_WORK = 2_000_000  # characters the HTML parser reads for the < of one post
MAX_DEFINITIONS = 100  # ": definition" lines in one paragraph

_FENCE = re.compile(r"(`{3,}|~{3,})")
# One level of a line's prefix: "> " or a list marker, after its indentation.
_LEVEL = re.compile(r"([ \t]*)(?:>|(?:[-*+]|[0-9]{1,9}[.)])(?=[ \t]|$))")
_MD_OPEN = re.compile(r"<([A-Za-z][\w:-]*)\b[^<>]*?\bmarkdown[ \t]*=", re.IGNORECASE)
_CLOSE = re.compile(r"</([A-Za-z][\w:-]*)[ \t]*>")
_DEFINITION = re.compile(r"[ ]{0,3}:[ ]{1,3}\S")
# Escapes first: \[ and \] are text, never a bracket the link patterns see.
_BRACKET = re.compile(r"\\.|[\[\]]", re.DOTALL)
_LT = re.compile(r"<(?=[A-Za-z/])")


def _fmt(number):
    return f"{number:,}".replace(",", ".")


def _width(indent):
    return len(indent.expandtabs(4))


def _tag_scanner():
    """The start-tag scanner of the HTML parser Python-Markdown uses (its copy of html.parser)."""
    from markdown.htmlparser import htmlparser

    return htmlparser.locatestarttagend_tolerant


def _lines(body):
    """(index, line) of the body's lines outside fenced code blocks."""
    fence = None
    for i, line in enumerate(body.split("\n")):
        m = _FENCE.match(line)
        if fence is None:
            if m:
                fence = m.group(1)
            else:
                yield i, line
        elif m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line[m.end():].strip():
            fence = None


def _nesting(body):
    """(index of the first line deeper than MAX_NESTING, its depth) or None."""
    opened = []  # names of the open elements written with markdown="1", innermost last
    for i, line in _lines(body):
        depth, pos = 0, 0
        while True:
            m = _LEVEL.match(line, pos)
            if not m:
                break
            depth += _width(m.group(1)) // 4 + 1
            pos = m.end()
        for m in _MD_OPEN.finditer(line):
            opened.append(m.group(1).lower())
        for m in _CLOSE.finditer(line):
            name = m.group(1).lower()
            if name in opened:
                del opened[len(opened) - 1 - opened[::-1].index(name):]
        depth += len(opened)
        if depth > MAX_NESTING:
            return i, depth
    return None


def _paragraphs(body):
    """(index of the first line, text) of each paragraph: lines outside fenced code, up to a blank line."""
    first, lines, last = None, [], None
    for i, line in _lines(body):
        if not line.strip() or (last is not None and i != last + 1):
            if lines:
                yield first, "\n".join(lines)
            first, lines = None, []
        if line.strip():
            first = i if first is None else first
            lines.append(line)
        last = i
    if lines:
        yield first, "\n".join(lines)


def _brackets(body):
    """(work, index of the line to name): the characters the link patterns read for every [, to
    its ] or to the end of its paragraph; the line is the first unclosed [ (or the first [) of
    the paragraph where they read most."""
    total, worst, worst_at = 0, -1, 0
    for first, text in _paragraphs(body):
        if "[" not in text:
            continue
        opens, work = [], 0
        for m in _BRACKET.finditer(text):
            c = m.group()
            if c == "[":
                opens.append(m.start())
            elif c == "]" and opens:
                work += m.start() - opens.pop()
        for pos in opens:  # never closed: read to the end of the paragraph
            work += len(text) - pos
        total += work
        if work > worst:
            at = opens[0] if opens else text.find("[")
            worst, worst_at = work, first + text.count("\n", 0, at)
    return total, worst_at


def _tags(body):
    """(work, index of the line to name): the characters the HTML parser's tag scanner reads,
    replayed with the same scanner (stopping once MAX_TAG_WORK is spent). A tag closed by ">"
    is read once and skipped; one that is not sends the parser one character on and back."""
    scan = _tag_scanner()
    spent, pos, first_open, n = 0, 0, None, len(body)
    while spent <= MAX_TAG_WORK:
        m = _LT.search(body, pos)
        if not m:
            break
        i = m.start()
        stop = min(n, i + MAX_TAG_WORK - spent + 1)
        if body.startswith("/", i + 1):
            gt = body.find(">", i, stop)
            end = gt if gt >= 0 else stop
        else:
            end = scan.match(body, i, stop).end()
        spent += end - i
        if body.startswith(">", end):
            pos = end + 1
        else:
            first_open = i if first_open is None else first_open
            pos = i + 1
    at = body.count("\n", 0, first_open) if first_open is not None else 0
    return spent, at


def _definitions(body):
    """Index of the line where a paragraph's ": definition" lines pass MAX_DEFINITIONS, or None."""
    for first, text in _paragraphs(body):
        count = 0
        for n, line in enumerate(text.split("\n")):
            if _DEFINITION.match(line):
                count += 1
                if count > MAX_DEFINITIONS:
                    return first + n
    return None


# Inputs Python-Markdown rereads superlinearly: (scan giving (work, line index), bound, message).
_REREAD_SCANS = (
    (_brackets, MAX_BRACKET_WORK, (
        "dấu [ ở dòng này (và các dấu [ khác) không có dấu ] đóng, hoặc lồng nhau quá nhiều lớp: với "
        "mỗi dấu như vậy trình chuyển Markdown đọc lại phần còn lại của đoạn văn, cả bài phải đọc lại "
        "hơn {limit} ký tự; hãy đóng các dấu ngoặc, viết \\[ nếu dấu [ là chữ, hoặc "
        "tách đoạn văn dài bằng một dòng trống")),
    (_tags, MAX_TAG_WORK, (
        "dấu < ở dòng này (và các dấu < khác) mở một thẻ HTML không được đóng bằng >: với mỗi dấu như "
        "vậy trình chuyển Markdown đọc lại phần còn lại của bài, cả bài phải đọc lại hơn "
        "{limit} ký tự; viết &lt; nếu dấu < là chữ (hoặc để một dấu cách sau nó: a < b), "
        "hoặc đóng thẻ bằng >")),
)


def markdown_problems(path, body, body_line):
    """Problems (schema.Problem) of a body Python-Markdown would convert in superlinear time or
    by recursing too deep; [] for every ordinary post."""
    from .schema import Problem

    problems = []
    nested = _nesting(body)
    if nested:
        i, depth = nested
        problems.append(Problem(path, body_line + i, None, (
            f"danh sách hoặc trích dẫn (>) lồng nhau {depth} cấp, quá giới hạn {MAX_NESTING} cấp: trình "
            "chuyển Markdown xử lý mỗi cấp bằng một lần gọi lồng, sâu như vậy thì lần xây dựng dừng giữa "
            "chừng; hãy bớt cấp (thường chỉ cần 2–3 cấp) hoặc viết thành các đoạn riêng")))
    for scan, limit, message in _REREAD_SCANS:
        work, i = scan(body)
        if work > limit:
            problems.append(Problem(path, body_line + i, None, message.format(limit=_fmt(limit))))
    i = _definitions(body)
    if i is not None:
        problems.append(Problem(path, body_line + i, None, (
            f"hơn {MAX_DEFINITIONS} dòng định nghĩa (dòng bắt đầu bằng “: ”) liền nhau trong một đoạn: trình "
            "chuyển Markdown xử lý chúng bằng các lần gọi lồng nhau, nhiều như vậy thì lần xây dựng dừng giữa "
            "chừng; hãy tách chúng bằng dòng trống")))
    return problems
