"""Legacy encodings: declared charsets and BOMs, undeclared pages detected with charset-normalizer,
and the pre-Unicode Vietnamese font encodings TCVN3 (ABC) and VNI converted (or reported)."""

import unicodedata

import pytest

from cchc.importer.encodings import _TCVN3_FROM, _TCVN3_TO, _VNI_PAIRS, _VNI_SINGLE, legacy_font
from test_import import do_import, front_matter

TITLE = "Đẩy mạnh cải cách hành chính ở huyện Tam Dương"
BODY = ("UBND huyện Tam Dương tiếp tục đẩy mạnh cải cách thủ tục hành chính, nâng cao chất lượng "
        "phục vụ người dân và doanh nghiệp tại bộ phận một cửa. Các xã, thị trấn thực hiện nghiêm túc kế hoạch.")


def as_tcvn3(text):
    table = {u: t for t, u in zip(_TCVN3_FROM, _TCVN3_TO)}
    return "".join(table.get(c, c) for c in unicodedata.normalize("NFC", text))


def as_vni(text):
    back = {unicodedata.normalize("NFC", u): v for v, u in _VNI_PAIRS.items() if v[1].islower() == v[0].islower()}
    back.update({u: v for v, u in _VNI_SINGLE.items()})
    return "".join(back.get(c, c) for c in unicodedata.normalize("NFC", text))


def page(title, body, charset=None):
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    return f"<html><head>{meta}</head><body><h1>{title}</h1><p>25/11/2021</p><p>{body}</p></body></html>"


def test_round_trip_tables():
    assert as_tcvn3("Phát triển") == "Ph¸t triÓn" and as_vni("Phát triển") == "Phaùt trieån"
    assert legacy_font(as_tcvn3(BODY)) == "tcvn3" and legacy_font(as_vni(BODY)) == "vni"
    assert legacy_font(BODY) is None and legacy_font("Café, naïve, Ærø") is None


@pytest.mark.parametrize("encode, charset, said", [
    (lambda t: as_tcvn3(t).encode("latin-1"), "iso-8859-1", "TCVN3"),  # a .VnTime page saved as Latin-1
    (lambda t: as_vni(t).encode("cp1252"), None, "VNI"),  # a VNI-Times page, no declaration
    (lambda t: as_tcvn3(t).encode("utf-8"), "utf-8", "TCVN3"),  # TCVN3 glyphs kept inside UTF-8
])
def test_font_encodings_are_converted_and_reported(tmp_path, encode, charset, said):
    title = TITLE.replace("Đẩy", "đẩy").replace("Tam Dương", "tam dương")  # TCVN3 capitals with marks are lost
    src = tmp_path / "cu.htm"
    src.write_bytes(encode(page(title, BODY, charset)))
    proc, entries, into = do_import(tmp_path, src)
    e = entries[0]
    assert e["title"] == title, e["warnings"]
    _meta, body = front_matter(e["output"])
    assert body.strip() == BODY
    assert e["status"] == "needs_review" and any(said in w for w in e["warnings"])


def test_utf16_with_bom(tmp_path):
    src = tmp_path / "u16.htm"
    src.write_bytes(page(TITLE, BODY).encode("utf-16"))
    _proc, entries, _ = do_import(tmp_path, src)
    assert entries[0]["title"] == TITLE and any("UTF-16" in w for w in entries[0]["warnings"])


def as_cp1258(text):
    """How Windows-1258 writes Vietnamese: a precomposed base letter + a combining tone mark."""
    out = []
    for char in text:
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", char)
            tones = "".join(m for m in d[1:] if m in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", d[0] + "".join(m for m in d[1:] if m not in tones))
            out.append((base + tones).encode("cp1258"))
    return b"".join(out)


def test_declared_windows_1258_page_is_decoded_and_flagged(tmp_path):
    from conftest import run_cchc

    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258"></head>'
            "<body><h1>Cải cách hành chính ở huyện Tam Dương</h1><p>25/11/2021</p>"
            "<p>UBND huyện Tam Dương tuyên truyền cải cách hành chính.</p></body></html>")
    page = tmp_path / "cu.htm"
    page.write_bytes(as_cp1258(html))
    proc, entries, _ = do_import(tmp_path, page)
    assert proc.returncode == 0
    assert entries[0]["title"] == "Cải cách hành chính ở huyện Tam Dương"  # NFC again
    assert entries[0]["date"] == "2021-11-25T00:00:00+07:00"
    assert any("windows-1258" in w for w in entries[0]["warnings"])
    assert run_cchc("check", tmp_path / "content").returncode == 0


def test_undeclared_windows_1258_is_detected(tmp_path):
    src = tmp_path / "cu.txt"
    src.write_bytes(as_cp1258(f"{TITLE}\n25/11/2021\n\n{BODY}\n{BODY}\n"))
    _proc, entries, _ = do_import(tmp_path, src)
    e = entries[0]
    assert e["title"] == TITLE and any("đoán tự động" in w for w in e["warnings"]), e["warnings"]


def test_bytes_nothing_can_read_fail_with_a_clear_reason(tmp_path):
    import random

    rnd = random.Random(1)
    src = tmp_path / "rac.txt"
    src.write_bytes(bytes(rnd.randrange(128, 256) for _ in range(400)))
    proc, entries, _ = do_import(tmp_path, src)
    assert proc.returncode == 1 and entries[0]["status"] == "failed"
    assert "UTF-8" in entries[0]["warnings"][0] and "bảng mã" in entries[0]["warnings"][0]
