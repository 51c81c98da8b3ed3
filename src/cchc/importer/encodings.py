"""Step 1, bytes → text: BOM, declared charset, detection, and the pre-Unicode Vietnamese font encodings.

Order: a byte-order mark; valid UTF-8; the charset the page declares (``<meta charset>``,
``http-equiv``, an XML declaration); otherwise detection with charset-normalizer. Whatever the
bytes were, the text is then checked for the two font encodings Vietnamese offices used before
Unicode, which every charset decodes "successfully" into nonsense:

* **TCVN3 (ABC)**, fonts ``.VnTime``/``.VnArial``: one byte per letter, "Phát triển" is stored as
  "Ph¸t triÓn"; capitals with marks come from separate fonts (``.VnTimeH``) and use the same bytes
  as the small letters, so they cannot be told apart from the bytes (reported);
* **VNI Windows**, fonts ``VNI-Times``: a letter then a mark byte, "Phát triển" is "Phaùt trieån".

Both are converted to Unicode (NFC) and the record says so. Every decision is returned with a
Vietnamese note for the report.
"""

import re
import unicodedata

# --- TCVN3 (ABC, TCVN 5712:1993 VN3): byte (as Latin-1) → letter ------------------------------------
_TCVN3_FROM = ("µ¸¶·¹" "¨»¾¼½Æ" "©ÇÊÈÉË" "®" "ÌÐÎÏÑ" "ªÒÕÓÔÖ" "×ÝØÜÞ" "ßãáâä" "«åèæçé" "¬êíëìî"
               "ïóñòô" "\u00adõøö÷ù" "úýûüþ" "¡¢§£¤¥¦")
_TCVN3_TO = ("àáảãạ" "ăằắẳẵặ" "âầấẩẫậ" "đ" "èéẻẽẹ" "êềếểễệ" "ìíỉĩị" "òóỏõọ" "ôồốổỗộ" "ơờớởỡợ"
             "ùúủũụ" "ưừứửữự" "ỳýỷỹỵ" "ĂÂĐÊÔƠƯ")
assert len(_TCVN3_FROM) == len(_TCVN3_TO)
_TCVN3 = str.maketrans(_TCVN3_FROM, _TCVN3_TO)
# Bytes that stand for letters in TCVN3 but are symbols (never letters) in Latin-1 text.
_TCVN3_SIGNS = re.compile("[¸µ¶¹¬¨¾¼½\u00ad]")

# --- VNI Windows: a base letter followed by a mark byte --------------------------------------------
_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_CIRCUMFLEX = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}


def _vni_pairs():
    pairs = {}
    for base in "aeiouyAEIOUY":
        for mark, tone in _TONES.items():
            pairs[base + mark] = base + tone
            pairs[base + mark.upper()] = base + tone
    for base in "aeoAEO":
        for mark, tone in _CIRCUMFLEX.items():
            pairs[base + mark] = base + "\u0302" + tone
            pairs[base + mark.upper()] = base + "\u0302" + tone
    for base in "aA":
        for mark, tone in _BREVE.items():
            pairs[base + mark] = base + "\u0306" + tone
            pairs[base + mark.upper()] = base + "\u0306" + tone
    for base, letter in (("ô", "ơ"), ("Ô", "Ơ"), ("ö", "ư"), ("Ö", "Ư")):
        for mark, tone in _TONES.items():
            pairs[base + mark] = letter + tone
            pairs[base + mark.upper()] = letter + tone
    return {k: unicodedata.normalize("NFC", v) for k, v in pairs.items()}


_VNI_PAIRS = _vni_pairs()
_VNI_SINGLE = {"ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư", "ñ": "đ", "Ñ": "Đ", "æ": "ỉ", "Æ": "Ỉ",
               "ó": "ĩ", "Ó": "Ĩ", "ò": "ị", "Ò": "Ị", "î": "ỵ", "Î": "Ỵ"}
_MARKS = "".join(sorted({k[1] for k in _VNI_PAIRS}))
_VNI_RE = re.compile(f"[aeiouyAEIOUYôÔöÖ][{_MARKS}]|[{''.join(_VNI_SINGLE)}]")
# A vowel then a mark byte that no Vietnamese (or French, Latin…) word has: "aù", "eå", "oï", "ñoå".
_VNI_SIGNS = re.compile("[aeoyAEOY][ùøûõïåäëüÙØÛÕÏÅÄËÜ]|ñ[aeiouô]")


def tcvn3_to_unicode(text):
    """TCVN3 (ABC) text read as Latin-1 → Unicode NFC (capitals with marks stay small: see module)."""
    return unicodedata.normalize("NFC", text.translate(_TCVN3))


def vni_to_unicode(text):
    """VNI Windows text read as Latin-1 → Unicode NFC."""
    def repl(m):
        s = m.group(0)
        if s in _VNI_PAIRS:
            return _VNI_PAIRS[s]
        return _VNI_SINGLE.get(s[0], s[0]) + s[1:]
    return unicodedata.normalize("NFC", _VNI_RE.sub(repl, text))


def legacy_font(text):
    """"tcvn3", "vni" or None: which pre-Unicode font encoding *text* (read as Latin-1) is in."""
    sample = text[:200_000]
    letters = sum(1 for c in sample if c.isalpha()) or 1
    if sum(1 for c in sample if c.isascii() and c.isalpha()) < 0.6 * letters:
        return None  # both encodings write mostly plain ASCII letters: this is something else
    tcvn = len(_TCVN3_SIGNS.findall(sample))
    vni = len(_VNI_SIGNS.findall(sample))
    if tcvn >= 3 and tcvn / letters > 0.004 and tcvn > vni:
        return "tcvn3"
    if vni >= 3 and vni / letters > 0.004:
        return "vni"
    return None


class UnreadableBytes(ValueError):
    """Bytes no decoding makes sense of; the message is Vietnamese."""


_DECLARED = (
    re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I),
    re.compile(rb"^\s*<\?xml[^>]+encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)", re.I),
)
_WESTERN = {"iso-8859-1", "latin-1", "latin1", "l1", "iso8859-1", "windows-1252", "cp1252", "us-ascii",
            "ascii", "iso-8859-15", "cp1250", "windows-1250", "mac_roman", "macroman"}


def declared_charset(data):
    """The charset a page declares in its first 4 KB, lower case, or None."""
    for regex in _DECLARED:
        m = regex.search(data[:4096])
        if m:
            return m.group(1).decode("ascii").lower()
    return None


def decode(data):
    """Bytes → (text, notes): notes are Vietnamese sentences for the report ([] for plain UTF-8)."""
    notes = []
    if data.startswith(b"\xef\xbb\xbf"):
        text, how = data[3:].decode("utf-8", errors="strict"), None
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, how = data.decode("utf-16"), "UTF-16 (có dấu BOM)"
    else:
        text, how = _decode_unmarked(data, notes)
    if how:
        notes.append(f"trang được lưu với bảng mã {how}, đã chuyển sang UTF-8; hãy soát lại dấu tiếng Việt")
    font = legacy_font(text)
    if font == "tcvn3":
        text = tcvn3_to_unicode(text)
        notes.append("trang viết bằng bảng mã TCVN3 (ABC, phông .VnTime) trước Unicode: đã chuyển sang Unicode; "
                     "chữ HOA có dấu (phông .VnTimeH) có thể thành chữ thường, hãy soát lại tiêu đề và tên riêng")
    elif font == "vni":
        text = vni_to_unicode(text)
        notes.append("trang viết bằng bảng mã VNI (phông VNI-Times) trước Unicode: đã chuyển sang Unicode; "
                     "hãy soát lại dấu tiếng Việt")
    return text, notes


def _decode_unmarked(data, notes):
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data)
    if declared:
        try:
            text = data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            notes.append(f"trang khai báo bảng mã “{declared}” nhưng không đọc được theo bảng mã đó")
        else:
            return text, declared
    latin = data.decode("latin-1")
    if legacy_font(latin):
        return latin, None  # the font encodings are converted by the caller
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise UnreadableBytes("không nhận ra bảng mã của tệp (không phải UTF-8, không khai báo bảng mã, "
                              "không đoán được); hãy mở tệp và lưu lại với mã UTF-8")
    if best.encoding.replace("-", "_").lower() not in _VIETNAMESE:
        raise UnreadableBytes(f"không nhận ra bảng mã của tệp: không phải UTF-8, không khai báo bảng mã, và "
                              f"bảng mã đoán được ({best.encoding}) không viết được tiếng Việt; hãy mở tệp và lưu "
                              "lại với mã UTF-8")
    notes.append("bảng mã được đoán tự động (charset-normalizer), có thể sai")
    return str(best), f"{best.encoding} (đoán tự động, trang không khai báo)"


# Charsets that can hold Vietnamese text (what a guess must be to be trusted).
_VIETNAMESE = {"cp1258", "windows_1258", "viscii", "tcvn", "utf_8", "utf_16", "utf_16_le", "utf_16_be", "utf_32",
               "utf_32_le", "utf_32_be", "ascii"}
