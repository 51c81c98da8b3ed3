"""cchc_opendata: every record as JSON, a catalogue and the schema they follow (a tiny site, in process)."""

import csv
import json


def test_catalogue_lists_one_file_per_record_and_each_exists(dev_site):
    root = dev_site / "du-lieu-mo"
    catalogue = json.loads((root / "index.json").read_text(encoding="utf-8"))
    text = json.dumps(catalogue, ensure_ascii=False)
    plan = root / "ke-hoach" / "tay-ho-ke-hoach-cai-cach-hanh-chinh-2021-2025.json"
    assert plan.is_file() and "tay-ho-ke-hoach-cai-cach-hanh-chinh-2021-2025" in text
    record = json.loads(plan.read_text(encoding="utf-8"))
    assert "224/KH-UBND" in json.dumps(record, ensure_ascii=False)
    assert json.loads((root / "schema.json").read_text(encoding="utf-8"))  # valid JSON Schema text


def test_targets_and_results_as_csv(dev_site):
    with open(dev_site / "du-lieu-mo" / "chi-tieu-va-ket-qua.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows, "no target in the CSV"
    assert any("224/KH-UBND" in " ".join(map(str, r.values())) for r in rows)


def test_open_data_is_reproducible(dev_site, tiny_site, build_site):
    """Two builds of the same content write the same bytes (no build timestamps)."""
    again = build_site(tiny_site, "pelicanconf.py", tiny_site / "output-dev-again")
    for path in sorted((dev_site / "du-lieu-mo").rglob("*")):
        if path.is_file():
            assert path.read_bytes() == (again / path.relative_to(dev_site)).read_bytes(), path
