"""The web editor's config.yml is generated from the schema (src/cchc/core), never by hand."""

import json
import shutil
import subprocess

import pytest
import yaml

from cchc.core import indicators, schema
from cchc.core.docnum import parse_doc_number
from cchc.studio import cmsconfig
from cchc.studio.studio import node_executable
from conftest import IN_CI, ROOT, build, make_project

LOCAL = {"name": "proxy", "proxy_url": "http://127.0.0.1:8081/api/v1"}


def fields_of(conf, collection):
    coll = next(c for c in conf["collections"] if c["name"] == collection)
    return {f["name"]: f for f in coll["fields"]}


def test_every_schema_field_is_in_the_editor():
    conf = cmsconfig.cms_config(LOCAL)
    names = cmsconfig.schema_field_names(conf)
    assert set(schema.FIELDS) <= names, set(schema.FIELDS) - names
    for sub in schema.LEGAL_BASIS_FIELDS:
        assert f"legal_bases.{sub}" in names
    for sub in schema.TARGET_FIELDS:
        assert f"targets.{sub}" in names
    assert {c["name"]: c["label"] for c in conf["collections"]} == {
        "tin-tuc": "Tin tức", "ke-hoach": "Kế hoạch", "bao-cao": "Báo cáo", "trang": "Trang",
        "van-ban": "Văn bản (không phải kế hoạch của địa phương)"}
    for sub in schema.RESULT_FIELDS:
        assert f"results.{sub}" in names
    for sub in schema.RELATION_FIELDS:
        assert f"replaced_by.{sub}" in names and f"repealed_by.{sub}" in names
    assert set(fields_of(conf, "van-ban")) >= {"doc_number", "official_url", "checked", "validity", "body"}
    for kind, coll in (("tin-tuc", "tin-tuc"), ("ke-hoach", "ke-hoach"), ("bao-cao", "bao-cao"), ("trang", "trang"),
                       ("van-ban", "van-ban")):
        fields = fields_of(conf, coll)
        for name in schema.REQUIRED[kind]:
            if name in schema.REQUIRED_UNLESS:  # required unless date_status: khong-ro
                other, value = schema.REQUIRED_UNLESS[name]
                assert fields[name]["required"] is False and fields[name]["required_unless"]["field"] == other
            elif name != "type":
                assert fields[name]["required"] is True, (coll, name)
        for name, f in fields.items():
            if name in schema.FIELDS and f["widget"] != "hidden" and name != "status":
                assert f["label"] == schema.FIELDS[name][0]


def test_field_kinds_become_the_right_widgets():
    conf = cmsconfig.cms_config(LOCAL, editorial_workflow=True)
    news, plan = fields_of(conf, "tin-tuc"), fields_of(conf, "ke-hoach")
    assert conf["locale"] == "vi" and conf["publish_mode"] == "editorial_workflow"
    assert news["areas"]["widget"] == "select" and news["areas"]["multiple"] is True
    assert [o["value"] for o in news["areas"]["options"]] == list(cmsconfig.AREAS)
    assert news["areas"]["options"][0]["label"] == "Cải cách thể chế"
    # Our day-first picker (cms-init.js), not Decap's datetime: the date, and an optional time.
    assert news["date"]["widget"] == "cchc-date"
    assert (news["date"]["date_format"], news["date"]["time_format"]) == ("DD/MM/YYYY", "HH:mm")
    assert plan["issue_date"]["widget"] == "cchc-date" and plan["issue_date"]["time_format"] is False
    assert plan["legal_bases"]["fields"][-1]["widget"] == "cchc-date"
    # Uploads: pictures (site-wide media folder, the body's "Ảnh" too) in content/images/,
    # attached files in content/files/; no external URL where `cchc check` wants a file.
    assert (conf["media_folder"], conf["public_folder"]) == ("content/images", "/images")
    path = {f["name"]: f for f in plan["attachment"]["fields"]}["path"]
    assert (path["widget"], path["media_folder"], path["public_folder"], path["choose_url"]) == \
        ("file", "/content/files", "/files", False)
    image = {f["name"]: f for f in news["image"]["fields"]}["path"]
    assert image["widget"] == "image" and "media_folder" not in image and image["choose_url"] is False
    assert news["id"]["widget"] == "hidden" and news["type"] == {
        "name": "type", "label": "Loại bài", "widget": "hidden", "default": "tin-tuc"}
    assert news["status"]["widget"] == "cchc-draft"
    assert news["plans"]["widget"] == "relation" and news["plans"]["collection"] == "ke-hoach"
    assert plan["news"]["widget"] == "relation" and plan["news"]["collection"] == "tin-tuc"
    assert plan["news"]["required"] is True
    assert [f["name"] for f in plan["legal_bases"]["fields"]] == list(schema.LEGAL_BASIS_FIELDS)
    assert [f["name"] for f in plan["targets"]["fields"]] == list(schema.TARGET_FIELDS)
    assert plan["doc_type"]["options"] == [{"label": t, "value": t} for t in schema.DOC_TYPES]
    assert "doc_number" not in news and "plans" not in plan
    # issue 27: reports, and the indicator choices read from the one catalogue
    report = fields_of(conf, "bao-cao")
    assert report["plans"]["widget"] == "relation" and report["plans"]["collection"] == "ke-hoach"
    assert "targets" not in report and "results" not in plan and "results" not in news
    assert [f["name"] for f in report["results"]["fields"]] == list(schema.RESULT_FIELDS)
    for sub in (report["results"]["fields"][0], plan["targets"]["fields"][0]):
        assert sub["name"] == "indicator" and sub["widget"] == "select"
        assert [o["value"] for o in sub["options"]] == list(indicators.CODES)


def test_locality_is_a_choice_of_units_then_and_now_found_by_old_or_new_names():
    """The editor offers the administrative units as choices (cms-init.js "cchc-unit": Decap's
    select, filtering the labels as staff type, over units.json): today's provinces and communes,
    and the provinces and districts before 01/07/2025. A label says where a unit went or came
    from, so typing a new name shows the old unit and the reverse; the value is the name
    `cchc check` resolves back to the unit."""
    import re

    from cchc.core import units

    conf = cmsconfig.cms_config(LOCAL)
    news, plan = fields_of(conf, "tin-tuc"), fields_of(conf, "ke-hoach")
    assert news["locality"] == plan["locality"] == {"name": "locality", "label": "Địa phương", "required": True,
                                                    "hint": news["locality"]["hint"], "widget": "cchc-unit",
                                                    "choices": "unit"}
    assert (news["province"]["widget"], news["province"]["choices"], news["province"]["required"]) == \
        ("cchc-unit", "province", False)
    choices = cmsconfig.unit_choices()
    label = {o["value"]: o["label"] for o in choices["unit"]}
    assert len(label) == len(choices["unit"]) > 4000
    tam_duong = label["Huyện Tam Dương"]
    assert tam_duong.startswith("Huyện Tam Dương, Tỉnh Vĩnh Phúc — đến 30/06/2025, nay: ")
    assert {"Xã Tam Dương", "Xã Hội Thịnh", "Tỉnh Phú Thọ"} <= set(re.split(r", | \(|\)", tam_duong))
    assert label["Xã Tam Dương"] == "Xã Tam Dương, Tỉnh Phú Thọ — trước 01/07/2025: Huyện Tam Dương, Tỉnh Vĩnh Phúc"
    assert label["Tỉnh Phú Thọ"] == "Tỉnh Phú Thọ — trước 01/07/2025: Tỉnh Hòa Bình; Tỉnh Phú Thọ; Tỉnh Vĩnh Phúc"
    # A name several communes of today share comes with its province, which the check reads.
    assert "Xã Phú Hòa" not in label and label["Xã Phú Hòa, Tỉnh An Giang"].startswith("Xã Phú Hòa, Tỉnh An Giang — ")
    # Every locality and province the seed posts write is a choice, so the editor shows it.
    for post in (ROOT / "content").rglob("*.md"):
        for _name, value in re.findall(r"^(locality|province): *(.+)$", post.read_text(encoding="utf-8"), re.M):
            assert value in label, (post.name, value)
    reg = units.registry()
    provinces = {o["value"] for o in choices["province"]}
    assert {"Tỉnh Vĩnh Phúc", "Tỉnh Phú Thọ", "Thành phố Hà Nội"} <= provinces <= set(label)
    assert all(reg.resolve(p, level=units.PROVINCE).unit for p in provinces)
    # The choices stay out of config.yml, which the editor reads before it shows anything.
    text = yaml.safe_dump(conf, allow_unicode=True, sort_keys=False, width=1000)
    assert "Huyện Tam Dương, Tỉnh Vĩnh Phúc —" not in text and len(text.encode()) < 200_000  # the choices: 0.7 MB


def test_a_field_added_to_the_schema_appears_with_no_other_change(monkeypatch):
    row = schema.Field("signer", "Người ký", "text", "phan-loai", schema.POSTS, ("ke-hoach",))
    monkeypatch.setattr(schema, "TABLE", schema.TABLE + (row,))
    conf = cmsconfig.cms_config(LOCAL)
    signer = fields_of(conf, "ke-hoach")["signer"]
    assert signer == {"name": "signer", "label": "Người ký", "required": True, "widget": "string"}
    assert fields_of(conf, "tin-tuc")["signer"]["required"] is False


def test_the_form_is_laid_out_for_writing():
    """Issue 31: title, date, summary, body first; then classification; then more; the old
    portal's fields last, under a heading whose group starts folded. The headings are fields of
    their own (widget cchc-group, never saved: cms-rules.json names their prefix)."""
    conf = cmsconfig.cms_config(LOCAL)
    for coll in ("tin-tuc", "ke-hoach", "bao-cao"):
        fields = [f for f in fields_of(conf, coll).values() if f["widget"] != "hidden"]
        names = [f["name"] for f in fields]
        assert names[:5] == ["title", "date", "summary", "body", "status"], names
        headings = [(f["label"], f["collapsed"]) for f in fields if f["widget"] == "cchc-group"]
        assert [h for h, _ in headings][:2] == ["Phân loại", "Thông tin thêm"]
        assert headings[-1][0].startswith("Thông tin từ cổng cũ") and headings[-1][1] is True
        assert [c for _, c in headings[:-1]] == [False, False]
        old = names.index("cchc_group_cong_cu")
        assert set(names[old + 1:]) == {"source_section", "source_url", "old_paths", "plone_uid"}
        assert fields[old]["members"] == names[old + 1:]
        classify = names[names.index("cchc_group_phan_loai") + 1:names.index("cchc_group_them")]
        assert {"areas", "locality"} <= set(classify) and "date_status" not in classify
    plan = [n for n in fields_of(conf, "ke-hoach") if not n.startswith("cchc_group_")]
    assert plan.index("doc_number") < plan.index("areas")  # the type's own fields first
    rules = cmsconfig.save_rules(conf)
    assert rules["group_prefix"] == "cchc_group_"
    assert [None, "date"] in rules["unmarked"]["tin-tuc"] and ["targets", "value"] in rules["unmarked"]["ke-hoach"]
    assert ["legal_bases", "date"] not in rules["unmarked"]["ke-hoach"]  # optional in each entry: marked so
    assert rules["required_unless"]["tin-tuc"] == [{
        "name": "date", "label": "Ngày đăng", "message": next(r.message for r in schema.TABLE if r.name == "date"),
        "required_unless": {"field": "date_status", "value": "khong-ro", "other_label": "Độ tin cậy của ngày đăng"}}]


DOCNUMS = ["179/KH-UBND", "14460/QĐ-UBND", "93/2007/QĐ-TTg", "30c/NQ-CP", "16-NQ/TU", "07-Ctr/QU",
           "4912/UBND-NC", "29/44", "15/7/2021", "2021-2025", "96,6%", "KH-UBND", "179/kh-ubnd", ""]


def test_doc_number_pattern_in_the_browser_is_the_grammar():
    """The editor's pattern (run by Node, as the browser would) accepts exactly what the checker does."""
    node = node_executable()
    if not node:
        if IN_CI:
            pytest.fail("node is required in CI")
        pytest.skip("node not installed")
    pattern = cmsconfig.docnum_pattern()
    script = ("const re = new RegExp(process.argv[1]);"
              "console.log(JSON.stringify(JSON.parse(process.argv[2]).map(s => re.test(s))));")
    out = subprocess.run([node, "-e", script, pattern, json.dumps(DOCNUMS)], capture_output=True,
                         text=True, check=True).stdout
    assert json.loads(out) == [parse_doc_number(s) is not None for s in DOCNUMS]


DATES = ["05/01/2024", "5/1/2024", "02/07/2021 15:39", "14/05/2015 10:06:10", "12/05/2016 04:00:00 PM",
         "29-12-2022", "2025-11-28", "2025-11-28T09:30", "2024/01/05", "05/01/24", "1 tháng 5", ""]


def test_the_date_picker_reads_dates_as_the_checker_does():
    """The picker's grammar (config.yml day_first / iso, run by Node as the browser would)
    is cchc.core.dates': same forms with and without time, ISO too, nothing else."""
    from cchc.core import dates

    node = node_executable()
    if not node:
        if IN_CI:
            pytest.fail("node is required in CI")
        pytest.skip("node not installed")
    field = fields_of(cmsconfig.cms_config(LOCAL), "tin-tuc")["date"]
    script = ("const [d, i, xs] = [new RegExp(process.argv[1], 'i'), new RegExp(process.argv[2]),"
              " JSON.parse(process.argv[3])]; console.log(JSON.stringify(xs.map(s => d.test(s) || i.test(s))));")
    out = subprocess.run([node, "-e", script, field["day_first"], field["iso"], json.dumps(DATES)],
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [bool(dates._DMY.match(s) or dates._ISO.match(s)) for s in DATES]
    assert json.loads(out)[:8] == [True] * 8 and not any(json.loads(out)[8:])


def test_vietnamese_fills_every_string_the_vi_locale_lacks():
    """Every English string of the pinned decap-cms-locales has a Vietnamese one (theirs or ours)."""
    node = node_executable()
    locales = ROOT / "node_modules" / "decap-cms-locales" / "src"
    if not node or not locales.is_dir():
        if IN_CI:
            pytest.fail("node and node_modules/decap-cms-locales are required in CI")
        pytest.skip("node or decap-cms-locales not installed")
    fill = ROOT / "plugins" / "cchc_studio" / "static" / "locale-vi.js"
    script = f"""
const fs = require('fs');
const load = f => {{ const src = fs.readFileSync(f, 'utf8').replace(/export default \\w+;?/, '')
  .replace(/^const (\\w+) =/m, 'module.exports ='); const m = {{exports: {{}}}};
  new Function('module', src)(m); return m.exports; }};
const en = load({json.dumps(str(locales / "en" / "index.js"))});
const vi = load({json.dumps(str(locales / "vi" / "index.js"))});
global.window = {{}}; new Function(fs.readFileSync({json.dumps(str(fill))}, 'utf8'))();
const fillv = window.CCHC_VI_FILL; const missing = [];
const walk = (a, b, c, p) => {{ for (const k of Object.keys(a)) {{
  if (typeof a[k] === 'object') walk(a[k], (b || {{}})[k], (c || {{}})[k], p + k + '.');
  else if ((b || {{}})[k] === undefined && (c || {{}})[k] === undefined) missing.push(p + k); }} }};
walk(en, vi, fillv, ''); console.log(JSON.stringify(missing));
"""
    out = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == []


# Decap's own vi strings staff read as word-for-word translations or English (issue 31).
NOT_VIETNAMESE = ("Không thể giữ lại mục", "Lấy những cái đã chọn", "Xoá những cái đã chọn", "bộ sưu tập",
                  "View as", "Trạng: ", "Một bản sao lưu trên máy đã được phục hồi")


def test_the_editor_speaks_plain_vietnamese():
    """The locale the editor registers (Decap's vi with ours merged over it, as cms-init.js does):
    toasts, media library buttons and the review board in plain Vietnamese, dates day first."""
    node = node_executable()
    locales = ROOT / "node_modules" / "decap-cms-locales" / "src"
    if not node or not locales.is_dir():
        if IN_CI:
            pytest.fail("node and node_modules/decap-cms-locales are required in CI")
        pytest.skip("node or decap-cms-locales not installed")
    fill = ROOT / "plugins" / "cchc_studio" / "static" / "locale-vi.js"
    script = f"""
const fs = require('fs');
const src = fs.readFileSync({json.dumps(str(locales / "vi" / "index.js"))}, 'utf8')
  .replace(/export default \\w+;?/, '').replace(/^const (\\w+) =/m, 'module.exports =');
const m = {{exports: {{}}}}; new Function('module', src)(m);
global.window = {{}}; new Function(fs.readFileSync({json.dumps(str(fill))}, 'utf8'))();
const merge = (a, b) => {{ const o = Object.assign({{}}, a); for (const k of Object.keys(b))
  o[k] = (typeof b[k] === 'object' && typeof o[k] === 'object') ? merge(o[k], b[k]) : b[k]; return o; }};
console.log(JSON.stringify(merge(m.exports, window.CCHC_VI_FILL)));
"""
    vi = json.loads(subprocess.run([node, "-e", script], capture_output=True, text=True, check=True).stdout)
    assert vi["ui"]["toast"]["onFailToPersist"] == "Chưa lưu được bài: %{details}"
    assert vi["mediaLibrary"]["mediaLibraryModal"]["chooseSelected"] == "Dùng tệp đã đánh dấu"
    assert vi["workflow"]["workflow"]["dateFormat"] == "DD/MM/YYYY"  # not "D MMMM": "7 December"
    assert vi["app"]["header"]["workflow"] == "Duyệt bài"

    def strings(node, path=""):
        for key, value in node.items():
            if isinstance(value, dict):
                yield from strings(value, f"{path}{key}.")
            else:
                yield f"{path}{key}", value
    bad = [(k, v) for k, v in strings(vi) for phrase in NOT_VIETNAMESE if phrase.lower() in v.lower()]
    assert bad == []


def test_admin_only_in_the_studio_build(tmp_path, site):
    """`make html` has no /admin/ (the suite's shared build); the studio build has it, with
    config.yml from the schema and Decap CMS copied from node_modules (never committed)."""
    if not (ROOT / "node_modules" / "decap-cms").is_dir():
        if IN_CI:
            pytest.fail("node_modules/decap-cms is required in CI (make test runs npm ci)")
        pytest.skip("decap-cms not installed")
    proj = make_project(tmp_path)
    shutil.copy(ROOT / "studioconf.py", proj / "studioconf.py")
    (proj / "content" / "pages").mkdir(parents=True)
    (proj / "content" / "pages" / "gioi-thieu.md").write_text(
        "---\ntype: trang\ntitle: Giới thiệu\nslug: gioi-thieu\n---\n\nTrang.\n", encoding="utf-8")
    (proj / "content" / "tin-tuc").mkdir()
    (proj / "content" / "tin-tuc" / "mot-tin.md").write_text(
        "---\ntype: tin-tuc\ntitle: Một tin\ndate: 01/02/2024\nlocality: Huyện Tam Dương\nsummary: Tóm tắt.\n"
        "areas: [the-che]\n---\n\nNội dung.\n", encoding="utf-8")
    assert (site / "index.html").is_file() and not (site / "admin").exists()
    proc = build(proj, "--settings", "studioconf.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    admin = proj / "output" / "admin"
    conf = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert conf["backend"]["name"] == "proxy" and conf["locale"] == "vi"
    assert conf == cmsconfig.cms_config(conf["backend"])
    assert json.loads((admin / cmsconfig.UNIT_CHOICES).read_text(encoding="utf-8")) == cmsconfig.unit_choices()
    assert (admin / "decap-cms.js").read_bytes() == (ROOT / "node_modules/decap-cms/dist/decap-cms.js").read_bytes()
    page = (admin / "index.html").read_text(encoding="utf-8")
    assert '<script src="decap-cms.js"></script>' in page and "<script>" not in page
    assert 'content="/theme/css/main.css"' in page  # the preview pane uses the site's CSS
    assert not list((ROOT / "plugins" / "cchc_studio").rglob("decap-cms.js")), "never committed"


GITLAB = {"name": "gitlab", "repo": "so-noi-vu/cong-cchc", "branch": "main",
          "base_url": "https://git.example.gov.vn", "api_root": "https://git.example.gov.vn/api/v4",
          "auth_type": "pkce", "app_id": "0123456789abcdef"}


def _publish_project(tmp_path, studio_setting):
    from conftest import publish_build

    tmp_path.mkdir()
    proj = make_project(tmp_path)
    (proj / "content" / "tin-tuc").mkdir(parents=True)
    (proj / "content" / "tin-tuc" / "mot-tin.md").write_text(
        "---\ntype: tin-tuc\ntitle: Một tin\ndate: 01/02/2024\nlocality: Huyện Tam Dương\nsummary: Tóm tắt.\n"
        "areas: [the-che]\n---\n\nNội dung.\n", encoding="utf-8")
    conf = proj / "prodconf.py"
    conf.write_text("import os, sys\nsys.path.append(os.curdir)\nfrom publishconf import *\n"
                    f"CCHC_STUDIO = {studio_setting!r}\n", encoding="utf-8")
    return proj, publish_build(proj, "https://cchc.example.gov.vn", settings="prodconf.py")


def test_publish_ships_admin_only_with_a_production_backend(tmp_path):
    """Default publishconf.py: no /admin/. A GitLab backend with the review workflow: /admin/ with
    that backend and publish_mode editorial_workflow (drafts are branches and merge requests)."""
    if not (ROOT / "node_modules" / "decap-cms").is_dir():
        if IN_CI:
            pytest.fail("node_modules/decap-cms is required in CI (make test runs npm ci)")
        pytest.skip("decap-cms not installed")
    from types import SimpleNamespace

    from pelican.settings import read_settings

    from cchc_studio.cchc_studio import write_admin

    # publishconf.py as shipped (BACKEND None): the plugin is listed and writes nothing.
    settings = read_settings(str(ROOT / "publishconf.py"), override={"OUTPUT_PATH": str(tmp_path / "out")})
    assert "cchc_studio" in settings["PLUGINS"] and settings["CCHC_STUDIO"]["BACKEND"] is None
    write_admin(SimpleNamespace(settings=settings))
    assert not (tmp_path / "out").exists()
    proj, proc = _publish_project(tmp_path / "b", {"BACKEND": GITLAB, "EDITORIAL_WORKFLOW": True})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    conf = yaml.safe_load((proj / "output" / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert conf["backend"] == {**GITLAB, "commit_messages": cmsconfig.COMMIT_MESSAGES}
    assert conf["publish_mode"] == "editorial_workflow"
    assert conf["site_url"] == "https://cchc.example.gov.vn"
    page = (proj / "output" / "admin" / "index.html").read_text(encoding="utf-8")
    import re

    # the site's stylesheet, under its hashed production name (cchc_assets rewrote the reference)
    css = re.search(r'name="cchc-preview-css" content="https://cchc.example.gov.vn/theme/css/(main[.\w]*css)"', page)
    assert css and (proj / "output" / "theme" / "css" / css.group(1)).is_file(), page
    assert "/admin/" not in (proj / "output" / "sitemap.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("backend, workflow, expect", [
    ({"name": "gitlab", "repo": "a/b"}, True, "thiếu 'app_id'"),
    ({"name": "gitea", "repo": "a/b", "api_root": "https://g/api/v1", "app_id": "x"}, True, "name: forgejo"),
    ({"name": "bitbucket", "repo": "a/b"}, False, "không được hỗ trợ"),
])
def test_a_backend_that_cannot_work_is_refused_in_vietnamese(backend, workflow, expect):
    from cchc_studio.cchc_studio import backend_problems

    problems = backend_problems({"BACKEND": backend, "EDITORIAL_WORKFLOW": workflow})
    assert any(expect in p for p in problems), problems
    assert backend_problems({"BACKEND": GITLAB, "EDITORIAL_WORKFLOW": True}) == []


FORGEJO = {"name": "forgejo", "repo": "so-noi-vu/cong-cchc", "branch": "main",
           "base_url": "https://git.example.gov.vn", "api_root": "https://git.example.gov.vn/api/v1",
           "app_id": "forgejo-oauth-app"}
GITHUB = {"name": "github", "repo": "so-noi-vu/cong-cchc", "branch": "xuat-ban",
          "base_url": "https://oauth.example.gov.vn", "auth_endpoint": "auth"}


def _editor_config(settings_file, monkeypatch, tmp_path, body="", env=None):
    """/admin/config.yml as *settings_file* (+ *body*) makes it, without building the site."""
    import sys

    from pelican.settings import read_settings

    from cchc.core.settings import merged_settings
    from cchc_studio.cchc_studio import DEFAULTS, backend_problems, config_yaml

    monkeypatch.chdir(ROOT)  # publishconf.py / studioconf.py import pelicanconf from the cwd
    monkeypatch.delitem(sys.modules, settings_file, raising=False)  # read the environment again
    for key, value in (env or {}).items():
        monkeypatch.setenv(key, value)
    conf_file = tmp_path / "conf.py"
    conf_file.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom {settings_file} import *\n{body}",
                         encoding="utf-8")
    settings = read_settings(str(conf_file), override={"PATH": str(ROOT / "content")})
    conf = merged_settings(settings, "CCHC_STUDIO", DEFAULTS, "cchc_studio")
    assert backend_problems(conf) == []
    return yaml.safe_load(config_yaml(settings, conf))


@pytest.mark.parametrize("backend", [GITLAB, FORGEJO, GITHUB], ids=["gitlab", "forgejo", "github"])
@pytest.mark.parametrize("workflow", [True, False], ids=["review", "direct"])
def test_publishconf_studio_setting_is_the_editor_config(backend, workflow, monkeypatch, tmp_path):
    """publishconf.py's CCHC_STUDIO → config.yml: the backend exactly as set (name, repo, branch,
    base_url and auth settings), publish_mode editorial_workflow only with EDITORIAL_WORKFLOW,
    the production SITEURL, the media folders under content/."""
    conf = _editor_config("publishconf", monkeypatch, tmp_path,
                          f"CCHC_STUDIO = {{'BACKEND': {backend!r}, 'EDITORIAL_WORKFLOW': {workflow}}}\n",
                          env={"SITEURL": "https://cchc.example.gov.vn/cong"})
    assert conf.pop("backend") == {**backend, "commit_messages": cmsconfig.COMMIT_MESSAGES}
    assert conf.get("publish_mode") == ("editorial_workflow" if workflow else None)
    assert conf["site_url"] == conf["display_url"] == "https://cchc.example.gov.vn/cong"
    assert conf["media_folder"].startswith("content/") and conf["locale"] == "vi"
    assert {c["folder"] for c in conf["collections"]} == {"content/tin-tuc", "content/ke-hoach", "content/bao-cao",
                                                        "content/pages", "content/van-ban"}


def test_studio_review_mode_is_decap_servers_git_workflow(monkeypatch, tmp_path):
    """`make studio` writes straight to content/; `make studio REVIEW=1` (CCHC_STUDIO_REVIEW = the
    branch) turns on the review workflow against that branch, through the same local backend."""
    url = {"CCHC_STUDIO_BACKEND_URL": "http://127.0.0.1:9999/api/v1"}
    plain = _editor_config("studioconf", monkeypatch, tmp_path, env={**url, "CCHC_STUDIO_REVIEW": ""})
    assert plain["backend"] == {"name": "proxy", "proxy_url": url["CCHC_STUDIO_BACKEND_URL"], "branch": "main",
                                "commit_messages": cmsconfig.COMMIT_MESSAGES}
    assert cmsconfig.COMMIT_MESSAGES["create"] == "Tạo {{collection}} “{{slug}}”"  # git log in Vietnamese
    assert "publish_mode" not in plain
    review = _editor_config("studioconf", monkeypatch, tmp_path, env={**url, "CCHC_STUDIO_REVIEW": "xuat-ban"})
    assert review["backend"]["branch"] == "xuat-ban" and review["publish_mode"] == "editorial_workflow"
