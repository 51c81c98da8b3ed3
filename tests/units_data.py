"""A copy of the administrative-units data with a change, as a new version of the package would
bring it: what the registry (cchc.core.units.load) and a build (CCHC_UNITS_DATA) then say."""

import json
import shutil
import sqlite3

from cchc.core import units
from cchc.core.text import fold


def data_copy(tmp_path):
    """The installed package's two data files copied into *tmp_path*/units-data."""
    src, _version = units._data_dir()
    dst = tmp_path / "units-data"
    dst.mkdir()
    for name in ("dataset.db", "converter_2025.json"):
        shutil.copy(src / name, dst / name)
    return dst


def rename_current(data_dir, code, kind, short):
    """Today's unit *code* renamed "<kind> <short>" (as "xã X became phường X" in 2026): the
    unit table and the old → new conversion both follow, as the package's own data would."""
    name = f"{kind} {short}"
    key, short_key = fold(name).replace(" ", ""), fold(short).replace(" ", "")
    with sqlite3.connect(data_dir / "dataset.db") as con:
        (province_key, old_key), = con.execute(
            "SELECT provinceKey, wardKey FROM admin_units WHERE wardCode = ?", (code,)).fetchall()
        con.execute("UPDATE admin_units SET ward = ?, wardShort = ?, wardType = ?, wardKey = ?, wardShortKey = ?"
                    " WHERE wardCode = ?", (name, short, kind, key, short_key, code))
    path = data_dir / "converter_2025.json"
    mapping = json.loads(path.read_text(encoding="utf-8"))
    wards = mapping["DICT_PROVINCE_WARD_NO_DIVIDED"][province_key]
    if old_key in wards:
        wards[key] = wards.pop(old_key)
    for news in mapping["DICT_PROVINCE_WARD_DIVIDED"].get(province_key, {}).values():
        for new in news:
            if new["newWardKey"] == old_key:
                new["newWardKey"] = key
    path.write_text(json.dumps(mapping, ensure_ascii=False), encoding="utf-8")
    return data_dir
