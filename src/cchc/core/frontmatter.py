"""YAML front matter with line numbers, so staff messages can say where a field is."""

import re

import yaml

# libyaml's parser when PyYAML has it (same BaseResolver: every scalar stays a string), ~5× faster.
_Loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)


class FrontMatterError(ValueError):
    """Front matter missing or not valid YAML; ``line`` is 1-based or None."""

    def __init__(self, message, line=None):
        super().__init__(message)
        self.line = line


def split(text):
    """Return (front_matter_text, body_text, body_first_line) of a post."""
    text = text.lstrip("\ufeff")
    if not text.startswith("---"):
        raise FrontMatterError(
            "thiếu phần khai báo ở đầu tệp: tệp phải bắt đầu bằng một dòng '---', "
            "tiếp theo là các trường (title:, date:, …) và một dòng '---' nữa",
            1,
        )
    first = text.find("\n") + 1
    m = _FENCE.search(text, first)
    if not m:
        raise FrontMatterError("phần khai báo mở bằng '---' nhưng không có dòng '---' để đóng", 1)
    head = text[first : m.start()]
    body = text[m.end() :].lstrip("\n")
    body_line = text[: m.end()].count("\n") + 1 + (len(text[m.end() :]) - len(body)) - 1
    return head, body, body_line + 1


def _refuse_anchors(head):
    """Anchors (&a) and aliases (*a) are refused before anything is expanded: staff never need
    them, and a few nested aliases make a 600-byte post expand to gigabytes."""
    if "&" not in head and "*" not in head:
        return
    try:
        for token in yaml.scan(head, Loader=_Loader):
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                sign = "&" if isinstance(token, yaml.AnchorToken) else "*"
                raise FrontMatterError(
                    f"“{sign}{token.value}” là neo/bí danh YAML (anchor/alias), không được dùng trong "
                    "phần khai báo; hãy viết giá trị đầy đủ, hoặc đặt giá trị trong dấu ngoặc kép "
                    f"nếu “{sign}” là một phần của chữ", token.start_mark.line + 2)
    except yaml.YAMLError:
        return  # a syntax error: load() reports it with its own message


# How deep lists and groups of fields may nest in a front matter. The schema needs three levels
# (legal_bases → one basis → its fields; tags: [a, b] is two); deeper is refused with its line,
# measured on the parsed nodes, before any value is built from them (building recurses in Python).
MAX_DEPTH = 20
# libyaml parses nested collections by recursing in C: some 50,000 nested "[" overflow its stack
# and kill the process (SIGSEGV), and its scanner's time grows with the depth of "[" times the
# number of tokens (50,000 "[" alone: 53 s). So before libyaml sees the text, two bounds any depth
# must pass, counted without parsing: the "[" and "{" in the text (a bound on the depth of flow
# lists and groups), and the longest run of spaces, "-" and "?" starting a line (block levels
# start at increasing columns within it: at most two levels per column). Far above any post.
MAX_FLOW_MARKS = 1000
MAX_INDENT = 2000
_FLOW_MARK = re.compile(r"[\[{]")
_LINE_PREFIX = re.compile(r"^[ ?-]*", re.MULTILINE)


def _too_deep(line, detail):
    return FrontMatterError(
        f"các danh sách hay nhóm trường lồng nhau quá sâu ({detail}); một bài chỉ cần tối đa 3 cấp "
        "(như legal_bases → một căn cứ → các trường của nó): viết lại giá trị theo mẫu, ví dụ "
        "tags: [muc-mot, muc-hai]", line)


def _refuse_deep_text(head):
    """Before libyaml: refuse a text whose nesting could reach its limits (see MAX_FLOW_MARKS)."""
    if head.count("[") + head.count("{") > MAX_FLOW_MARKS:
        for i, m in enumerate(_FLOW_MARK.finditer(head)):
            if i == MAX_FLOW_MARKS:
                raise _too_deep(head.count("\n", 0, m.start()) + 2,
                                f"hơn {MAX_FLOW_MARKS:,} dấu [ và {{ trong phần khai báo".replace(",", "."))
    for m in _LINE_PREFIX.finditer(head):
        if m.end() - m.start() > MAX_INDENT:
            raise _too_deep(head.count("\n", 0, m.start()) + 2,
                            f"dòng thụt lề hơn {MAX_INDENT:,} ký tự".replace(",", "."))


def _refuse_deep_nodes(node):
    """After parsing, before building values: no collection deeper than MAX_DEPTH (walked
    without recursion)."""
    stack = [(node, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        else:
            continue
        if depth > MAX_DEPTH:
            raise _too_deep(node.start_mark.line + 2, f"hơn {MAX_DEPTH} cấp")
        stack.extend((child, depth + 1) for child in children)


def load(head):
    """Parse front matter YAML → (data, {key: line}). All scalars stay strings.

    BaseLoader keeps every scalar as written: "10:06" stays a time, not the YAML 1.1
    sexagesimal 606, and "no" stays "no"; the schema converts types itself.
    Lines are 1-based within the file (the opening '---' is line 1).
    """
    _refuse_deep_text(head)
    _refuse_anchors(head)
    loader = _Loader(head)
    try:
        # One parse gives both the nodes (for line numbers) and the data.
        node = loader.get_single_node()
        if node is not None:
            _refuse_deep_nodes(node)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        # Staff see the line where the broken value starts, in Vietnamese (never the parser's English).
        from .yaml_hints import diagnose

        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line, message = diagnose(head, mark.line + 2 if mark else None)
        raise FrontMatterError(message, line) from None
    finally:
        loader.dispose()
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise FrontMatterError("phần khai báo phải là các dòng 'tên trường: giá trị'", 2)
    lines = {}
    for key_node, value_node in node.value:
        lines[key_node.value] = key_node.start_mark.line + 2
        # Nested items (legal_bases[0].number) get their own lines too.
        if isinstance(value_node, yaml.SequenceNode):
            for i, item in enumerate(value_node.value):
                lines[f"{key_node.value}[{i}]"] = item.start_mark.line + 2
                if isinstance(item, yaml.MappingNode):
                    for k, _v in item.value:
                        lines[f"{key_node.value}[{i}].{k.value}"] = k.start_mark.line + 2
        elif isinstance(value_node, yaml.MappingNode):
            for k, _v in value_node.value:
                lines[f"{key_node.value}.{k.value}"] = k.start_mark.line + 2
    return data, lines
