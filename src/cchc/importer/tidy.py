"""Step 1, before any tree is built: make legacy HTML shallow and well nested, without recursion.

Old portals save pages that a recursive converter cannot take: hundreds of unclosed ``<p>`` and
``<font>`` (valid HTML4: a new ``<p>`` ends the open one), or 100,000 nested ``<div>``. One pass
of the standard library's streaming parser rewrites the page: a ``<p>`` or block start closes an
open paragraph as browsers do, an ``<li>`` closes the open item of its list, and elements deeper
than :data:`MAX_DEPTH` lose their tags (their text stays). The result has no comments,
processing instructions or doctype, and every attribute is re-quoted.
"""

import html
from html.parser import HTMLParser

MAX_DEPTH = 60
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# A start tag of these ends an open <p> (HTML: "a p element's end tag may be omitted if …").
CLOSES_P = frozenset(("address article aside blockquote details dialog div dl fieldset figcaption figure "
                      "footer form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section table "
                      "ul").split())
# Elements a <p> may not cross when it looks for an open paragraph to close.
P_SCOPE = frozenset("td th table li blockquote div button caption html body".split())
LIST_SCOPE = frozenset(("ul", "ol", "table", "td", "th"))


class _Tidy(HTMLParser):
    def __init__(self, max_depth):
        super().__init__(convert_charrefs=True)
        self.max_depth = max_depth
        self.out = []
        self.stack = []
        self.dropped = {}  # tag → start tags left out for depth, whose end tags go too

    def _close_to(self, index):
        while len(self.stack) > index:
            self.out.append(f"</{self.stack.pop()}>")

    def _open_p(self):
        for i in range(len(self.stack) - 1, -1, -1):
            tag = self.stack[i]
            if tag == "p":
                return i
            if tag in P_SCOPE:
                return None
        return None

    def _start(self, tag, attrs, void):
        if tag in CLOSES_P:
            i = self._open_p()
            if i is not None:
                self._close_to(i)
        if tag == "li":
            for i in range(len(self.stack) - 1, -1, -1):
                if self.stack[i] == "li":
                    self._close_to(i)
                    break
                if self.stack[i] in LIST_SCOPE:
                    break
        if not void and len(self.stack) >= self.max_depth:
            self.dropped[tag] = self.dropped.get(tag, 0) + 1
            return
        text = "".join(f' {name}="{html.escape(value or "", quote=True)}"' if value is not None else f" {name}"
                       for name, value in attrs if name and name.replace("-", "").replace(":", "").isalnum())
        self.out.append(f"<{tag}{text}>")
        if not void:
            self.stack.append(tag)

    def handle_starttag(self, tag, attrs):
        self._start(tag, attrs, tag in VOID)

    def handle_startendtag(self, tag, attrs):
        self._start(tag, attrs, True)
        if tag not in VOID and self.stack and self.stack[-1] == tag:
            self.out.append(f"</{self.stack.pop()}>")

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i] == tag:
                self._close_to(i)
                return
        if self.dropped.get(tag):
            self.dropped[tag] -= 1
        # otherwise a stray end tag: dropped, as browsers do

    def handle_data(self, data):
        if self.stack and self.stack[-1] in ("script", "style"):
            self.out.append(data.replace("</", "<\\/"))
        else:
            self.out.append(html.escape(data, quote=False))

    def close(self):
        super().close()
        self._close_to(0)
        return "".join(self.out)


def tidy_html(text, max_depth=MAX_DEPTH):
    """*text* rewritten shallow (≤ *max_depth* open elements) and well nested; text kept."""
    parser = _Tidy(max_depth)
    parser.feed(text)
    return parser.close()


# --- very large pages: text only, one line per block, in one streaming pass ---------------

BLOCKS = CLOSES_P | frozenset(("li", "tr", "td", "th", "br", "dt", "dd", "caption", "title", "option"))
SKIP_CONTENT = frozenset(("script", "style", "noscript", "template", "svg", "math", "iframe", "object",
                          "select", "textarea", "head"))


class _Lines(HTMLParser):
    """Text of a page as lines: a new line at every block boundary, nothing of scripts or styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines, self.buf, self.skip = [], [], 0
        self.h1 = None
        self._in_h1 = None

    def _flush(self):
        if self.buf:
            self.lines.append("".join(self.buf))
            self.buf = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_CONTENT:
            self.skip += 1
        elif tag in BLOCKS:
            self._flush()
        if tag == "h1" and self.h1 is None:
            self._in_h1 = []

    def handle_endtag(self, tag):
        if tag in SKIP_CONTENT:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCKS:
            self._flush()
        if tag == "h1" and self._in_h1 is not None:
            self.h1, self._in_h1 = " ".join("".join(self._in_h1).split()), None

    def handle_data(self, data):
        if not self.skip:
            self.buf.append(data.replace("\n", " "))
            if self._in_h1 is not None:
                self._in_h1.append(data)


def html_lines(text):
    """(lines of text, first <h1> text or None) of a page, without building a tree."""
    parser = _Lines()
    parser.feed(text)
    parser.close()
    parser._flush()
    return parser.lines, parser.h1
