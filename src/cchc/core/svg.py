"""SVG images staff may publish: drawings only, checked against an allowlist of the parsed XML.

An SVG opened on its own is a document that runs script, follows links and loads other
files. So an SVG under content/files/ or content/images/ is parsed as a browser parses it
(lxml: namespaces, any encoding the XML declaration or byte-order mark names, character
references resolved; no DTD or external entity ever loaded) and refused, with the line
and a Vietnamese reason, unless every element is an SVG drawing element, every attribute a
drawing attribute, and no attribute or style refers to anything but the file itself
(``#id``) or an embedded raster image (``data:image/png;base64,…``).

Refused rather than rewritten: the files come from staff, who can re-export them (Inkscape's
"Plain SVG", or PNG); a silently changed drawing would hide what was wrong. No maintained
Python library validates SVG this way (the sanitisers rewrite, and only for HTML-embedded SVG),
hence the tables below, kept as data like cchc.core.sanitize's.
"""

import re

from lxml import etree

# The Content-Security-Policy every server sends with an SVG (the preview server; deploy/ samples,
# which tests/site/test_deploy_headers.py holds to this text): the file runs nothing even if a
# check were missed. Embedded raster images and inline styles are what drawings need.
POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox"

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# Editors' own data: browsers ignore elements and attributes in these namespaces.
EDITOR_NS = frozenset({"http://www.inkscape.org/namespaces/inkscape",
                       "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"})
# The licence and author record inside <metadata> (Inkscape writes it): never rendered.
METADATA_NS = frozenset({"http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://creativecommons.org/ns#",
                         "http://purl.org/dc/elements/1.1/"})

ELEMENTS = frozenset({
    "svg", "g", "defs", "desc", "title", "metadata", "symbol", "use", "switch",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textPath",
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker", "image", "style",
    "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix",
    "feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood", "feFuncA",
    "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feImage", "feMerge", "feMergeNode",
    "feMorphology", "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile",
    "feTurbulence",
    "animate", "animateMotion", "animateTransform", "set", "mpath",
})
ANIMATIONS = frozenset({"animate", "animateMotion", "animateTransform", "set"})
# Named with their own reason (everything else not in ELEMENTS gets the general one).
ACTIVE = frozenset({"script", "foreignObject", "handler", "listener", "iframe", "object", "embed", "a",
                    "audio", "video", "canvas", "cursor", "font-face-uri", "discard", "animation"})

ATTRIBUTES = frozenset({
    # core, the root element, geometry
    "id", "class", "style", "lang", "tabindex", "role", "focusable", "version", "baseProfile",
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr", "d", "points",
    "width", "height", "viewBox", "preserveAspectRatio", "zoomAndPan", "transform", "transform-origin",
    "pathLength", "href",
    # text
    "dx", "dy", "rotate", "textLength", "lengthAdjust", "startOffset", "method", "spacing", "side",
    # paint servers, clipping, masking, markers
    "gradientUnits", "gradientTransform", "spreadMethod", "offset", "patternUnits",
    "patternContentUnits", "patternTransform", "clipPathUnits", "maskUnits", "maskContentUnits",
    "markerUnits", "markerWidth", "markerHeight", "refX", "refY", "orient",
    # filters
    "filterUnits", "primitiveUnits", "in", "in2", "result", "stdDeviation", "edgeMode", "mode", "type",
    "values", "operator", "k1", "k2", "k3", "k4", "order", "kernelMatrix", "divisor", "bias", "targetX",
    "targetY", "preserveAlpha", "surfaceScale", "diffuseConstant", "specularConstant",
    "specularExponent", "kernelUnitLength", "scale", "xChannelSelector", "yChannelSelector", "azimuth",
    "elevation", "z", "pointsAtX", "pointsAtY", "pointsAtZ", "limitingConeAngle", "tableValues",
    "slope", "intercept", "amplitude", "exponent", "radius", "baseFrequency", "numOctaves", "seed",
    "stitchTiles",
    # presentation attributes
    "alignment-baseline", "baseline-shift", "clip", "clip-path", "clip-rule", "color",
    "color-interpolation", "color-interpolation-filters", "color-rendering", "direction", "display",
    "dominant-baseline", "enable-background", "fill", "fill-opacity", "fill-rule", "filter",
    "flood-color", "flood-opacity", "font", "font-family", "font-size", "font-size-adjust",
    "font-stretch", "font-style", "font-variant", "font-weight", "glyph-orientation-horizontal",
    "glyph-orientation-vertical", "image-rendering", "isolation", "kerning", "letter-spacing",
    "lighting-color", "marker", "marker-start", "marker-mid", "marker-end", "mask", "mix-blend-mode",
    "opacity", "overflow", "paint-order", "pointer-events", "shape-rendering", "stop-color",
    "stop-opacity", "stroke", "stroke-dasharray", "stroke-dashoffset", "stroke-linecap",
    "stroke-linejoin", "stroke-miterlimit", "stroke-opacity", "stroke-width", "text-anchor",
    "text-decoration", "text-rendering", "unicode-bidi", "vector-effect", "visibility", "word-spacing",
    "writing-mode",
    # <style>, <switch>
    "media", "requiredFeatures", "systemLanguage",
    # animation (what it may change is checked apart)
    "attributeName", "attributeType", "from", "to", "by", "begin", "dur", "end", "min", "max",
    "restart", "repeatCount", "repeatDur", "calcMode", "keyTimes", "keySplines", "keyPoints",
    "additive", "accumulate", "path",
})
# aria-label, data-name (Illustrator): inert.
ATTRIBUTE_PREFIXES = ("aria-", "data-")
# Attributes an animation must never set: links (href) and event handlers (on…).
_LINK_NAMES = frozenset({"href"})
# The only data: URLs allowed: raster images (a browser decodes them as pictures, never as a document).
_RASTER_DATA = re.compile(r"data:image/(png|jpeg|jpg|gif|webp|avif);base64,[a-z0-9+/=]*$")
_URL_FUNCTION = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*:")
# Text to look for a scheme in: no white space or control characters (browsers skip them in a
# URL, "java\tscript:" is "javascript:"), lower case.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f]+")
_LITERAL = r"""(?:"[^"]*"|'[^']*')"""
_PLAIN_DOCTYPE = re.compile(rf"<!DOCTYPE\s+[\w:.-]+(?:\s+(?:SYSTEM|PUBLIC\s+{_LITERAL})\s+{_LITERAL})?\s*>")
ENCODINGS = frozenset({"utf-8", "utf8", "us-ascii", "ascii", "utf-16", "utf-16le", "utf-16be"})

HOW = "hãy xóa phần đó rồi lưu lại ảnh (Inkscape: Lưu thành → Plain SVG), hoặc xuất ảnh dạng PNG"


def _name(el):
    """The element's name as written in the file (prefix:local)."""
    local = etree.QName(el).localname
    return f"{el.prefix}:{local}" if el.prefix else local


def _compact(value):
    return _IGNORED_IN_URL.sub("", value).lower()


def _reference_problem(target, image):
    """Why the URL *target* (of href, url(…)) may not be in a published SVG, or None.
    *image*: the target is a picture to draw (<image>, <feImage>), where a raster data: URL is fine."""
    url = _compact(target)
    if url.startswith("#") or url == "":
        return None
    if image and _RASTER_DATA.match(url):
        return None
    if url.startswith(("javascript:", "vbscript:")):
        return f"địa chỉ {url.split(':', 1)[0]}: là mã chạy được"
    if url.startswith("data:"):
        return "địa chỉ data: (chỉ nhận ảnh PNG, JPEG, GIF, WebP, AVIF nhúng dạng base64 trong <image>)"
    return ("tham chiếu ra ngoài tệp (ảnh chỉ được dùng phần của chính nó, “#…”; ảnh con phải nhúng vào "
            "tệp dạng data:image/png;base64)")


def _css_problem(css):
    """Why the CSS *css* (a style attribute or <style>) may not be published, or None."""
    if "\\" in css:
        return "CSS có ký tự “\\” (mã thoát CSS có thể che một địa chỉ)"
    compact = _compact(css)
    if "@import" in compact:
        return "CSS có @import (nạp tệp từ ngoài)"
    if "expression(" in compact or "javascript:" in compact or "vbscript:" in compact:
        return "CSS có mã chạy được"
    for m in _URL_FUNCTION.finditer(css):
        why = _reference_problem(m.group(2), image=False)
        if why:
            return f"CSS url({m.group(2).strip()[:60]}): {why}"
    # Other ways CSS names a URL (image-set("…"), src("…")): a scheme or // in any string.
    for m in re.finditer(r"(['\"])(.*?)\1", css, re.DOTALL):
        text = _compact(m.group(2))
        if text.startswith("//") or (_SCHEME.match(text) and not _RASTER_DATA.match(text)):
            return f"CSS có địa chỉ “{m.group(2)[:60]}” (tham chiếu ra ngoài tệp)"
    return None


def _value_problem(value):
    """Any attribute: no script URL, no data: document, no address elsewhere."""
    compact = _compact(value)
    for scheme in ("javascript:", "vbscript:"):
        if scheme in compact:
            return f"địa chỉ {scheme} là mã chạy được"
    if "url(" in compact:
        return _css_problem(value)
    if "data:" in compact:
        return "địa chỉ data: (nội dung nhúng)"
    if "://" in compact or compact.startswith("//"):
        return "địa chỉ ra ngoài tệp"
    return None


def _element_problem(el, in_metadata):
    """The reason the element *el* itself (not its children) may not be published, or None."""
    qname = etree.QName(el)
    name = _name(el)
    ns, local = qname.namespace, qname.localname
    if ns == SVG_NS:
        if local in ACTIVE:
            return f"có thẻ <{name}> (mã chạy được, liên kết hoặc nội dung nhúng)"
        if local not in ELEMENTS:
            return f"có thẻ <{name}>, không phải thẻ hình vẽ SVG"
    elif ns in EDITOR_NS or (in_metadata and ns in METADATA_NS):
        pass
    elif ns is None:
        return f"có thẻ <{name}> không thuộc SVG (không có namespace SVG)"
    else:
        return f"có thẻ <{name}> của namespace {ns}, không phải hình vẽ SVG (có thể chạy mã)"
    if ns == SVG_NS and local in ANIMATIONS:
        target = (el.get("attributeName") or "").strip()
        tlocal = target.rsplit(":", 1)[-1].lower()
        if tlocal in _LINK_NAMES or tlocal.startswith("on") or tlocal == "style":
            return (f"có thẻ <{name}> đổi thuộc tính {target} (biến hình vẽ thành liên kết hay mã chạy "
                    "được khi bấm vào)")
    prefixes = {uri: prefix for prefix, uri in el.nsmap.items()} if el.attrib else {}
    prefixes[XML_NS] = "xml"
    for attr, value in el.attrib.items():
        aq = etree.QName(attr)
        aname = f"{prefixes.get(aq.namespace, '?')}:{aq.localname}" if aq.namespace else aq.localname
        where = f"thuộc tính {aname}=“{value.strip()[:60]}” trên thẻ <{name}>"
        if aq.localname.lower().startswith("on"):
            return f"có {where}: mã chạy khi mở hay bấm vào ảnh"
        if in_metadata and ns in METADATA_NS:
            continue  # rdf:about, rdf:resource: names of the licence, never fetched
        link = aq.localname in _LINK_NAMES and aq.namespace in (None, XLINK_NS)
        plain = aq.namespace is None and (aq.localname in ATTRIBUTES
                                          or aq.localname.startswith(ATTRIBUTE_PREFIXES))
        known = (link or plain or aq.namespace in EDITOR_NS
                 or (aq.namespace == XML_NS and aq.localname in ("space", "lang")))
        if ns == SVG_NS and not known:
            return f"có {where}, không phải thuộc tính hình vẽ SVG"
        if link:
            why = _reference_problem(value, image=local in ("image", "feImage"))
        elif aq.localname == "style" and aq.namespace is None:
            why = _css_problem(value)
        else:
            why = _value_problem(value)
        if why:
            return f"có {where}: {why}"
    if ns == SVG_NS and local == "style":
        why = _css_problem("".join(el.itertext()))
        if why:
            return f"có thẻ <style>: {why}"
    return None


def _doctype_subset(data, encoding):
    """None when every DOCTYPE in *data* is a bare name with an optional public/system id, else
    [line] of the first with anything more (an internal subset; [None]: not found in the text).
    lxml shows no ATTLIST of an internal subset, whose default attributes a browser would add,
    and applying them would load the DTD: so the text is read."""
    codec = encoding
    if encoding.startswith("utf-16") and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16-le" if data[1:2] == b"\0" else "utf-16-be"
    text = data.decode(codec, errors="replace")
    starts = [m.start() for m in re.finditer("<!DOCTYPE", text)]
    for i in starts:
        if not _PLAIN_DOCTYPE.match(text, i):
            return [text.count("\n", 0, i) + 1]
    return None if starts else [None]


def problem(data):
    """(line, Vietnamese reason) of the first thing in the SVG bytes *data* that may not be
    published, or None when it is a plain drawing."""
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, dtd_validation=False,
                             huge_tree=False, remove_comments=True, recover=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno and exc.lineno > 0 else None
        return line, (f"không đọc được ảnh SVG (lỗi XML: {exc.msg}); hãy lưu lại ảnh từ chương trình vẽ, "
                      "hoặc xuất ảnh dạng PNG")
    except ValueError as exc:  # lxml refuses some inputs before parsing (e.g. an unknown encoding)
        return None, f"không đọc được ảnh SVG ({exc}); hãy lưu lại ảnh với mã UTF-8, hoặc xuất ảnh dạng PNG"
    tree = root.getroottree()
    encoding = (tree.docinfo.encoding or "utf-8").lower()
    if encoding not in ENCODINGS:
        return None, (f"ảnh SVG dùng bảng mã {tree.docinfo.encoding}; trình duyệt và bước kiểm tra có thể đọc "
                      "khác nhau: hãy lưu lại ảnh với mã UTF-8")
    subset = _doctype_subset(data, encoding) if tree.docinfo.internalDTD is not None else None
    if subset:
        return subset[0], ("ảnh SVG có khai báo DOCTYPE riêng ([<!ENTITY …>], [<!ATTLIST …>]): trình duyệt dùng nó "
                      f"để thay chữ hay thêm thuộc tính mà bước kiểm tra không thấy; {HOW}")
    for node in tree.getroot().itersiblings(preceding=True):
        if isinstance(node, etree._ProcessingInstruction):
            return node.sourceline, (f"ảnh SVG có chỉ dẫn <?{node.target} …?> (có thể nạp tệp XSLT hay CSS từ "
                                     f"ngoài); {HOW}")
    if etree.QName(root).localname != "svg":
        return root.sourceline, f"tệp không phải ảnh SVG (thẻ gốc là <{_name(root)}>, không phải <svg>); {HOW}"
    if etree.QName(root).namespace != SVG_NS:
        return root.sourceline, ("ảnh SVG có thẻ gốc <svg> không có namespace SVG (trình duyệt không vẽ nó); "
                                 'hãy thêm xmlns="http://www.w3.org/2000/svg", hoặc xuất ảnh dạng PNG')
    metadata = etree.QName(SVG_NS, "metadata").text
    for el in root.iter():
        if isinstance(el, etree._ProcessingInstruction):
            return el.sourceline, f"ảnh SVG có chỉ dẫn <?{el.target} …?>; {HOW}"
        if isinstance(el, etree._Entity):
            return el.sourceline, f"ảnh SVG dùng thực thể (entity) &{el.name}; không được khai báo; {HOW}"
        if not isinstance(el.tag, str):
            continue
        in_metadata = any(a.tag == metadata for a in el.iterancestors())
        why = _element_problem(el, in_metadata)
        if why:
            return el.sourceline, f"ảnh SVG {why}; {HOW}"
    return None
