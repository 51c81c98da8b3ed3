"""Rule tables for the Vietnamese text core: folding, slugs, dates, document numbers."""

import datetime as dt
import unicodedata

import pytest

from cchc.core import find_doc_numbers, fold, format_vi_date, parse_doc_number, parse_vi_date, slugify
from cchc.core.dates import DateError
from cchc.core.text import collapse_spaces


@pytest.mark.parametrize("text, folded", [
    ("Cải cách hành chính", "cai cach hanh chinh"),
    ("Đạo đức công vụ", "dao duc cong vu"),
    ("ĐẨY MẠNH", "day manh"),
    (unicodedata.normalize("NFD", "Tây Hồ"), "tay ho"),
    ("14460/QĐ-UBND", "14460/qd-ubnd"),
    ("Thõa mãn, ủy quyền, hoá", "thoa man, uy quyen, hoa"),
    ("ASCII only", "ascii only"),
])
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize("text, slug", [
    ("Đẩy mạnh cải cách", "day-manh-cai-cach"),
    ("Quận Tây Hồ thực hiện Cải cách hành chính nhà nước giai đoạn 2021-2025",
     "quan-tay-ho-thuc-hien-cai-cach-hanh-chinh-nha-nuoc-giai-doan-2021-2025"),
    ("CẢI CÁCH HÀNH CHÍNH: “5 dễ”!", "cai-cach-hanh-chinh-5-de"),
    (unicodedata.normalize("NFD", "Đồng Nai"), "dong-nai"),
    ("Trung tâm VH-TT&TT Tây Hồ", "trung-tam-vh-tt-tt-tay-ho"),
])
def test_slugify(text, slug):
    assert slugify(text) == slug
    assert slug.isascii()


def test_collapse_spaces_removes_nbsp_padding():
    assert collapse_spaces("\u00a0\u00a0 Nguyễn Văn Huấn\u00a0 ") == "Nguyễn Văn Huấn"


VN = dt.timezone(dt.timedelta(hours=7))


@pytest.mark.parametrize("text, expected", [
    ("25/11/2021", dt.datetime(2021, 11, 25, tzinfo=VN)),
    ("02/07/2021 15:39", dt.datetime(2021, 7, 2, 15, 39, tzinfo=VN)),
    ("14/05/2015 10:06:10", dt.datetime(2015, 5, 14, 10, 6, 10, tzinfo=VN)),
    ("29-12-2022 05:44:00", dt.datetime(2022, 12, 29, 5, 44, tzinfo=VN)),
    ("12/05/2016 04:00:00 PM", dt.datetime(2016, 5, 12, 16, 0, tzinfo=VN)),
    ("3/2/2021", dt.datetime(2021, 2, 3, tzinfo=VN)),
    ("2021-11-25", dt.datetime(2021, 11, 25, tzinfo=VN)),
])
def test_parse_day_first(text, expected):
    got = parse_vi_date(text)
    assert got == expected
    assert got.utcoffset() == dt.timedelta(hours=7)


@pytest.mark.parametrize("text", ["11/25/2021", "1/1/0001", "31/02/2021", "hôm qua", "2021", "25/11"])
def test_parse_rejects(text):
    with pytest.raises(DateError):
        parse_vi_date(text)


@pytest.mark.parametrize("text, long", [
    ("25/11/2021", "ngày 25 tháng 11 năm 2021"),
    ("03/11/2021", "ngày 03 tháng 11 năm 2021"),
    ("02/07/2021", "ngày 02 tháng 7 năm 2021"),
    ("05/02/2022", "ngày 05 tháng 02 năm 2022"),
])
def test_official_long_date(text, long):
    assert format_vi_date(parse_vi_date(text)) == long


@pytest.mark.parametrize("text, canonical, slug", [
    ("179/KH-UBND", "179/KH-UBND", "179-kh-ubnd"),
    ("2866/QĐ-UBND", "2866/QĐ-UBND", "2866-qd-ubnd"),
    ("76/NQ-CP", "76/NQ-CP", "76-nq-cp"),
    ("23/CT-TTg", "23/CT-TTg", "23-ct-ttg"),
    ("93/2007/QĐ-TTg", "93/2007/QĐ-TTg", "93-2007-qd-ttg"),
    ("30c/NQ-CP", "30c/NQ-CP", "30c-nq-cp"),
    ("4912/UBND-NC", "4912/UBND-NC", "4912-ubnd-nc"),
    ("16-NQ/TU", "16-NQ/TU", "16-nq-tu"),
    ("07-Ctr/QU", "07-Ctr/QU", "07-ctr-qu"),
    ("07-CTr/QU", "07-CTr/QU", "07-ctr-qu"),
    ("48-KL/TW", "48-KL/TW", "48-kl-tw"),
    ("179 / KH - UBND", "179/KH-UBND", "179-kh-ubnd"),
    ("14460/QĐ-UBND.", "14460/QĐ-UBND", "14460-qd-ubnd"),
    ("35/2023/UBTVQH15", "35/2023/UBTVQH15", "35-2023-ubtvqh15"),  # a term number ends the symbol
    ("80/2015/QH13", "80/2015/QH13", "80-2015-qh13"),
])
def test_doc_numbers(text, canonical, slug):
    doc = parse_doc_number(text)
    assert doc is not None and doc.text == canonical and doc.slug == slug


@pytest.mark.parametrize("text", ["29/44", "15/7/2021", "2021-2025", "96,6%", "KH-UBND", "179/", "1578"])
def test_not_doc_numbers(text):
    assert parse_doc_number(text) is None
    assert find_doc_numbers(f"theo {text} của tỉnh") == []


def test_find_in_text_order_and_dedup():
    text = ("Thực hiện Kế hoạch số 136/KH-UBND ngày 01/6/2021; Chương trình số 07-Ctr/QU ngày 19/10/2020; "
            "xếp thứ 29/44; kế hoạch số 224/KH-UBND, nhắc lại 136/KH-UBND.")
    assert [d.text for d in find_doc_numbers(text)] == ["136/KH-UBND", "07-Ctr/QU", "224/KH-UBND"]


def test_unaccented_number_folds_to_same_key():
    assert parse_doc_number("14460/QD-UBND").key == parse_doc_number("14460/QĐ-UBND").key


def test_every_field_kind_has_its_checker():
    """schema.FIELDS says a one-value kind is checked by _check_<kind>: each one exists."""
    from cchc.core import schema

    groups = {"legal_bases", "targets", "changes", "image", "attachment", "relations"}  # checked in validate()
    for name, (_label, kind) in schema.FIELDS.items():
        if kind in groups:
            continue
        base, _, choice = kind.partition(":")
        assert callable(getattr(schema, f"_check_{base}", None)), (name, kind)
        assert not choice or choice in schema.CHOICES, (name, kind)


def test_the_unknown_date_is_a_value_that_stays_unknown():
    """A post with date_status khong-ro gets cchc.core.dates.UNKNOWN_DATE from the reader: it sorts
    after every dated post (newest first), and stays unknown through what Pelican and its content
    cache do to a date (pickle, copy, replace, astimezone); templates and plugins ask is_unknown /
    known instead of testing the status (issue 32)."""
    import copy
    import datetime as dt
    import pickle

    from cchc.core.dates import UNKNOWN_DATE, VN_TZ, is_unknown, known

    dated = dt.datetime(2001, 1, 1, tzinfo=VN_TZ)
    assert sorted([UNKNOWN_DATE, dated], reverse=True) == [dated, UNKNOWN_DATE]
    for value in (pickle.loads(pickle.dumps(UNKNOWN_DATE)), copy.deepcopy(UNKNOWN_DATE),
                  UNKNOWN_DATE.replace(hour=1), UNKNOWN_DATE.astimezone(dt.UTC)):
        assert is_unknown(value) and known(value) is None, repr(value)
    assert known(dated) is dated and not is_unknown(dated)
    assert not is_unknown(None) and known(None) is None


def test_a_store_of_documents_that_cannot_be_loaded_means_validating_every_post(tmp_path, monkeypatch):
    """schema.keep_documents(store): .cache/documents.pickle cut short, or naming a class that an
    older version had, is ignored (the build validates every post), never an error."""
    import pickle

    from cchc.core import schema

    monkeypatch.setattr(schema, "_kept", None)
    monkeypatch.setattr(schema, "_stored", {})
    monkeypatch.setattr(schema, "_store_key", None)
    cut = tmp_path / "cut.pickle"
    cut.write_bytes(pickle.dumps(("k", {}))[:5])
    gone = tmp_path / "gone.pickle"
    # A pickle of an object of a module that does not exist (GLOBAL opcode by hand).
    gone.write_bytes(b"\x80\x04cmodule_da_bo\nLop\n)\x81.")
    for store in (cut, gone, tmp_path / "missing.pickle"):
        schema.keep_documents(store)
        assert schema._stored == {}


def test_what_the_check_derives_from_a_post_is_kept_with_it():
    """schema.derived: a value computed from a Document is kept on it (and so in
    .cache/documents.pickle for the next build): computed once per version of the post."""
    import pickle

    from cchc.core import find_doc_numbers, schema

    doc = schema.Document(path="content/tin-tuc/a.md", meta={}, body="Theo Kế hoạch số 179/KH-UBND.", body_line=5)
    calls = []

    def numbers(d):
        calls.append(d.path)
        return sorted(n.text for n in find_doc_numbers(d.body))

    assert schema.derived(doc, "numbers", numbers) == ["179/KH-UBND"]
    again = pickle.loads(pickle.dumps(doc))
    assert schema.derived(again, "numbers", numbers) == ["179/KH-UBND"]
    assert calls == ["content/tin-tuc/a.md"]
    assert again == schema.Document(path=doc.path, meta={}, body=doc.body, body_line=5)  # not compared
