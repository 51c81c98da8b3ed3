"""NFC, folding and slugs for Vietnamese text.

The browser mirror of :func:`fold` lives in ``theme/static/js/fold.js``; a test runs
both over the same table and requires identical output, so change them together.
"""

import hashlib
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


# The longest slug a URL segment (a folder of the site, a post's file name) may have. A file name
# has at most 255 bytes on the usual file systems; 200 leaves room for what is added to a slug
# (".md", the temporary name of write_whole, ".br"/".gz" copies) and is far above any real
# address (the importer writes at most 80; the seed's longest is 57).
MAX_SLUG = 200


def short_slug(slug, limit=MAX_SLUG):
    """*slug* when it has at most *limit* characters; otherwise its beginning, cut between words,
    then "-" and 8 hex digits of a digest of the whole slug: the same text always gives the same
    short slug (it is stable), and two long texts that begin alike still get different ones."""
    if len(slug) <= limit:
        return slug
    digest = hashlib.blake2b(slug.encode("ascii", "replace"), digest_size=4).hexdigest()
    head = slug[: limit - len(digest)]  # one character more than fits, for the cut
    cut = head.rfind("-")
    head = head[:cut] if cut > limit // 2 else head[:-1]  # between words, unless one word is most of it
    return f"{head.rstrip('-')}-{digest}"
