"""NFC, folding and slugs for Vietnamese text.

The browser mirror of :func:`fold` lives in ``theme/static/js/fold.js``; a test runs
both over the same table and requires identical output, so change them together.
"""

import re
import unicodedata

# Combining diacritical marks block: every Vietnamese tone and vowel mark decomposes into
# it under NFD. The JS mirror strips exactly this range, so both sides agree on any input.
_COMBINING = re.compile("[\u0300-\u036f]")
# đ/Đ are letters of their own and do not decompose under NFD: map them explicitly.
_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})
# Layout spaces legacy CMSs leave behind (NBSP, thin/figure spaces, zero-width).
_SPACE_LIKE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\ufeff]")


def nfc(text):
    """Return *text* in Unicode NFC (TCVN 6909:2001)."""
    return unicodedata.normalize("NFC", text)


def fold(text):
    """Fold for matching: NFC, strip tone marks, đ→d, lowercase."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = _COMBINING.sub("", decomposed).translate(_D_MAP)
    return unicodedata.normalize("NFC", stripped).lower()


def collapse_spaces(text):
    """Turn NBSP and other layout spaces into plain spaces and squeeze runs of them."""
    text = _ZERO_WIDTH.sub("", _SPACE_LIKE.sub(" ", text))
    return re.sub(r"[ \t]+", " ", text).strip()


def slugify(text, max_words=None):
    """ASCII slug: "Đẩy mạnh cải cách" → "day-manh-cai-cach"."""
    words = re.findall(r"[a-z0-9]+", fold(text))
    if max_words:
        words = words[:max_words]
    return "-".join(words)


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text):
    """*text* as one line that shows what it holds: control characters and line separators
    written as escapes (CR LF → \\x0d\\x0a), so a message quoting hostile input stays one line."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                            else f"\\u{ord(m.group()):04x}", text)
