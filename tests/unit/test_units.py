"""Rule tables for the administrative-units registry: written forms, ambiguity, dated resolution,
many-to-many lineage, and a new version of the data (cchc.core.units, no build)."""

import datetime as dt

import pytest

from cchc.core import units
from units_data import data_copy, rename_current

BEFORE = dt.date(2021, 11, 25)
AFTER = dt.date(2026, 1, 5)


@pytest.fixture(scope="module")
def reg():
    return units.registry()


@pytest.mark.parametrize("written, day, name", [
    ("Quận Tây Hồ", BEFORE, "Quận Tây Hồ, Thành phố Hà Nội"),
    ("Q. Tây Hồ", BEFORE, "Quận Tây Hồ, Thành phố Hà Nội"),
    ("quận Tây Hồ", BEFORE, "Quận Tây Hồ, Thành phố Hà Nội"),
    ("quan tay ho", BEFORE, "Quận Tây Hồ, Thành phố Hà Nội"),
    ("Tây Hồ", BEFORE, "Quận Tây Hồ, Thành phố Hà Nội"),  # a district before a commune of that name
    ("H. Tam Dương", BEFORE, "Huyện Tam Dương, Tỉnh Vĩnh Phúc"),
    ("TP Vũng Tàu", dt.date(2022, 12, 29), "Thành phố Vũng Tàu, Tỉnh Bà Rịa - Vũng Tàu"),
    ("Huyện Bình Lục", None, "Huyện Bình Lục, Tỉnh Hà Nam"),  # an undated post
    ("tinh quang nam", dt.date(2015, 5, 14), "Tỉnh Quảng Nam"),
    ("TP.HCM", AFTER, "Thành phố Hồ Chí Minh"),  # the package's older names and abbreviations
    ("Thành Phố Bắc Kạn", BEFORE, "Thành phố Bắc Kạn, Tỉnh Bắc Kạn"),
])
def test_written_forms_resolve_to_one_unit(reg, written, day, name):
    res = reg.resolve(written, day)
    assert res.error is None and reg.full_name(res.unit) == name


def test_a_name_resolves_as_of_the_posts_date(reg):
    before, after = reg.resolve("Phú Thọ", BEFORE).unit, reg.resolve("Phú Thọ", AFTER).unit
    assert (before.code, before.current, after.code, after.current) == ("25", False, "25", True)
    assert before.until == dt.date(2025, 6, 30) and after.since == dt.date(2025, 7, 1)


@pytest.mark.parametrize("written, day, province, names", [
    ("Tây Hồ", AFTER, None, ["Phường Tây Hồ, Thành phố Hà Nội", "Xã Tây Hồ, Thành phố Đà Nẵng"]),
    ("Huyện Tam Duong", BEFORE, None, ["Huyện Tam Dương, Tỉnh Vĩnh Phúc", "Huyện Tam Đường, Tỉnh Lai Châu"]),
])
def test_a_name_several_units_share_is_ambiguous(reg, written, day, province, names):
    res = reg.resolve(written, day, province)
    assert res.unit is None and res.error == "ambiguous"
    assert sorted(reg.full_name(u) for u in res.candidates) == names


def test_the_province_settles_an_ambiguous_name(reg):
    hanoi = reg.resolve("Thành phố Hà Nội", AFTER).unit
    assert reg.full_name(reg.resolve("Tây Hồ", AFTER, hanoi).unit) == "Phường Tây Hồ, Thành phố Hà Nội"
    chau_thanh = reg.resolve("Huyện Châu Thành", BEFORE)
    assert chau_thanh.error == "ambiguous" and len(chau_thanh.candidates) > 2
    tien_giang = reg.resolve("Tỉnh Tiền Giang", BEFORE).unit
    assert reg.resolve("Huyện Châu Thành", BEFORE, tien_giang).unit.province == tien_giang.uid


def test_a_province_the_unit_was_not_in_is_reported_with_the_one_it_was_in(reg):
    phu_tho_2021 = reg.resolve("Tỉnh Phú Thọ", BEFORE).unit
    res = reg.resolve("Huyện Tam Dương", BEFORE, phu_tho_2021)
    assert res.error == "province" and [reg.full_name(u) for u in res.candidates] == [
        "Huyện Tam Dương, Tỉnh Vĩnh Phúc"]


def test_an_unknown_name_comes_with_the_nearest_names(reg):
    res = reg.resolve("Huyện Tam Dươngg", BEFORE)
    assert res.error == "unknown" and res.candidates[0] == "Huyện Tam Dương, Tỉnh Vĩnh Phúc"


def test_a_unit_of_the_other_era_resolves_and_is_flagged(reg):
    res = reg.resolve("Xã Tam Dương", BEFORE)  # a commune only since 01/07/2025, on a 2021 post
    assert res.other_era and res.unit.current and res.unit.code == "08869"


@pytest.mark.parametrize("written, code, day, error", [
    ("Phường Tây Hồ", "00103", AFTER, None),
    ("Phường Tây Hồ", "00103", BEFORE, "code-name"),  # before 2025, 00103 was Phường Xuân La
    ("Phường Tây Hồ", "99999", AFTER, "code-unknown"),
    ("Phường Tây Hồ", "00070", AFTER, "code-name"),  # 00070 is Phường Hoàn Kiếm
])
def test_a_code_is_checked_against_the_date_and_the_name(reg, written, code, day, error):
    res = reg.resolve(written, day, code=code)
    assert res.error == error
    if error is None:
        assert res.unit.code == code


def test_a_code_that_did_not_exist_yet_on_the_posts_date(reg):
    new_only = next(u for u in reg.units.values() if u.current and u.level == units.COMMUNE
                    and not any(not o.current for o in reg.by_code[u.code]))
    res = reg.resolve(new_only.name, BEFORE, code=new_only.code)
    assert res.error == "code-date" and res.candidates == [new_only]


def test_a_code_settles_a_name_several_units_share(reg):
    chau_thanh = reg.resolve("Huyện Châu Thành", BEFORE).candidates
    for unit in chau_thanh:
        assert reg.resolve("Huyện Châu Thành", BEFORE, code=unit.code).unit == unit


def test_old_units_went_to_several_new_ones_and_new_ones_took_several_old_ones(reg):
    tam_duong = reg.resolve("Huyện Tam Dương", BEFORE).unit
    now = reg.now(tam_duong)
    assert {u.name for u, _partial in now} >= {"Xã Tam Dương", "Xã Tam Dương Bắc"}
    assert all(u.current and reg[u.province].name == "Tỉnh Phú Thọ" for u, _ in now)
    assert all(partial for _, partial in now)  # a district divided between several communes
    tay_ho = reg.resolve("Phường Tây Hồ", AFTER).unit
    before = {u.name: partial for u, partial in reg.before(tay_ho)}
    assert before["Quận Tây Hồ"] is True and "Phường Quảng An" in before
    assert before["Phường Bưởi"] is False  # all of Bưởi went to Tây Hồ; part of it did not
    quang_nam = reg.resolve("Tỉnh Quảng Nam", BEFORE).unit
    assert [(u.name, p) for u, p in reg.now(quang_nam)] == [("Thành phố Đà Nẵng", False)]


def test_pages_of_units_have_stable_addresses(reg):
    def slug(written, date):
        return units.unit_slug(reg.resolve(written, date).unit, reg)

    assert slug("Quận Tây Hồ", BEFORE) == "quan-tay-ho"  # the address it has had since the portal began
    assert slug("Phường Tây Hồ", AFTER) == "ha-noi/tay-ho"
    assert slug("Tỉnh Phú Thọ", AFTER) == "phu-tho"
    chau_thanh = [units.unit_slug(u, reg) for u in reg.resolve("Huyện Châu Thành", BEFORE).candidates]
    assert len(set(chau_thanh)) == len(chau_thanh) and "huyen-chau-thanh-tien-giang" in chau_thanh


@pytest.mark.parametrize("written, day, places, more", [
    # An old district: it, its province, and today's communes holding its area with their province.
    ("Huyện Tam Dương", BEFORE, ["Huyện Tam Dương", "Tỉnh Vĩnh Phúc", "Xã Hoàng An", "Tỉnh Phú Thọ",
                                 "Xã Hội Thịnh", "Xã Tam Dương", "Xã Tam Dương Bắc"], []),
    ("Tỉnh Quảng Nam", BEFORE, ["Tỉnh Quảng Nam", "Thành phố Đà Nẵng"], []),
    # A commune of today: it and its province; a search also knows the units it took in.
    ("Xã Tam Dương", AFTER, ["Xã Tam Dương", "Tỉnh Phú Thọ"], ["Huyện Tam Dương", "Tỉnh Vĩnh Phúc"]),
    ("Tỉnh Phú Thọ", AFTER, ["Tỉnh Phú Thọ"], ["Tỉnh Hòa Bình", "Tỉnh Vĩnh Phúc"]),
])
def test_a_post_belongs_under_its_unit_then_and_now(reg, written, day, places, more):
    unit = reg.resolve(written, day).unit
    assert [u.name for u in units.places(unit, reg)] == places
    names = units.lineage_names(unit, reg)
    assert set(places + more) <= set(names) and len(names) == len(set(names))


def test_a_new_version_of_the_data_with_one_more_renamed_unit_changes_the_registry(tmp_path, reg):
    """A bump of the package that renames Xã Tam Dương into Phường Tam Dương (same code)."""
    data = rename_current(data_copy(tmp_path), "08869", "Phường", "Tam Dương")
    new = units.load(data)
    old_district = new.resolve("Huyện Tam Dương", BEFORE).unit
    assert "Phường Tam Dương" in {u.name for u, _ in new.now(old_district)}
    assert "Xã Tam Dương" not in {u.name for u, _ in new.now(old_district)}
    renamed = new.resolve("Phường Tam Dương", AFTER).unit
    assert renamed.code == "08869" and units.unit_slug(renamed, new) == "phu-tho/tam-duong"
    assert new.resolve("Xã Tam Dương", AFTER).error == "unknown"
    assert reg.resolve("Xã Tam Dương", AFTER).unit.code == "08869"  # the installed data is untouched


def test_the_registry_says_where_its_data_comes_from(reg):
    assert reg.version.startswith(f"{units.PACKAGE} ")
    assert len([u for u in reg.provinces()]) == 34
    assert len([u for u in reg.provinces(units.LEGACY)]) == 63


def _post(extra, date="25/11/2021"):
    return (f"---\ntype: tin-tuc\ntitle: Tin\ndate: {date}\nsummary: Tóm tắt.\nareas: [the-che]\n{extra}---\n\n"
            "Nội dung.\n")


@pytest.mark.parametrize("extra, date, expected", [
    ("locality: Huyện Tam Dươngg\n", "25/11/2021",
     "t.md:7: trường “locality” (Địa phương): không tìm thấy đơn vị hành chính “Huyện Tam Dươngg” vào ngày "
     "đăng bài (25/11/2021) trong danh mục (vietnamadminunits 1.0.4); tên gần nhất: Huyện Tam Dương, Tỉnh Vĩnh Phúc;"),
    ("locality: Tây Hồ\n", "05/01/2026",
     "t.md:7: trường “locality” (Địa phương): “Tây Hồ” là tên của 2 đơn vị hành chính vào ngày đăng bài "
     "(05/01/2026): Phường Tây Hồ, Thành phố Hà Nội (mã 00103); Xã Tây Hồ, Thành phố Đà Nẵng (mã 20380). "
     "Ghi thêm trường province"),
    ("locality: Huyện Tam Dương\nprovince: Tỉnh Phú Thọ\n", "25/11/2021",
     "t.md:7: trường “locality” (Địa phương): “Huyện Tam Dương” không thuộc tỉnh, thành phố ghi ở trường province"),
    ("locality: Phường Tây Hồ\nlocality_code: \"99999\"\n", "05/01/2026",
     "t.md:8: trường “locality_code” (Mã đơn vị hành chính của địa phương): mã “99999” không có trong danh mục"),
    ("locality: Phường Tây Hồ\nlocality_code: \"00103\"\n", "25/11/2021",
     "t.md:8: trường “locality_code” (Mã đơn vị hành chính của địa phương): mã “00103” vào ngày đăng bài "
     "(25/11/2021) là của Phường Xuân La, Thành phố Hà Nội, không phải “Phường Tây Hồ”"),
    ("locality: Quận Tây Hồ\nlocality_code: \"103\"\n", "25/11/2021",
     "t.md:8: trường “locality_code” (Mã đơn vị hành chính của địa phương): mã “103” vào ngày đăng bài "
     "(25/11/2021) là của Huyện Nậm Pồ, Tỉnh Điện Biên, không phải “Quận Tây Hồ”"),  # a district code of 2021
])
def test_a_locality_that_does_not_resolve_is_an_error_at_its_line(extra, date, expected):
    from cchc.core.schema import ContentError, read_document

    with pytest.raises(ContentError) as exc:
        read_document("t.md", _post(extra, date))
    assert expected in str(exc.value)


def test_check_says_what_a_written_form_resolved_to_and_flags_the_other_era():
    from cchc.cli.notices import locality_notices
    from cchc.core.schema import read_document

    abbreviated = read_document("a.md", _post("locality: Q. Tây Hồ\n"))
    assert abbreviated.meta["locality"] == "Q. Tây Hồ"  # history is not rewritten
    new_only = read_document("b.md", _post("locality: Xã Tam Dương\n"))
    old_on_new = read_document("c.md", _post("locality: Huyện Tam Dương\n", "05/01/2026"))
    exact = read_document("d.md", _post("locality: Quận Tây Hồ\n"))
    with_province = read_document("e.md", _post("locality: Quận Tây Hồ, Thành phố Hà Nội\n"))  # the editor's form
    notices = {n.path: n.message for n in locality_notices([abbreviated, new_only, old_on_new, exact, with_province])}
    assert notices["a.md"].startswith("“Q. Tây Hồ” được hiểu là Quận Tây Hồ, Thành phố Hà Nội (mã 003")
    assert notices["b.md"].startswith("Xã Tam Dương chỉ có từ 01/07/2025, bài đề ngày 25/11/2021")
    assert "Huyện Tam Dương, Tỉnh Vĩnh Phúc" in notices["b.md"]
    assert notices["c.md"].startswith("Huyện Tam Dương chỉ có đến hết 30/06/2025") and "Xã Tam Dương" in notices["c.md"]
    assert "d.md" not in notices and "e.md" not in notices


def test_the_content_cache_key_follows_the_units_data(tmp_path, monkeypatch):
    """A post's unit and history note come from the data: another version of it reads posts anew."""
    from cchc_content.content_cache import cache_key

    settings = {"PATH": str(tmp_path)}
    before = cache_key(settings)
    monkeypatch.setenv("CCHC_UNITS_DATA", str(data_copy(tmp_path)))
    assert cache_key(settings) != before


@pytest.mark.parametrize("written, day, name", [
    # The site's own way of naming a unit, with the units it sat in after commas.
    ("Huyện Tam Dương, Tỉnh Vĩnh Phúc", BEFORE, "Huyện Tam Dương, Tỉnh Vĩnh Phúc"),
    ("Tây Hồ, Hà Nội", BEFORE, "Quận Tây Hồ, Thành phố Hà Nội"),
    ("Phường Tây Hồ, Thành phố Hà Nội", AFTER, "Phường Tây Hồ, Thành phố Hà Nội"),
    ("Tây Hồ, Đà Nẵng", AFTER, "Xã Tây Hồ, Thành phố Đà Nẵng"),  # "Tây Hồ" alone is two units
    ("Huyện Châu Thành, Tỉnh Tiền Giang", BEFORE, "Huyện Châu Thành, Tỉnh Tiền Giang"),
])
def test_a_name_followed_by_its_province_resolves(reg, written, day, name):
    res = reg.resolve(written, day)
    assert res.error is None and reg.full_name(res.unit) == name
    assert res.exact == (written == name)


def test_a_name_with_a_province_it_was_not_in_is_not_resolved(reg):
    res = reg.resolve("Huyện Tam Dương, Tỉnh Bắc Ninh", BEFORE)
    assert res.unit is None and res.error == "unknown"
    vinh_phuc = reg.resolve("Tỉnh Vĩnh Phúc", BEFORE).unit
    res = reg.resolve("Quận Tây Hồ, Thành phố Hà Nội", BEFORE, vinh_phuc)
    assert res.error == "province" and [reg.full_name(u) for u in res.candidates] == ["Quận Tây Hồ, Thành phố Hà Nội"]


def test_the_name_the_editor_writes_resolves_to_its_unit_on_every_day_it_existed(reg):
    """Every unit the web editor offers (today's provinces and communes, the old provinces and
    districts): its written_name, as a post of its era would carry it, resolves to that unit."""
    offered = [u for u in reg.units.values() if u.current or u.level < units.COMMUNE]
    assert len(offered) > 4000
    wrong = [(u.uid, reg.written_name(u)) for u in offered
             if reg.resolve(reg.written_name(u), AFTER if u.current else BEFORE).unit != u]
    assert wrong == []
    assert reg.written_name(reg.resolve("Huyện Tam Dương", BEFORE).unit) == "Huyện Tam Dương"
    assert reg.written_name(reg.resolve("Tây Hồ", AFTER, reg.resolve("Hà Nội", AFTER).unit).unit) \
        == "Phường Tây Hồ"
    shared = reg.resolve("Huyện Châu Thành", BEFORE).candidates[0]
    assert reg.written_name(shared) == reg.full_name(shared)


def test_the_importers_placeholder_is_accepted_and_listed_until_replaced():
    """“Chưa xác định” (cchc import's placeholder for a locality it could not resolve) passes the
    check, which lists the post among its suggestions at the line, until staff name a unit."""
    from cchc.cli.notices import locality_notices
    from cchc.core.schema import read_document

    draft = read_document("d.md", _post(f"locality: {units.UNRESOLVED}\nstatus: draft\n", "12/05/2016"))
    published = read_document("p.md", _post(f"locality: {units.UNRESOLVED}\n", "12/05/2016"))
    assert "locality_unit" not in draft.meta
    notices = {n.path: n for n in locality_notices([draft, published])}
    assert notices["d.md"].line == 7 and notices["d.md"].message.startswith(
        "địa phương “Chưa xác định” (ghi tạm khi chuyển bài")
    assert notices["d.md"].message.endswith("ghi tên đơn vị hành chính lúc đăng bài trước khi bỏ dòng status: draft")
    assert "đang được đăng mà chưa có địa phương" in notices["p.md"].message


def test_a_kept_registry_is_the_registry_and_new_data_builds_it_again(tmp_path, monkeypatch):
    """units.keep_registry: a later process takes the registry from the file while the data is the
    same, and builds it from the data again once the data's identity changes."""
    import pickle

    from cchc.core import units

    kept = tmp_path / "units.pickle"
    monkeypatch.delenv("CCHC_UNITS_DATA", raising=False)
    monkeypatch.setattr(units, "_kept_at", kept)
    units._registry.cache_clear()
    try:
        first = units.registry()
        assert kept.is_file()
        units._registry.cache_clear()
        loads = []
        monkeypatch.setattr(units, "load", lambda *a, **k: loads.append(1) or first)
        second = units.registry()
        assert loads == [] and second is not first  # unpickled, not built
        assert list(second.units) == list(first.units) and second.version == first.version
        assert pickle.dumps(second.links) == pickle.dumps(first.links)
        units._registry.cache_clear()
        monkeypatch.setattr(units, "data_identity", lambda: "another version of the data")
        units.registry()
        assert loads == [1]
    finally:
        units._registry.cache_clear()
