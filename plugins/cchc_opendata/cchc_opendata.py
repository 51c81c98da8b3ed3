"""cchc_opendata: every news item, plan and legal document as JSON, with a catalogue and schema.

Writes /du-lieu-mo/index.json (the catalogue), one JSON file per record
(/du-lieu-mo/<tin-tuc|ke-hoach|van-ban>/<slug>.json), the JSON Schema they follow
(/du-lieu-mo/schema.json) and the "Dữ liệu mở" page explaining them. Output is
reproducible: sorted keys, stable record order, no build timestamps.
Needs cchc_documents, listed before this plugin in PLUGINS (checked when the build starts).
"""

import datetime as dt
import json
import logging
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from cchc.core import indexresults, indicators, outputtree
from cchc.core.dates import known
from cchc.core.settings import merged_settings, require_order
from cchc.core.sitepaths import DEFAULT_URLS
from cchc.core.siteurl import absolute_url
from cchc_documents import body_text

log = logging.getLogger(__name__)

SCHEMA_PATH = Path(__file__).with_name("schema.json")

DEFAULTS = {
    "URL": DEFAULT_URLS["opendata"],
    "LICENCE_NAME": "",  # e.g. "CC BY 4.0"; empty: the page says no licence is published yet
    "LICENCE_URL": "",
    # The page (content/pages/, type trang, by slug) whose text is the "Căn cứ công khai" section:
    # the law the portal publishes under, kept as content staff edit, never in code. With
    # `status: hidden` it is shown only there (its address is this page's).
    "BASIS_PAGE": "can-cu-du-lieu-mo",
}

# Front-matter fields exported for posts, in schema order; the values come from the article.
POST_FIELDS = (
    "type", "id", "title", "slug", "lang", "date", "date_status", "date_note", "modified",
    "summary", "author", "source_unit", "source_ref", "source_section", "locality", "province",
    "areas", "tags", "plans", "news", "doc_type", "doc_number", "doc_number_note", "issuer",
    "issue_date", "issue_date_note", "period", "lead_unit", "legal_bases", "targets",
    "attachment", "history_note", "reporting_unit", "report_period", "results",
)
KINDS = {"tin-tuc": "tin-tuc", "ke-hoach": "ke-hoach", "bao-cao": "bao-cao", "van-ban": "van-ban"}
# Every target and every result in one spreadsheet-friendly file (UTF-8 with BOM, comma-separated).
CSV_NAME = "chi-tieu-va-ket-qua.csv"
CSV_COLUMNS = (
    "loai", "ma_chi_tieu", "ten_chi_tieu", "don_vi_do", "dia_phuong", "ma_dia_phuong", "van_ban", "so_ky_hieu",
    "so_sanh", "gia_tri", "nam_chi_tieu", "tinh_den", "ky", "tinh_trang", "ket_qua_moi_nhat", "trich_nguyen_van",
    "tai_lieu_kiem_chung", "duong_dan",
)


def settings_for(settings):
    """CCHC_OPENDATA overrides merged over DEFAULTS into a local copy."""
    merged = merged_settings(settings, "CCHC_OPENDATA", DEFAULTS, "cchc_opendata")
    if not merged["LICENCE_NAME"]:
        merged["LICENCE_NAME"] = (settings.get("ORGANISATION") or {}).get("licence", "") or ""
    return merged


def site_paths(settings):
    """Where this plugin writes (cchc.core.sitepaths: an old path may not take these over)."""
    return [merged_settings(settings, "CCHC_OPENDATA", DEFAULTS, "cchc_opendata")["URL"]]


def _date(value, with_time=True):
    if not value:
        return None
    if with_time and isinstance(value, dt.datetime):
        return value.isoformat()
    return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()


def post_record(art, siteurl, json_url):
    """A news item or plan: its front-matter fields, URLs and body text."""
    meta = {
        "type": art.kind,
        "id": getattr(art, "permanent_id", None),
        "title": art.title,
        "slug": art.slug,
        "lang": getattr(art, "lang", None) or "vi",
        "date": _date(known(art.date)),
        "modified": _date(getattr(art, "modified", None)) if "modified" in art.metadata else None,
        "summary": getattr(art, "summary_text", None),
        "author": getattr(art, "byline", None),
        "tags": [str(t) for t in getattr(art, "tags", None) or []],
        "issue_date": _date(getattr(art, "issue_date", None), with_time=False),
        "legal_bases": [{k: v for k, v in dict(b, date=_date(b.get("date"), with_time=False)).items()
                         if v is not None} for b in getattr(art, "legal_bases", None) or []],
        "targets": [dict(t) for t in getattr(art, "targets", None) or []],
        "results": [dict(r, as_of=_date(r["as_of"], with_time=False)) for r in getattr(art, "results", None) or []],
    }
    for name in POST_FIELDS:
        if name not in meta:
            meta[name] = art.metadata.get(name)
    record = {k: v for k, v in meta.items() if v not in (None, [], "")}
    record.update(unit_codes(getattr(art, "locality_unit", None)))
    record.update(url=absolute_url(siteurl, art.url), json_url=json_url,
                  body_text=body_text(art))
    return record


def unit_codes(uid):
    """The official codes of a post's unit as of the post, and of the units holding its area today."""
    if not uid:
        return {}
    from cchc.core import units

    reg = units.registry()
    unit = reg[uid]
    now = reg.now(unit)
    return {"locality_unit": {"code": unit.code, "name": unit.name, "province_code": reg.province_of(unit).code,
                              "until": unit.until.isoformat() if unit.until else None},
            "locality_units_now": [{"code": u.code, "name": u.name, "province_code": reg.province_of(u).code,
                                    "partial": partial} for u, partial in now]}


def document_record(doc, siteurl, json_url):
    """A legal document: what the portal knows, where it comes from, and its links."""
    record = {
        "type": "van-ban",
        "number": doc.text,
        "slug": doc.slug,
        "doc_type": doc.doc_type,
        "issuer": doc.issuer,
        "issue_date": _date(doc.issue_date, with_time=False),
        "title": doc.title,
        "known_from": doc.known_from,
        "record_url": absolute_url(siteurl, doc.record.url) if doc.record is not None else None,
        "history_note": doc.history_note,
        "effective_date": _date(doc.effective_date, with_time=False),
        "official_url": doc.official_url,
        "attachment": ({"title": doc.attachment["title"], "url": absolute_url(siteurl, doc.attachment["path"])}
                       if doc.attachment else None),
        "checked": _date(doc.checked, with_time=False),
        "validity": {k: v for k, v in {
            "status": doc.status.code, "since": _date(doc.status.since, with_time=False),
            "by": doc.status.by.number.text if doc.status.by else None}.items() if v is not None},
        "relations": [{"relation": rel.kind, "number": other.text, "url": absolute_url(siteurl, other.url),
                       "date": _date(rel.date, with_time=False)} for rel, other in doc.relations]
                     + [{"relation": code, "number": other.text, "url": absolute_url(siteurl, other.url),
                         "date": _date(rel.date, with_time=False)} for code, other, rel in doc.inverse],
        "bases": [{"number": b.text, "url": absolute_url(siteurl, b.url)} for b in doc.bases]
                 + [{"reference": b["reference"]} for b in doc.unnumbered_bases],
        "implemented_by": [absolute_url(siteurl, a.url) for a in doc.implemented_by],
        "mentioned_in": [absolute_url(siteurl, a.url) for a, _ in doc.mentioned_in],
        "citations": [
            {k: v for k, v in {
                "source_url": absolute_url(siteurl, c.article.url), "as_basis": c.as_basis,
                "doc_type": c.doc_type, "issuer": c.issuer,
                "date": _date(c.date, with_time=False), "title": c.title, "excerpt": c.excerpt,
            }.items() if v is not None}
            for c in doc.citations
        ],
        "url": absolute_url(siteurl, doc.url),
        "json_url": json_url,
    }
    return {k: v for k, v in record.items() if v is not None}


def csv_rows(articles, siteurl, index_results=()):
    """One row per target (with its status and latest result) and per result, in a stable order."""

    def code_of(art):
        return unit_codes(getattr(art, "locality_unit", None)).get("locality_unit", {}).get("code", "")

    rows = []
    for art in sorted(articles, key=lambda a: (a.kind, a.slug)):
        if art.kind == "ke-hoach":
            for target, progress in zip(getattr(art, "targets", None) or [],
                                        getattr(art, "target_progress", None) or []):
                ind = progress.indicator
                latest = progress.result
                rows.append({
                    "loai": "chi-tieu", "ma_chi_tieu": ind.code if ind else "", "ten_chi_tieu": ind.name if ind
                    else target["measure"], "don_vi_do": target.get("unit") or "", "dia_phuong": art.locality,
                    "ma_dia_phuong": code_of(art), "van_ban": art.title,
                    "so_ky_hieu": getattr(art, "doc_number", "") or "",
                    "so_sanh": target["comparator"], "gia_tri": format(target["value"], "g"),
                    "nam_chi_tieu": target.get("year") or "", "tinh_trang": progress.status,
                    "ket_qua_moi_nhat": (format(latest.result["value"], "g") + " " + latest.result["as_of_label"]
                                         if latest else ""),
                    "trich_nguyen_van": target.get("quote") or "", "duong_dan": absolute_url(siteurl, art.url)})
        elif art.kind == "bao-cao":
            for res in getattr(art, "results", None) or []:
                ind = indicators.BY_CODE[res["indicator"]]
                evidence = res.get("evidence") or ""
                rows.append({
                    "loai": "ket-qua", "ma_chi_tieu": ind.code, "ten_chi_tieu": ind.name, "don_vi_do": res["unit"],
                    "dia_phuong": art.locality, "ma_dia_phuong": code_of(art), "van_ban": art.title,
                    "so_ky_hieu": getattr(art, "doc_number", "") or "", "gia_tri": format(res["value"], "g"),
                    "tinh_den": _date(res["as_of"], with_time=False), "ky": res["as_of_label"],
                    "trich_nguyen_van": res["quote"],
                    "tai_lieu_kiem_chung": (absolute_url(siteurl, evidence) if evidence.startswith("files/")
                                            else evidence),
                    "duong_dan": absolute_url(siteurl, art.url)})
    for res in index_results:
        for code, _res, value, as_of in indexresults.as_results([res]):
            ind = indicators.BY_CODE[code]
            rows.append({
                "loai": "chi-so", "ma_chi_tieu": code, "ten_chi_tieu": ind.name, "don_vi_do": ind.unit,
                "dia_phuong": res.locality,
                "ma_dia_phuong": unit_codes(res.unit).get("locality_unit", {}).get("code", ""),
                "van_ban": f"{indexresults.INDEXES[res.index]} {res.year}", "gia_tri": format(value, "g"),
                "tinh_den": as_of.isoformat(), "ky": f"năm {res.year}", "trich_nguyen_van": res.quote,
                "tai_lieu_kiem_chung": res.source})
    return rows


def csv_text(articles, siteurl, index_results=()):
    """The targets-and-results CSV: opens in a spreadsheet with Vietnamese intact (BOM)."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, restval="", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(csv_rows(articles, siteurl, index_results))
    return "\ufeff" + buf.getvalue()


def dumps(data):
    """The one JSON form: UTF-8, sorted keys, two-space indent, trailing newline."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


class OpenDataGenerator(Generator):
    """Writes the JSON files and the "Dữ liệu mở" page."""

    def generate_context(self):
        self.conf = settings_for(self.settings)
        self.context["CCHC_OPENDATA_URL"] = self.conf["URL"]

    def prepare(self):
        """Build every record (after all contexts are final) and attach json_url to pages."""
        siteurl = self.settings.get("SITEURL", "") or ""
        base = self.conf["URL"]
        registry = self.context.get("cchc_documents")
        if registry is None:
            log.error("cchc_opendata: cchc_documents is not enabled; document records are missing")
        self.files = {}
        entries = []
        articles = sorted(self.context.get("articles", []), key=lambda a: (a.kind, a.slug))
        for art in articles:
            path = f"{base}{art.kind}/{art.slug}.json"
            art.json_url = absolute_url(siteurl, path)
            self.files[path] = post_record(art, siteurl, art.json_url)
            entries.append({"type": art.kind, "id": getattr(art, "permanent_id", None) or art.slug,
                            "title": art.title, "url": absolute_url(siteurl, art.url),
                            "json_url": art.json_url})
        docs = sorted(registry.docs.values(), key=lambda d: d.slug) if registry else []
        for doc in docs:
            path = f"{base}van-ban/{doc.slug}.json"
            doc.json_url = absolute_url(siteurl, path)
            self.files[path] = document_record(doc, siteurl, doc.json_url)
            entries.append({"type": "van-ban", "id": doc.text, "title": doc.title or doc.text,
                            "url": absolute_url(siteurl, doc.url), "json_url": doc.json_url})
        self.catalogue = {
            "title": self.settings.get("SITENAME", ""),
            "description_url": absolute_url(siteurl, base),
            "schema_url": absolute_url(siteurl, f"{base}schema.json"),
            "targets_results_csv_url": absolute_url(siteurl, f"{base}{CSV_NAME}"),
            "indicators": [{"code": i.code, "name": i.name, "name_en": i.name_en, "unit": i.unit, "better": i.better}
                           for i in indicators.INDICATORS],
            "licence": {"name": self.conf["LICENCE_NAME"] or None,
                        "url": self.conf["LICENCE_URL"] or None},
            "records": entries,
        }
        self.counts = {k: sum(1 for e in entries if e["type"] == k) for k in KINDS}
        self.basis = basis_page(self.context, self.conf["BASIS_PAGE"], base)

    def generate_output(self, writer):
        base = self.conf["URL"]
        out = Path(self.output_path)
        tree = outputtree.PreviousTree.from_settings(self.settings, self.output_path)
        files = {rel: dumps(data) for rel, data in self.files.items()}
        files[f"{base}index.json"] = dumps(self.catalogue)
        schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
        schema["$defs"]["indicator"]["enum"] = list(indicators.CODES)  # the catalogue's, never retyped
        files[f"{base}schema.json"] = dumps(schema)
        files[f"{base}{CSV_NAME}"] = csv_text(self.context.get("articles", []), self.settings.get("SITEURL", "") or "",
                                              self.context.get("cchc_index_results") or ())
        for rel, text in sorted(files.items()):  # one the live site holds byte for byte: linked from it
            outputtree.put(out / rel, text.encode("utf-8"), tree)
        writer.write_file(base + "index.html", self.get_template("opendata"), self.context,
                          url=base, page_name=base.rstrip("/"), opendata=self.conf,
                          opendata_counts=self.counts, opendata_basis=self.basis,
                          opendata_csv_name=CSV_NAME,
                          opendata_catalogue_url=f"{base}index.json",
                          opendata_schema_url=f"{base}schema.json")
        log.debug("cchc_opendata: wrote %d JSON records", len(self.files))


def basis_page(context, slug, url):
    """The Vietnamese page *slug* holding the open-data legal basis, or None. A hidden one is shown
    only on the open-data page: not written at its own address, and links to it lead there."""
    for page in (*context.get("hidden_pages", ()), *context.get("pages", ())):
        if page.slug == slug and getattr(page, "lang", "vi") == "vi":
            if getattr(page, "status", "") == "hidden":
                page.override_save_as, page.override_url = "", url
            return page
    return None


def prepare(generators):
    """After every generator has its context, build the records so pages can link their JSON."""
    for gen in generators:
        if isinstance(gen, OpenDataGenerator):
            gen.prepare()


def get_generators(_pelican):
    return OpenDataGenerator


def check_order(pelican):
    """The document records come from cchc_documents' registry: after cchc_documents."""
    require_order(pelican.settings, "cchc_opendata", after=("cchc_documents",))


def register():
    """Check the plugin order; add the open-data generator and build its records once all
    contexts are final."""
    signals.initialized.connect(check_order)
    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(prepare)

