"""Administrative units of Vietnam as they are now and as they were, with the dated lineage.

Where the data comes from: the PyPI package ``vietnamadminunits`` (MIT licence, GSO codes), pinned in
``requirements-data.txt``. We read its data files and never import its code (which loads geocoding
libraries we do not need; the package is installed without its dependencies):

- ``data/dataset.db``, table ``admin_units_legacy``: the 63 provinces, their districts and communes as
  they were until the 2025 arrangement, with their GSO codes and older names (aliases);
- table ``admin_units``: the 34 provinces and 3,321 communes (xã, phường, đặc khu) since, with codes;
- ``data/converter_2025.json``: which old provinces each new province took in, which old communes
  each new commune took in, and the old communes divided between several new ones.

How it is updated: bump the pin in ``requirements-data.txt``; ``tests/unit/test_units.py`` checks the
seed's units and that a copy of the data with one more renamed unit changes what the registry says
(``load(data_dir)``). ``CCHC_UNITS_DATA=<folder with the two files>`` makes a build read another copy,
to try a new version of the data before pinning it.

Not in the package, so declared here once: the day the two-tier structure began (``REFORM_2025``,
issue 28 and the project's domain notes). The package knows the structure just before that day and
since; changes before 2025 are only its aliases (older names of a unit that kept its code).

Loading the whole registry costs about 0.45 s of CPU and keeps about 41 MB (vietnamadminunits 1.0.4,
medians of 5 fresh processes on the shared 2-core machine; ``make bench-build`` measures and prints
it first, and keeps it in ``bench/results/build.json`` as ``units_registry``), once per process that
needs it; the tests' runner loads it once before forking its runs.
"""

import contextlib
import datetime as dt
import difflib
import json
import os
import pickle
import re
import sqlite3
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .text import fold, nfc, slugify

PACKAGE = "vietnamadminunits"
REFORM_2025 = dt.date(2025, 7, 1)
LAST_DAY_BEFORE_2025 = REFORM_2025 - dt.timedelta(days=1)
LEGACY, CURRENT = "truoc-2025", "tu-2025"  # the two eras the package knows
# What `cchc import` writes as a post's locality when it could not tell it (or could not find the
# name it read in the registry): accepted by the check as "not known yet", resolved to no unit;
# the import report and the post's status ask staff to fix it.
UNRESOLVED = "Chưa xác định"

PROVINCE, DISTRICT, COMMUNE = 1, 2, 3
LEVEL_NAMES = {PROVINCE: "cấp tỉnh", DISTRICT: "cấp huyện", COMMUNE: "cấp xã"}
# Official unit types (as the package writes them) → the level they sit at and how people write
# them: the word, then its abbreviations ("Q. Tây Hồ", "TP Vũng Tàu", "TX. Phú Thọ").
KINDS = {
    "Tỉnh": ((PROVINCE,), ("tỉnh",)),
    "Thành phố": ((PROVINCE, DISTRICT), ("thành phố", "tp", "t.p")),
    "Quận": ((DISTRICT,), ("quận", "q")),
    "Huyện": ((DISTRICT,), ("huyện", "h")),
    "Thị xã": ((DISTRICT,), ("thị xã", "tx")),
    "Thị trấn": ((COMMUNE,), ("thị trấn", "tt")),
    "Phường": ((COMMUNE,), ("phường", "p")),
    "Xã": ((COMMUNE,), ("xã", "x")),
    "Đặc khu": ((COMMUNE,), ("đặc khu",)),
}
CODE_DIGITS = {2: PROVINCE, 3: DISTRICT, 5: COMMUNE}


class UnitsUnavailable(RuntimeError):
    """The data package is not installed (or its files are missing)."""


@dataclass(frozen=True, slots=True)
class Unit:
    """One administrative unit in one era: code, official name, where it sits, when it existed."""

    uid: str  # "<era>:<code>": codes are reused across eras (a new commune takes an old one's code)
    code: str
    level: int
    kind: str  # "Tỉnh", "Thành phố", "Quận", "Huyện", "Thị xã", "Phường", "Xã", "Thị trấn", "Đặc khu"
    name: str  # official name with its type: "Quận Tây Hồ"
    short: str  # without the type: "Tây Hồ"
    era: str
    province: str | None = None  # uid of its province (None for a province)
    district: str | None = None  # uid of its district (legacy communes)
    keys: tuple = ()  # the package's keys: name and short name folded without spaces, older names

    @property
    def since(self):
        return REFORM_2025 if self.era == CURRENT else None

    @property
    def until(self):
        """The last day the unit existed (None: it exists today)."""
        return LAST_DAY_BEFORE_2025 if self.era == LEGACY else None

    @property
    def current(self):
        return self.era == CURRENT

    def exists_on(self, day):
        return day is None or ((self.since is None or self.since <= day)
                               and (self.until is None or day <= self.until))


@dataclass(frozen=True)
class Link:
    """Part or all of unit *old* went to unit *new* on *on* (partial: the old unit was divided)."""

    old: str
    new: str
    on: dt.date
    partial: bool


@dataclass
class Resolution:
    """What a written locality resolved to, or why it did not."""

    written: str
    unit: Unit | None = None
    exact: bool = False  # written exactly as the official name
    other_era: bool = False  # the unit did not exist on the post's date (a suggestion, not an error)
    error: str | None = None
    candidates: list = field(default_factory=list)  # Units (ambiguous) or names (nearest)


def _key(text):
    """Lowercase letters and digits only, tone marks kept: "Bà Rịa - Vũng Tàu" → "bàrịavũngtàu";
    numbers without leading zeros ("Phường 01" and "Phường 1" are one name)."""
    words = re.findall(r"[^\W_]+", nfc(text).lower())
    return "".join(str(int(w)) if w.isdigit() else w for w in words)


def _prefixes():
    """(written prefix, kind) longest first, each in its accented and folded form."""
    out = []
    for kind, (_levels, words) in KINDS.items():
        for w in words:
            out += [(w, kind), (fold(w), kind)]
    return sorted(set(out), key=lambda p: -len(p[0]))


_PREFIXES = _prefixes()


def written_forms(text):
    """The keys a written locality may mean: "Q. Tây Hồ" → {"qtâyhồ", "quậntâyhồ"}: the whole
    text as a name (a name may start like a type: "Phương Liên"), and with a written type
    ("Q.", "quận", "quan") replaced by the official one."""
    lowered = nfc(" ".join(str(text).split())).lower()
    forms = {_key(lowered)}
    for prefix, kind in _PREFIXES:
        if lowered.startswith(prefix):
            rest = lowered[len(prefix):]
            # A type is a word of its own: "q. tây hồ", "q tây hồ", "p.12"; not "quảng nam".
            if rest[:1] in (".", " ") or (rest[:1].isdigit() and len(prefix) <= 2):
                forms.add(_key(kind) + _key(rest))
    return {f for f in forms if f}


def _typed(text):
    """Whether *text* starts with a unit type ("Q.", "huyện", "tp")."""
    return any(f != _key(text) for f in written_forms(text))


class Registry:
    """Every unit of both eras, indexed by code and written name, with the lineage between them."""

    def __init__(self, units, links, version):
        self.version = version
        self.units = {u.uid: u for u in units}
        self.links = links
        self.successors, self.predecessors = {}, {}
        for link in links:
            self.successors.setdefault(link.old, []).append(link)
            self.predecessors.setdefault(link.new, []).append(link)
        self.by_code, self._index = {}, {}  # the package's folded keys → units
        self._slugs = {}  # uid → unit_slug(), asked for each post by the search index and listings
        self._names = {}  # (era, official name as a key) → how many units of that era bear it
        for u in units:
            self.by_code.setdefault(u.code, []).append(u)
            # Folded again: the package leaves tone marks in a few keys ("xãvănlăng" beside "xavanlang").
            for key in dict.fromkeys(fold(k) for k in u.keys):
                self._index.setdefault(key, []).append(u)
            self._names[(u.era, _key(u.name))] = self._names.get((u.era, _key(u.name)), 0) + 1

    def __getitem__(self, uid):
        return self.units[uid]

    def get(self, uid):
        return self.units.get(uid)

    def provinces(self, era=CURRENT):
        return sorted((u for u in self.units.values() if u.level == PROVINCE and u.era == era),
                      key=lambda u: fold(u.short))

    def province_of(self, unit):
        return self.units[unit.province] if unit.province else unit

    def full_name(self, unit):
        """"Huyện Tam Dương, Tỉnh Vĩnh Phúc"; a province alone."""
        return unit.name if unit.level == PROVINCE else f"{unit.name}, {self.units[unit.province].name}"

    def written_name(self, unit):
        """The shortest locality that resolves to *unit* on every day it existed: its official
        name when no other unit of its era bears it ("Huyện Tam Dương"), else its name with its
        province ("Xã Tân Phú, Tỉnh Đồng Nai"), a form ``resolve`` reads. What the web editor writes."""
        return unit.name if self._names[(unit.era, _key(unit.name))] == 1 else self.full_name(unit)

    def now(self, unit):
        """The current units that hold the territory of *unit* today: [(unit, partial)]."""
        if unit.current:
            return [(unit, False)]
        # One step: the package knows one change (2025); a later one would chain here.
        return sorted(((self.units[l.new], l.partial) for l in self.successors.get(unit.uid, ())),
                      key=lambda p: fold(p[0].name))

    def before(self, unit):
        """The units whose territory *unit* took in, directly: [(unit, partial)]."""
        return sorted(((self.units[l.old], l.partial) for l in self.predecessors.get(unit.uid, ())),
                      key=lambda p: (p[0].level, fold(p[0].name)))

    def ancestors(self, unit):
        """The units *unit* sat in (district, province), nearest first."""
        return [self.units[uid] for uid in (unit.district, unit.province) if uid]

    def find(self, written):
        """Units whose name (with or without its type, or an older name) is *written*, in any era;
        where some match with their tone marks as written, only those."""
        forms = written_forms(written)
        found = {}
        for form in forms:
            for u in self._index.get(fold(form), ()):
                found[u.uid] = u
        exact = [u for u in found.values() if forms & {_key(u.name), _key(u.short)}]
        return exact or list(found.values())

    def nearest(self, written, day=None, province=None, n=5):
        """Official names closest to *written*, for "did you mean": close without tone marks,
        then closest as written (Tam Dương before Tam Đường for "Tam Dươngg")."""
        pool = {}
        for u in self.units.values():
            if u.exists_on(day) and (province is None or province.uid in (u.province, u.uid)):
                for text in (u.name, u.short):
                    pool.setdefault(fold(text), set()).add(self.full_name(u))
        target = nfc(" ".join(str(written).split())).lower()
        names = {name for key in difflib.get_close_matches(fold(target), list(pool), n=n * 2, cutoff=0.6)
                 for name in pool[key]}
        ranked = sorted(names, key=lambda name: (-difflib.SequenceMatcher(
            None, target, name.split(",")[0].lower()).ratio(), fold(name)))  # the same list every run
        return ranked[:n]

    def resolve(self, written, day=None, province=None, code=None, level=None):
        """*written* (a locality as staff write it) → Resolution, as of *day* (a date or None).

        *province*: a resolved province Unit the locality must sit in (or be); *code*: the unit's
        official code, for names several units share; *level*: only units of that level. The units
        it sat in may follow its name after commas, as the site writes them ("Xã Tân Phú, Tỉnh Đồng
        Nai"; "Xã An Hòa, Huyện Tam Dương, Tỉnh Vĩnh Phúc")."""
        res = Resolution(written)
        name, *within = [part.strip() for part in str(written).split(",")]
        found = [u for u in self.find(name) if level is None or u.level == level]
        for part in within:
            holders = {h.uid for h in self.find(part) if h.level < COMMUNE}
            found = [u for u in found if holders & {u.province, u.district}]
        if code is not None:
            return self._by_code(res, found, code, day)
        named = found
        if province is not None:
            found = [u for u in found if province.uid in (u.province, u.uid)]
        if not found:
            res.error = "unknown"
            res.candidates = self.nearest(name, day, province) or self.nearest(name, None, province)
            elsewhere = named or (self.find(name) if not within else [])
            if province is not None and elsewhere:
                res.error = "province"
                res.candidates = [u for u in elsewhere if u.exists_on(day)] or elsewhere
            return res
        on_day = [u for u in found if u.exists_on(day)]
        if day is None:  # an undated post: today's units first
            on_day = [u for u in found if u.current] or found
        res.other_era = not on_day
        pool = on_day or found
        if len({u.level for u in pool}) > 1 and not _typed(name):
            top = min(u.level for u in pool)  # "Vĩnh Phúc" is the province before a xã of that name
            pool = [u for u in pool if u.level == top]
        if len(pool) > 1:
            res.error = "ambiguous"
            res.candidates = sorted(pool, key=lambda u: (u.level, fold(self.full_name(u))))
            return res
        res.unit = pool[0]
        res.exact = nfc(" ".join(str(written).split())) in (res.unit.name, self.full_name(res.unit))
        return res

    def _by_code(self, res, found, code, day):
        code = str(code).strip()
        units = self.by_code.get(code, [])
        if not units:
            res.error = "code-unknown"
            return res
        on_day = [u for u in units if u.exists_on(day)] if day else [u for u in units if u.current] or units
        if not on_day:
            res.error = "code-date"
            res.candidates = units
            return res
        if not any(u.uid in {f.uid for f in found} for u in on_day):
            res.error = "code-name"
            res.candidates = on_day
            return res
        res.unit = next(u for u in on_day if u.uid in {f.uid for f in found})
        res.exact = nfc(" ".join(str(res.written).split())) in (res.unit.name, self.full_name(res.unit))
        return res


def _data_dir():
    override = os.environ.get("CCHC_UNITS_DATA")
    if override:
        return Path(override), f"{PACKAGE} (bản dữ liệu ở {override})"
    from importlib import metadata

    try:
        dist = metadata.distribution(PACKAGE)
    except metadata.PackageNotFoundError:
        raise UnitsUnavailable(f"chưa cài gói dữ liệu đơn vị hành chính {PACKAGE}; chạy lại `make html` "
                               "(cài theo requirements-data.txt)") from None
    return Path(dist.locate_file(f"{PACKAGE}/data")), f"{PACKAGE} {dist.version}"


def data_identity():
    """What identifies the data a registry would load now (its version and files' sizes and times):
    a build's content cache is keyed by it, since a post's resolved unit comes from the data."""
    try:
        data_dir, version = _data_dir()
    except UnitsUnavailable:
        return "-"
    stats = []
    for name in ("dataset.db", "converter_2025.json"):
        try:
            st = (data_dir / name).stat()
            stats.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            stats.append(f"{name}:-")
    # The real path: the same data reached through a linked .venv is the same data.
    return f"{version}|{os.path.realpath(data_dir)}|{'|'.join(stats)}"


def load(data_dir=None, version=None):
    """The registry from the package's data files (or a copy of them in *data_dir*)."""
    if data_dir is None:
        data_dir, version = _data_dir()
    data_dir = Path(data_dir)
    db, conv = data_dir / "dataset.db", data_dir / "converter_2025.json"
    if not db.is_file() or not conv.is_file():
        raise UnitsUnavailable(f"thiếu tệp dữ liệu đơn vị hành chính trong {data_dir} "
                               "(cần dataset.db và converter_2025.json)")
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        legacy = con.execute(_LEGACY_SQL).fetchall()
        current = con.execute(_CURRENT_SQL).fetchall()
    mapping = json.loads(conv.read_text(encoding="utf-8"))
    return _build(legacy, current, mapping, version or str(data_dir))


def _keys(*keys, aliases=None, kind=None):
    """A unit's folded keys; its older names (aliases) also with its type ("hcm", "thanhphohcm")."""
    out = {k for k in keys if k}
    for alias in json.loads(aliases) if aliases else ():
        out |= {alias, alias if alias.startswith(kind) else kind + alias}
    return tuple(sorted(out))


def _kind(name):
    """(type, name in official case): the package writes a few "Thành Phố …", "Thị Trấn …"."""
    for kind in KINDS:
        if name.startswith(kind + " "):
            return kind, name
    lowered = name.lower()
    for kind in KINDS:
        if lowered.startswith(kind.lower() + " "):
            return kind, kind + name[len(kind):]
    raise ValueError(f"đơn vị “{name}” không mở đầu bằng loại đơn vị nào đã biết ({', '.join(KINDS)})")


_KIND_KEYS = {kind: fold(_key(kind)) for kind in KINDS}


_LEGACY_SQL = (
    "SELECT province, provinceShort, provinceCode, provinceKey, provinceShortKey, provinceAlias,"
    " district, districtShort, districtCode, districtKey, districtShortKey, districtAlias,"
    " ward, wardShort, wardCode, wardKey, wardShortKey, wardAlias FROM admin_units_legacy")
_CURRENT_SQL = (
    "SELECT province, provinceShort, provinceCode, provinceKey, provinceShortKey, provinceAlias,"
    " ward, wardShort, wardCode, wardKey, wardShortKey, wardAlias FROM admin_units")


def _build(legacy, current, mapping, version):
    units = {}

    def add(era, level, row, province=None, district=None):
        uid = f"{era}:{row[2]}"
        if uid not in units:
            name, short, code, key, short_key, aliases = row
            kind, name = _kind(name)
            units[uid] = Unit(uid, code, level, kind, name, short, era, province, district,
                              _keys(key, short_key, aliases=aliases, kind=_KIND_KEYS[kind]))
        return uid

    old_keys, prov_keys = {}, {}
    for row in legacy:
        puid = add(LEGACY, PROVINCE, row[0:6])
        prov_keys[(LEGACY, row[3])] = puid
        duid = add(LEGACY, DISTRICT, row[6:12], province=puid)
        wuid = add(LEGACY, COMMUNE, row[12:18], province=puid, district=duid) if row[14] else None
        old_keys[f"{row[3]}_{row[9]}_{row[15] or ''}"] = wuid or duid  # island districts had no communes
    new_keys = {}
    for row in current:
        puid = add(CURRENT, PROVINCE, row[0:6])
        prov_keys[(CURRENT, row[3])] = puid
        new_keys[(row[3], row[9])] = add(CURRENT, COMMUNE, row[6:12], province=puid)
    pairs = {}  # (old uid, new uid) → partial
    for new_pk, olds in mapping["DICT_PROVINCE"].items():
        for old_pk in olds:
            pairs[(prov_keys[(LEGACY, old_pk)], prov_keys[(CURRENT, new_pk)])] = False
    for new_pk, wards in mapping["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wk, olds in wards.items():
            for old in olds:
                pairs.setdefault((old_keys[old], new_keys[(new_pk, new_wk)]), False)
    for new_pk, divided in mapping["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, news in divided.items():
            for new in news:
                pairs[(old_keys[old], new_keys[(new_pk, new["newWardKey"])])] = True
    # A district went wherever its communes went: all of it to one commune, or part to each.
    by_district = {}
    for (old, new) in list(pairs):
        district = units[old].district
        if district:
            by_district.setdefault(district, set()).add(new)
    for district, news in by_district.items():
        for new in news:
            pairs[(district, new)] = len(news) > 1
    links = [Link(old, new, REFORM_2025, partial) for (old, new), partial in sorted(pairs.items())]
    return Registry(list(units.values()), links, version)


def registry():
    """The registry of the installed package, or of CCHC_UNITS_DATA when set (loaded once per
    process and data folder, when first needed; see keep_registry)."""
    return _registry(os.environ.get("CCHC_UNITS_DATA") or None)


_kept_at = None  # keep_registry's file


def keep_registry(path):
    """Keep the installed package's registry in the file *path* between processes: the next one
    unpickles it (0.14 s) instead of building it from the data (0.4 s, before a build can fork
    Pelican), while the data (data_identity), the library's code and Python are the same. A file
    that cannot be read or written only means building it."""
    global _kept_at
    _kept_at = Path(path)


def _kept_key():
    """The data's identity and the library's code (buildkey.code_digest holds both: the registry's
    indexes are built with cchc.core.text's folding, not only this module), and Python's version."""
    from .buildkey import code_digest

    return f"{code_digest()}|{sys.version}"


@cache
def _registry(override):
    if override or _kept_at is None:
        return load()
    key = _kept_key()
    try:
        stored, reg = pickle.loads(_kept_at.read_bytes())
        if stored == key:
            return reg
    except Exception:  # missing, cut short, another layout: build it
        pass
    reg = load()
    from .files import write_whole

    with contextlib.suppress(OSError):
        write_whole(_kept_at, pickle.dumps((key, reg), protocol=pickle.HIGHEST_PROTOCOL))
    return reg


# Pages: where each unit's listing lives under /dia-phuong/ (the URL pattern is cchc_listings').
def unit_slug(unit, reg):
    """Current province "phu-tho", current commune "phu-tho/tam-duong" (its type left out, so a xã
    that becomes a phường keeps its page); a unit before 2025 keeps the URL its name gave it
    ("huyen-tam-duong"), with its province when several old units shared that name. Kept in
    the registry once made (a lookup by written name is ~0.1 ms: 1.5 s of profiled CPU for the
    search index of 2,000 posts, which asks it for every unit a post belongs under)."""
    slug = reg._slugs.get(unit.uid)
    if slug is None:
        slug = reg._slugs[unit.uid] = _unit_slug(unit, reg)
    return slug


def _unit_slug(unit, reg):
    if unit.current:
        if unit.level == PROVINCE:
            return slugify(unit.short)
        province = reg[unit.province]
        same = [u for u in reg.find(unit.short) if u.province == province.uid and u.level == COMMUNE
                and slugify(u.short) == slugify(unit.short)]
        return f"{slugify(province.short)}/{slugify(unit.short if len(same) == 1 else unit.name)}"
    if len([u for u in reg.find(unit.name) if u.era == LEGACY and u.name == unit.name]) > 1:
        return f"{slugify(unit.name)}-{slugify(reg[unit.province].short)}"
    return slugify(unit.name)


def places(unit, reg):
    """The units a post of *unit* belongs under, then and now: the unit, the units it sat in, and
    for a unit that no longer exists in that form today's units holding its area with their
    province. What the search page's locality filter keeps a post under (its /dia-phuong/ pages)."""
    out = [unit, *reg.ancestors(unit)]
    if not unit.current:
        for new, _partial in reg.now(unit):
            out += [new, *reg.ancestors(new)]
    return list(dict.fromkeys(out))


def lineage_names(unit, reg):
    """Every name a search for a post of *unit* may use: its ``places`` and, for a unit of today,
    the units it took in (with their district and province), so an old name finds a post under
    the new unit and the new name a post of the old one ("phu tho" → Huyện Tam Dương's posts)."""
    found = places(unit, reg)
    if unit.current:
        for old, _partial in reg.before(unit):
            found += [old, *reg.ancestors(old)]
    return list(dict.fromkeys(u.name for u in found))


def then_name(unit, reg):
    """"Huyện Tam Dương, Tỉnh Vĩnh Phúc": how a post of an old unit is marked on today's pages."""
    return reg.full_name(unit)


def history_text(unit, reg):
    """The plan history banner when a plan's unit no longer exists in that form (staff may write
    their own ``history_note``): when it ended and which units hold its area today."""
    if unit.current:
        return None
    now = "; ".join(reg.full_name(u) + (" (một phần)" if partial else "") for u, partial in reg.now(unit))
    return (f"{reg.full_name(unit)} là đơn vị hành chính đến hết ngày {unit.until:%d/%m/%Y}; "
            f"từ ngày {REFORM_2025:%d/%m/%Y}, địa bàn này thuộc: {now}.")
