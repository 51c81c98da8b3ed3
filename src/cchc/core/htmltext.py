"""The text of rendered HTML (a post's body), read one way for the whole site.

One walk over the body cut into blocks where a block element (``BLOCK_TAGS``) opens or closes,
script, style and template source and comments left out. Its readers:

* the search index (``cchc_search``): ``blocks(html, " ")``, the text of each block with the id
  of its heading (the result's anchor), and ``text`` for one line;
* the document pages and open data (``cchc_documents.body_text``): ``lines(html)``, one line a
  block, inline markup joined as written (``cải<em>cách</em>`` stays one word).

lxml's parser (C) rather than BeautifulSoup: the same text (tests/unit/test_search_index.py) in a
third of the time. Iterative: no recursion limit on deeply nested pages.
"""

import re

import lxml.html

# Where a block of text ends: paragraphs, list items, headings, cells, rows, containers and a <br>.
BLOCK_TAGS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dt", "dd", "th", "td",
                        "pre", "figcaption", "tr", "table", "ul", "ol", "dl", "div", "section", "figure", "br"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SPACES = re.compile(r"\s+")


def _root(html):
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    # Like BeautifulSoup's get_text: no script, style or template source, no comments.
    for element in root.iter("script", "style", "template"):
        element.clear(keep_tail=True)
    return root


def blocks(html, joiner=" "):
    """The body as blocks [(text, heading id or None, is_heading)]: the text nodes of a block
    joined by *joiner* (" ": as BeautifulSoup's ``get_text(" ")``; "": as written), white space
    squeezed to one space."""
    if not html or not html.strip():
        return []
    out, current, state = [], [], {"heading": None}

    def flush():
        text = _SPACES.sub(" ", joiner.join(current)).strip()
        current.clear()
        if text:
            h = state["heading"]
            out.append((text, h[0] if h else None, bool(h)))

    stack = [("open", _root(html))]
    while stack:
        action, item = stack.pop()
        if action == "text":
            current.append(item)
            continue
        tag = item.tag if isinstance(item.tag, str) else None  # None: a comment
        if action == "close":
            flush()
            state["heading"] = None
            continue
        if tag in BLOCK_TAGS:
            flush()
            state["heading"] = (item.get("id"),) if tag in HEADINGS else None
        later = []
        if tag and item.text:
            later.append(("text", item.text))
        for child in item:
            later.append(("open", child))
            if child.tail:
                later.append(("text", child.tail))
        if tag in BLOCK_TAGS:
            later.append(("close", item))
        stack.extend(reversed(later))
    flush()
    return out


def text(html):
    """The visible text as one line: every text node joined by a space, white space squeezed."""
    if not html or not html.strip():
        return ""
    return _SPACES.sub(" ", " ".join(_root(html).itertext())).strip()


def lines(html):
    """Plain text, one line a block, inline markup dropped and joined as written."""
    return "\n".join(b[0] for b in blocks(html, ""))
