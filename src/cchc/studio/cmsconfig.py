"""Decap CMS's ``config.yml``, generated from the table of fields in ``cchc.core.schema``.

Nothing here lists the fields or restates their facts: every row of ``schema.TABLE`` offered on
a type (its ``on``) becomes a form field of that collection, in the table's order, under its
group's heading (``schema.GROUPS``: what staff write first, then classification, more, and
the old portal's fields folded away at the end). Its widget is chosen by the field's *kind*,
its label, hint, required flag and required-unless rule are the row's; choices come from
``schema.CHOICES`` (named by ``schema.CHOICE_LABELS``), the sub-fields of a group kind from
``schema.SUB_FIELDS``, patterns and their messages from the check's own grammars
(``schema.*_PATTERN``, ``schema.KIND_MESSAGES``, ``cchc.core.docnum``, ``cchc.core.dates``).
A row added to the table appears in the editor with no other change.

What the browser needs beyond Decap's own keys travels in the config (each field's
``required_unless`` and ``message``, the date grammar) and in ``cms-rules.json`` (save_rules),
read by cms-rules.js, whose rules are parity-tested against Python under Node
(tests/unit/test_editor_rules.py).
"""

from functools import cache

from cchc.core import dates, docnum, indicators, schema, units
from cchc.core import results as results_rules
from cchc.core.areas import AREAS
from cchc.core.text import fold

# Collections: type → (folder under content/, Vietnamese name, singular).
COLLECTIONS = {
    "tin-tuc": ("tin-tuc", "Tin tức", "tin"),
    "ke-hoach": ("ke-hoach", "Kế hoạch", "kế hoạch"),
    "bao-cao": ("bao-cao", "Báo cáo", "báo cáo"),
    "van-ban": ("van-ban", "Văn bản (không phải kế hoạch của địa phương)", "văn bản"),
    "trang": ("pages", "Trang", "trang"),
}
# A group's heading is a form field of its own (widget cchc-group, never written to a file):
# Decap has no flat field set, and its `object` widget would nest the fields in the file.
GROUP_PREFIX = "cchc_group_"

DATE_FORMAT = "DD/MM/YYYY"  # what cchc.core.dates.parse_vi_date reads: day first
TIME_FORMAT = "HH:mm"  # optional: a date alone is fine


def date_widget(with_time):
    """Our day-first date field (cms-init.js "cchc-date"): typed and shown DD/MM/YYYY whatever
    the browser's language, and for a post's date an optional time; written DD/MM/YYYY or
    DD/MM/YYYY HH:mm. Values are read with the grammar of cchc.core.dates (with or without
    time, AM/PM, ISO too), passed here, never retyped (cms-rules.js dateParts)."""
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
    """The rows of schema.TABLE offered on a collection of *kind*, grouped as schema.GROUPS
    orders them, in the table's order within a group."""
    order = [g for g, _heading, _collapsed in schema.GROUPS]
    return sorted((f for f in schema.TABLE if kind in f.on), key=lambda f: order.index(f.group))


def _hint(row):
    return row.help or schema.KIND_HELP.get(row.kind.split(":", 1)[0], "")


def _pattern(regex, kind):
    """A Decap pattern [regex, message]: the check's grammar and its message, capitalised."""
    message = schema.KIND_MESSAGES[kind]
    return [regex, message[0].upper() + message[1:]]


def _options(values, labels=None):
    return [{"label": (labels or {}).get(v, v), "value": v} for v in values]


def widget(row, collection_kind):
    """The Decap field for row *row* of schema.TABLE on a collection of *collection_kind*."""
    name, kind, label = row.name, row.kind, row.label
    required = collection_kind in row.required
    field = {"name": name, "label": label, "required": required}
    hint = _hint(row)
    if hint:
        field["hint"] = hint
    if row.unless and required:
        # Required unless another field has a value: Decap's `required` cannot say so (it would
        # refuse to save such a post), so the field is optional to Decap and our widget's
        # isValid and the save hook (cms-rules.js) refuse it in the row's own words.
        other, value = row.unless
        field.update(required=False, required_unless={"field": other, "value": value,
                                                       "other_label": schema.FIELDS[other][0]},
                     message=row.message)
    if kind == "body":
        # sanitize_preview: raw HTML in a body never runs in the editor's preview (issue 12).
        field.update(widget="markdown", sanitize_preview=True)
        return field
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
        field.update(widget="select", options=_options(values, schema.CHOICE_LABELS.get(name)))
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
        target = schema.LINK_FIELDS.get(name, collection_kind)
        field.update(widget="relation", collection=target, value_field="{{slug}}",
                     search_fields=["title"], display_fields=["title"], multiple=True)
        if collection_kind in row.at_least_one:
            field["min"] = 1
        return field
    if kind == "slug":
        field.update(widget="string", pattern=_pattern(f"^{schema.SLUG_PATTERN}$", "slug"))
        return field
    if kind == "id":
        field.update(widget="string", pattern=_pattern(f"^{schema.ID_PATTERN}$", "id"))
        return field
    if kind == "url":
        field.update(widget="string", pattern=_pattern(f"^{schema.URL_PATTERN}$", "url"))
        return field
    if kind == "int":
        field.update(widget="number", value_type="int")
        return field
    if kind == "docnum":
        field.update(widget="string", pattern=_pattern(docnum_pattern(), "docnum"))
        return field
    if kind == "period":
        field.update(widget="string", pattern=_pattern(f"^{schema.PERIOD_PATTERN}$", "period"))
        return field
    if kind in LIST_SUMMARIES:
        needed = [schema.SUB_FIELDS[kind][k][0] for k in schema.sub_required(kind)]
        if needed:
            field["hint"] = (hint + " " if hint else "") + "Mỗi mục cần có: " + ", ".join(needed) + "."
        field.update(widget="list", fields=_sub_fields(kind), summary=LIST_SUMMARIES[kind])
        return field
    if kind == "report_period":
        field.update(widget="string", hint=results_rules.PERIOD_EXAMPLES)
        return field
    if kind in ("attachment", "image"):
        field.update(widget="object", collapsed=True, fields=_sub_fields(kind))
        return field
    # An unknown kind still gets a plain text box: a new schema field is never left out.
    field["widget"] = "string"
    return field


LONG_TEXT = {"summary", "date_note", "doc_number_note", "issue_date_note", "history_note"}
# What a collapsed list row shows.
LIST_SUMMARIES = {
    "legal_bases": "{{fields.number}}{{fields.reference}}",
    "targets": "{{fields.measure}}",
    "results": "{{fields.indicator}}: {{fields.value}} ({{fields.as_of}})",
    "changes": "{{fields.date}}: {{fields.note}}",
    "relations": "{{fields.number}} ({{fields.date}})",
}
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


def _sub_fields(group):
    """The rows of a list or group (schema.SUB_FIELDS[group]; an attachment's size is the build's).
    Decap validates required sub-fields of an optional, empty list or group too (it refuses to
    save), so none is required to Decap: the list's hint says which ones each row needs, their
    mark is the same as a required field's (cms-init.js hides Decap's "không bắt buộc" on them),
    and `cchc check` (the preview's panel) enforces it."""
    out = []
    for key, (label, kind, req) in schema.SUB_FIELDS[group].items():
        if group == "attachment" and key == "size":
            continue
        f = {"name": key, "label": label, "required": False}
        if req:
            f["required_in_entry"] = True
        if kind == "docnum":
            f.update(widget="string", pattern=_pattern(docnum_pattern(), "docnum"))
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
            f.update(widget="string", pattern=_pattern(f"^{schema.NUMBER_PATTERN}$", "number"))
        elif kind == "year":
            f.update(widget="string", pattern=_pattern(f"^{schema.YEAR_PATTERN}$", "year"))
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
        hint = IMAGE_PATH_HINT if kind == "image" else schema.SUB_HELP.get(key)
        if hint:
            f["hint"] = hint
        out.append(f)
    return out


def group_header(group, heading, collapsed, members):
    """The heading of a group of the form: a field of widget cchc-group (cms-init.js), never
    written to a file (the save hook drops it); a collapsed group hides *members* until opened."""
    return {"name": GROUP_PREFIX + group.replace("-", "_"), "label": heading, "widget": "cchc-group",
            "required": False, "collapsed": collapsed, "members": members}


def collection(kind):
    folder, name, singular = COLLECTIONS[kind]
    rows = fields_for(kind)
    fields, shown = [], None
    for group, heading, collapsed in schema.GROUPS:
        members = [r for r in rows if r.group == group]
        visible = [r.name for r in members if r.name not in ("type", "id")]
        if visible and shown is not None:  # the first group shown has no heading
            fields.append(group_header(group, heading, collapsed, visible))
        if visible:
            shown = group
        fields += [widget(r, kind) for r in members]
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
    """cms-rules.json, read by cms-rules.js: collection → its fields required unless another
    field has a value ({name, label, required_unless, message}); the names of the group headings
    (never saved); and, per collection, the fields whose "không bắt buộc" mark is hidden because
    they are required after all (required unless…, required in each entry of a list)."""
    rules = {"required_unless": {}, "unmarked": {}, "group_prefix": GROUP_PREFIX}
    for c in conf["collections"]:
        rules["required_unless"][c["name"]] = [{k: f[k] for k in ("name", "label", "required_unless", "message")}
                                               for f in c["fields"] if "required_unless" in f]
        unmarked = [[None, f["name"]] for f in c["fields"]
                    if "required_unless" in f or f["widget"] == "cchc-group"]
        unmarked += [[f["name"], sub["name"]] for f in c["fields"] for sub in f.get("fields", ())
                     if sub.get("required_in_entry")]
        rules["unmarked"][c["name"]] = unmarked
    return rules


def schema_field_names(conf):
    """Every field name that appears in *conf* (sub-fields as parent.child)."""
    names = set()
    for coll in conf["collections"]:
        for f in coll["fields"]:
            if f["widget"] == "cchc-group":
                continue
            names.add(f["name"])
            for sub in f.get("fields", ()):
                names.add(f"{f['name']}.{sub['name']}")
    return names


