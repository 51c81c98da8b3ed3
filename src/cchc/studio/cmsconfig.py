"""Decap CMS's ``config.yml``, generated from the front-matter schema in ``cchc.core.schema``.

Nothing here lists the fields: every entry of ``schema.FIELDS`` becomes a form field, its
widget chosen by the field's *kind*, its label the schema's Vietnamese label, its hint
``cchc.core.fieldhelp`` (or the kind's hint), required when ``schema.REQUIRED`` says so,
choices from ``schema.CHOICES``, the areas from ``cchc.core.areas``, the document-number
pattern from the grammar in ``cchc.core.docnum``, the administrative units (locality, province)
from the registry of ``cchc.core.units``. A field added to the schema appears in
the editor with no other change. Which collection a field belongs in is decided by what
the schema requires of each type, plus the few plan-only and page-only fields below.
"""

from functools import cache

from cchc.core import dates, docnum, indicators, schema, units
from cchc.core import results as results_rules
from cchc.core.areas import AREAS
from cchc.core.fieldhelp import HINTS, KIND_HINTS
from cchc.core.text import fold

# Collections: type → (folder under content/, Vietnamese name, singular).
COLLECTIONS = {
    "tin-tuc": ("tin-tuc", "Tin tức", "tin"),
    "ke-hoach": ("ke-hoach", "Kế hoạch", "kế hoạch"),
    "bao-cao": ("bao-cao", "Báo cáo", "báo cáo"),
    "van-ban": ("van-ban", "Văn bản (không phải kế hoạch của địa phương)", "văn bản"),
    "trang": ("pages", "Trang", "trang"),
}
# Fields that make sense for one type only; every other field is offered on news and plans.
PLAN_ONLY = {"doc_type", "doc_number", "doc_number_note", "issuer", "issue_date", "issue_date_note",
             "period", "lead_unit", "legal_bases", "targets", "history_note", "news", "validity",
             "effective_date", "official_url", "checked", "replaced_by", "repealed_by", "amended_by"}
# A document record (content/van-ban/): the facts of one document, its validity and its source.
RECORD_FIELDS = ("type", "doc_number", "doc_type", "title", "issuer", "issue_date", "effective_date",
                 "validity", "replaced_by", "repealed_by", "amended_by", "official_url", "attachment",
                 "checked", "changes", "status")
NEWS_ONLY = {"plans"}
# A report (bao-cao): its own fields, the plans it reports on, and number/date under the plans' rules.
REPORT_ONLY = {"reporting_unit", "report_period", "results"}
REPORT_FROM_PLANS = {"doc_number", "doc_number_note", "issue_date", "issue_date_note"}
PAGE_FIELDS = {"type", "title", "slug", "lang", "template", "order", "summary", "status", "id",
               "counterpart", "changes", "modified"}
PAGE_ONLY = {"lang", "template", "order"}
# Shown first, in this order; the rest follow in the schema's order.
LEADING = ("type", "id", "title", "date", "summary", "areas", "locality", "province", "status")

DATE_FORMAT = "DD/MM/YYYY"  # what cchc.core.dates.parse_vi_date reads: day first
TIME_FORMAT = "HH:mm"  # optional: a date alone is fine
NUMBER_VALUE = r"^-?\d+(?:[.,]\d+)?$"
YEAR = r"^(19|20)\d\d$"


def date_widget(with_time):
    """Our day-first date picker (cms-init.js "cchc-date"): a date, and for a post's date an
    optional time; written DD/MM/YYYY or DD/MM/YYYY HH:mm. Existing values are read with the
    grammar of cchc.core.dates (with or without time, ISO too), passed here, never retyped."""
    return {"widget": "cchc-date", "date_format": DATE_FORMAT,
            "time_format": TIME_FORMAT if with_time else False,
            "day_first": js_pattern(dates._DMY.pattern),
            "iso": js_pattern(dates._ISO.pattern),
            "default": ""}


def js_pattern(python_regex):
    """A Python regex → the same regex in JavaScript syntax (named groups)."""
    return python_regex.replace("(?P<", "(?<")


def docnum_pattern():
    """The whole-value document-number grammar of cchc.core.docnum, for the browser."""
    return js_pattern(docnum._FULL_RE.pattern)


def fields_for(kind):
    """Schema field names offered on a collection of *kind*, leading ones first."""
    if kind == "van-ban":
        return list(RECORD_FIELDS)
    if kind == "trang":
        names = [n for n in schema.FIELDS if n in PAGE_FIELDS]
    elif kind == "bao-cao":
        names = [n for n in schema.FIELDS if n not in PAGE_ONLY
                 and (n not in PLAN_ONLY or n in REPORT_FROM_PLANS)]
    else:
        names = [n for n in schema.FIELDS if n not in PAGE_ONLY and n not in REPORT_ONLY
                 and not (kind == "tin-tuc" and n in PLAN_ONLY)
                 and not (kind == "ke-hoach" and n in NEWS_ONLY)]
    lead = [n for n in LEADING if n in names]
    return lead + [n for n in names if n not in lead]


def _hint(name, kind):
    return HINTS.get(name) or KIND_HINTS.get(kind.split(":", 1)[0], "")


def _options(values, labels=None):
    return [{"label": (labels or {}).get(v, v), "value": v} for v in values]


def widget(name, kind, required, collection_kind):
    """The Decap field for schema field *name* of *kind*."""
    label = schema.FIELDS[name][0]
    field = {"name": name, "label": label, "required": bool(required)}
    hint = _hint(name, kind)
    if hint:
        field["hint"] = hint
    if name == "type":
        return {"name": name, "label": label, "widget": "hidden", "default": collection_kind}
    if name == "id":
        # Generated once (crypto.randomUUID in cms-init.js) and never shown: it must not change.
        return {"name": name, "label": label, "widget": "hidden", "required": False}
    if name == "status":
        # A toggle "Lưu nháp" writing status: draft (cms-init.js registers the widget).
        field.update(widget="cchc-draft", label="Lưu nháp (chưa đăng)")
        return field
    if kind.startswith("choice:"):
        values = schema.CHOICES[kind.split(":", 1)[1]]
        field.update(widget="select", options=_options(values, LABELS.get(name)))
        return field
    if kind == "text":
        field["widget"] = "text" if name in LONG_TEXT else "string"
        return field
    if kind in ("unit", "province"):
        # Decap's searchable select (cms-init.js "cchc-unit": typing filters the labels, with or
        # without tone marks) over the units of unit_choices()[kind], which the plugin writes to
        # units.json beside config.yml: some 4,000 choices in config.yml made the editor slow to open.
        field.update(widget="cchc-unit", choices=kind)
        return field
    if kind == "date":
        field.update(date_widget(with_time=name in ("date", "modified")))
        return field
    if kind == "areas":
        field.update(widget="select", multiple=True, min=1 if required else 0,
                     options=_options(AREAS, AREAS))
        return field
    if kind in ("list", "paths"):
        field.update(widget="list")
        return field
    if kind == "slugs":
        target = {"plans": "ke-hoach", "news": "tin-tuc"}.get(name, collection_kind)
        field.update(widget="relation", collection=target, value_field="{{slug}}",
                     search_fields=["title"], display_fields=["title"], multiple=True)
        return field
    if kind == "slug":
        field.update(widget="string", pattern=[f"^{schema.SLUG_PATTERN}$",
                                               "Chỉ chữ thường không dấu, số và dấu gạch ngang"])
        return field
    if kind == "id":
        field.update(widget="string", pattern=[f"^{schema.ID_PATTERN}$",
                                               "Chỉ gồm chữ, số và - _ : . (ít nhất 6 ký tự)"])
        return field
    if kind == "url":
        field.update(widget="string", pattern=[f"^{schema.URL_PATTERN}$",
                                               "Địa chỉ đầy đủ, bắt đầu bằng http:// hoặc https://"])
        return field
    if kind == "int":
        field.update(widget="number", value_type="int")
        return field
    if kind == "docnum":
        field.update(widget="string", pattern=[docnum_pattern(), DOCNUM_MESSAGE])
        return field
    if kind == "period":
        field.update(widget="string", pattern=[r"^(19|20)\d\d(\s*[-–]\s*(19|20)\d\d)?$",
                                               "Một năm (2024) hoặc một giai đoạn (2021-2025)"])
        return field
    if kind == "legal_bases":
        field.update(widget="list", fields=_sub_fields(schema.LEGAL_BASIS_FIELDS, LEGAL_BASIS_KINDS),
                     summary="{{fields.number}}{{fields.reference}}")
        return field
    if kind == "targets":
        field.update(widget="list", fields=_sub_fields(schema.TARGET_FIELDS, TARGET_KINDS),
                     summary="{{fields.measure}}")
        return field
    if kind == "results":
        field.update(widget="list", fields=_sub_fields(schema.RESULT_FIELDS, RESULT_KINDS,
                                                       required=("indicator", "value", "quote")),
                     summary="{{fields.indicator}}: {{fields.value}} ({{fields.as_of}})")
        return field
    if kind == "report_period":
        field.update(widget="string", hint=results_rules.PERIOD_EXAMPLES)
        return field
    if kind == "changes":
        field.update(widget="list", fields=_sub_fields(schema.CHANGE_FIELDS, {"date": "date"},
                                                       required=tuple(schema.CHANGE_FIELDS)),
                     summary="{{fields.date}}: {{fields.note}}")
        return field
    if kind == "relations":
        field.update(widget="list", fields=_sub_fields(schema.RELATION_FIELDS, {"number": "docnum", "date": "date"},
                                                       required=("number", "date")),
                     summary="{{fields.number}} ({{fields.date}})")
        return field
    if kind == "attachment":
        sub = {k: v for k, v in schema.ATTACHMENT_FIELDS.items() if k in ("path", "title")}
        field.update(widget="object", collapsed=True,
                     fields=_sub_fields(sub, {"path": "file", "title": "text"}, required=tuple(sub)))
        return field
    if kind == "image":
        field.update(widget="object", collapsed=True, fields=_sub_fields(
            schema.IMAGE_FIELDS, {"path": "image", "alt": "text"}, required=tuple(schema.IMAGE_FIELDS)))
        return field
    # An unknown kind still gets a plain text box: a new schema field is never left out.
    field["widget"] = "string"
    return field


LONG_TEXT = {"summary", "date_note", "doc_number_note", "issue_date_note", "history_note"}
LABELS = {
    "date_status": {"chac-chan": "Chắc chắn", "nghi-van": "Nghi vấn", "khong-ro": "Không rõ"},
    "lang": {"vi": "Tiếng Việt", "en": "Tiếng Anh (English)"},
    "validity": {"con-hieu-luc": "Còn hiệu lực", "het-hieu-luc": "Hết hiệu lực", "chua-ro": "Chưa rõ"},
}
DOCNUM_MESSAGE = ("Không đúng dạng số ký hiệu, ví dụ 179/KH-UBND, 93/2007/QĐ-TTg hoặc "
                  "(văn bản của Đảng) 16-NQ/TU")
# Kinds of the sub-fields, as schema._legal_basis and schema._target check them.
LEGAL_BASIS_KINDS = {"number": "docnum", "reference": "text", "doc_type": "choice:doc_type",
                     "title": "text", "issuer": "text", "date": "date"}
TARGET_KINDS = {"indicator": "indicator", "measure": "text", "comparator": "comparator", "value": "number",
                "unit": "text",
                "year": "year", "note": "text", "quote": "text"}
SUB_REQUIRED = {"measure", "value"}
RESULT_KINDS = {"indicator": "indicator", "value": "number", "unit": "text", "as_of": "text", "quote": "text",
                "evidence": "text"}
FILE_FOLDER = "content/files"
IMAGE_PATH_HINT = "Tải ảnh PNG hoặc JPEG lên; ảnh nằm trong content/images/."


UNIT_CHOICES = "units.json"  # beside config.yml, fetched once by cms-init.js


def unit_choices():
    """units.json: the choices of each units field kind, as Decap options [{label, value}]."""
    return {"unit": unit_options(), "province": unit_options(provinces_only=True)}


@cache
def unit_options(provinces_only=False):
    """The units a post's locality may name, as Decap options [{label, value}]: today's provinces
    and communes, then the provinces and districts before 01/07/2025 (not the old communes, some
    10,000 more). The value is what `cchc check` resolves back to the unit (``written_name``:
    its name, with its province when its era has several of that name); a name both eras share
    (Tỉnh Phú Thọ) is one choice, read as of the post's date. The label says where the unit came
    from or went, so typing an old name finds today's units and a new name the old ones."""
    try:
        reg = units.registry()
    except units.UnitsUnavailable:
        return []  # `make html` installs the data; `cchc check` says so in Vietnamese
    offered = [u for u in reg.units.values()
               if (u.level == units.PROVINCE if provinces_only else u.current or u.level < units.COMMUNE)]
    offered.sort(key=lambda u: (not u.current, u.level, fold(reg.province_of(u).short), fold(u.name)))
    options = {}
    for unit in offered:
        options.setdefault(reg.written_name(unit), unit_label(unit, reg))
    return [{"label": label, "value": value} for value, label in options.items()]


def unit_label(unit, reg):
    """"Xã Tam Dương, Tỉnh Phú Thọ — trước 01/07/2025: Huyện Tam Dương, Tỉnh Vĩnh Phúc";
    "Huyện Tam Dương, Tỉnh Vĩnh Phúc — đến 30/06/2025, nay: Xã Hoàng An, … (Tỉnh Phú Thọ)"."""
    name = reg.full_name(unit)
    if unit.current:
        olds = [u for u, _partial in reg.before(unit)]
        if unit.level != units.PROVINCE:  # the old districts its communes were in, not each commune
            olds = [reg[u.district] if u.district else u for u in olds]
        before = list(dict.fromkeys(reg.full_name(u) for u in olds))
        if not before or before == [name]:
            return name
        return f"{name} — trước {units.REFORM_2025:%d/%m/%Y}: {'; '.join(before)}"
    now = [u for u, _partial in reg.now(unit)]
    provinces = ", ".join(dict.fromkeys(reg.province_of(u).name for u in now))
    where = provinces if unit.level == units.PROVINCE else f"{', '.join(u.name for u in now)} ({provinces})"
    return f"{name} — đến {unit.until:%d/%m/%Y}, nay: {where}"


def _sub_fields(labels, kinds, required=None):
    """Sub-fields of a list row or group. Decap validates required sub-fields of an optional,
    empty list or group too (it refuses to save), so none is marked required in the form; the
    hint says which ones each row needs, and `cchc check` (the preview's panel) enforces it."""
    out = []
    for key, label in labels.items():
        kind = kinds.get(key, "text")
        req = key in (required if required is not None else SUB_REQUIRED)
        f = {"name": key, "label": label + (" (cần có trong mỗi mục)" if req else ""), "required": False}
        if kind == "docnum":
            f.update(widget="string", pattern=[docnum_pattern(), DOCNUM_MESSAGE])
        elif kind.startswith("choice:"):
            f.update(widget="select", options=_options(schema.CHOICES[kind.split(":", 1)[1]]))
        elif kind == "comparator":
            f.update(widget="select", options=_options(schema.COMPARATORS), default=">=")
        elif kind == "indicator":  # the catalogue's names, the code stored (cchc.core.indicators)
            f.update(widget="select", options=[{"label": f"{i.name} ({i.unit})", "value": i.code}
                                               for i in indicators.INDICATORS])
        elif kind == "date":
            f.update(date_widget(with_time=False))
        elif kind == "number":
            f.update(widget="string", pattern=[NUMBER_VALUE, "Một số, ví dụ 95 hoặc 96,6"])
        elif kind == "year":
            f.update(widget="string", pattern=[YEAR, "Một năm, ví dụ 2025"])
        elif kind == "file":
            # Attached files go to content/files/ (/files/…), pictures (the site-wide media
            # folder, also used by the body's "Ảnh") to content/images/, as docs/staff-guide.md says. Decap
            # makes an uploaded name ASCII with the config's slug rules (Đợt 1.pdf → dot-1.pdf).
            # No "Chèn từ địa chỉ web": `cchc check` wants a file under content/.
            f.update(widget="file", choose_url=False, media_folder="/" + FILE_FOLDER,
                     public_folder="/" + FILE_FOLDER.split("/", 1)[1])
        elif kind == "image":
            f.update(widget="image", choose_url=False)
        else:
            f.update(widget="string")
        hint = IMAGE_PATH_HINT if kind == "image" else HINTS.get(f"{key}@sub")
        if hint:
            f["hint"] = hint
        out.append(f)
    return out


# Required unless another field has a value (schema.validate: no date when date_status is
# khong-ro, e.g. an imported post whose source gave none). Decap's `required` cannot say so
# (it would refuse to save such a post), so the field is optional for Decap and the save hook
# in cms-init.js (reading `required_unless` from this config) refuses the save in Vietnamese.
REQUIRED_UNLESS = {"date": ("date_status", "khong-ro")}


def collection(kind):
    folder, name, singular = COLLECTIONS[kind]
    required = set(schema.REQUIRED.get(kind, ()))
    fields = [widget(n, schema.FIELDS[n][1], n in required, kind) for n in fields_for(kind)]
    for f in fields:
        if f["name"] in REQUIRED_UNLESS and f.get("required"):
            other, value = REQUIRED_UNLESS[f["name"]]
            f.update(required=False, required_unless={"field": other, "value": value,
                                                       "other_label": schema.FIELDS[other][0]})
    # sanitize_preview: raw HTML in a body never runs in the editor's preview (issue 12).
    fields.append({"name": "body", "label": "Nội dung", "widget": "markdown",
                   "required": kind in schema.BODY_REQUIRED or kind == "trang",
                   "sanitize_preview": True,
                   "hint": "Mỗi đoạn cách nhau một dòng trống."})
    return {
        "name": kind,
        "label": name,
        "label_singular": singular,
        "folder": f"content/{folder}",
        "create": True,
        "extension": "md",
        "format": "yaml-frontmatter",
        "slug": "{{slug}}",
        "summary": "{{doc_number}}" if kind == "van-ban" else "{{title}}",
        **({"identifier_field": "doc_number"} if kind == "van-ban" else {}),
        "sortable_fields": ["title"] + (["date"] if any(f["name"] == "date" for f in fields) else []),
        "fields": fields,
    }


# The commits the editor writes (Decap's backend.commit_messages; {{collection}} is the
# collection's label_singular): Vietnamese, like everything staff read in `git log`.
COMMIT_MESSAGES = {
    "create": "Tạo {{collection}} “{{slug}}”",
    "update": "Sửa {{collection}} “{{slug}}”",
    "delete": "Xóa {{collection}} “{{slug}}”",
    "uploadMedia": "Tải lên tệp “{{path}}”",
    "deleteMedia": "Xóa tệp “{{path}}”",
    "openAuthoring": "{{message}}",
}


def cms_config(backend, site_url="", editorial_workflow=False, media_folder="content/images",
               public_folder="/images"):
    """The whole config as a dict (YAML-dumped by the plugin)."""
    conf = {
        "backend": {"commit_messages": dict(COMMIT_MESSAGES), **backend},
        "locale": "vi",
        "site_url": site_url or "/",
        "display_url": site_url or "/",
        "logo_url": "",
        "media_folder": media_folder,
        "public_folder": public_folder,
        # ASCII entry and upload names, as cchc.core.text.slugify: "Đẩy mạnh" → day-manh, "đợt" →
        # dot (Decap's clean_accents maps đ; the browser test uploads "Kế hoạch số 12 đợt 1.pdf").
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [collection(k) for k in COLLECTIONS],
    }
    conf.pop("logo_url")
    if editorial_workflow:
        conf["publish_mode"] = "editorial_workflow"
    return conf


def save_rules(conf):
    """collection → its fields with `required_unless` (cms-rules.json, read by cms-init.js)."""
    return {c["name"]: [{k: f[k] for k in ("name", "label", "required_unless")}
                        for f in c["fields"] if "required_unless" in f] for c in conf["collections"]}


def schema_field_names(conf):
    """Every field name that appears in *conf* (sub-fields as parent.child)."""
    names = set()
    for coll in conf["collections"]:
        for f in coll["fields"]:
            names.add(f["name"])
            for sub in f.get("fields", ()):
                names.add(f"{f['name']}.{sub['name']}")
    return names


