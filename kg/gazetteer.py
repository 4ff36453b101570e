"""The gazetteer: places and actors we can name and link, read from CSV data files.

Files (documented in kg/data/gazetteer/README.md):
- places.csv  — kind,name,wikidata,province,lat,lon,...,aliases,...,role (from ../shared/gazetteer)
- actors.csv  — kind,name,wikidata,aliases,description,source_of_qid
- aliases.csv — kind,name,alias,note: the project's own additions (e.g. machine-translation garbles)

Only verified Wikidata ids (the `wikidata` column) are kept; `unverified_qid` is never used.
"""

from __future__ import annotations

import csv
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kg.errors import DataFileError
from kg.slug import fold, skeleton, slug

DATA_DIR = Path(__file__).resolve().parent / "data" / "gazetteer"
QID = re.compile(r"^Q[1-9][0-9]*$")

PLACE_CLASS = {"country": "Country", "province": "Province", "city": "City", "district": "District", "facility": "Facility"}
ACTOR_CLASS = {
    "armed_group": "ArmedGroup",
    "organization": "Organisation",
    "government_body": "GovernmentBody",
    "media": "MediaOutlet",
    "person": "Person",
}


@dataclass(frozen=True)
class Place:
    key: str  # e.g. "city/aybak", "province/samangan", "district/samangan/aybak"
    kind: str  # country | province | city | district | facility
    name: str
    wikidata: str | None
    province: str | None  # key of the containing province
    country: str | None  # key of the country
    lat: float | None
    lon: float | None
    aliases: tuple[str, ...]
    is_capital: bool  # a provincial (or national) capital

    @property
    def cls(self) -> str:
        return PLACE_CLASS[self.kind]


@dataclass(frozen=True)
class Actor:
    key: str  # e.g. "actor/taliban"
    kind: str
    name: str
    wikidata: str | None
    aliases: tuple[str, ...]
    description: str

    @property
    def cls(self) -> str:
        return ACTOR_CLASS[self.kind]


@dataclass
class Gazetteer:
    places: dict[str, Place] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    # folded surface form -> keys of every entry that has this name or alias
    place_names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    actor_names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # `skeleton` of each place name and alias -> keys: other transliterations of the same names
    place_skeletons: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    capitals: dict[str, str] = field(default_factory=dict)  # province key -> its capital's key
    demonyms: dict[str, str] = field(default_factory=dict)  # lower-case demonym -> its country's key

    def capital_of(self, province_key: str) -> Place | None:
        key = self.capitals.get(province_key)
        return self.places[key] if key else None

    @property
    def only_country(self) -> str | None:
        """The country's key when the gazetteer knows exactly one ("the country" can only be it)."""
        countries = [p.key for p in self.places.values() if p.kind == "country"]
        return countries[0] if len(countries) == 1 else None

    def contains(self, outer: str, inner: str) -> bool:
        """Is place `outer` the province or country of place `inner`?"""
        place = self.places[inner]
        return outer in (place.province, place.country)

    def innermost(self, keys) -> list[str]:
        """The places among `keys` that contain none of the others, in their order ("Lashkar Gah in
        Helmand": the province only locates the city)."""
        keys = list(keys)
        return [k for k in keys if not any(other != k and self.contains(k, other) for other in keys)]

    def province_of(self, place_key: str) -> Place | None:
        place = self.places.get(place_key)
        if place is None:
            return None
        if place.kind == "province":
            return place
        return self.places.get(place.province) if place.province else None


def _read_csv(path: Path, required: set[str]) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = required - set(reader.fieldnames or ())
            if missing:
                raise DataFileError(f"{path}:1: missing columns {sorted(missing)}", hint=f"the header needs {sorted(required)}")
            return [(number, row) for number, row in enumerate(reader, start=2)]
    except OSError as exc:
        raise DataFileError(f"cannot read {path}: {exc}") from exc


def _qid(value: str, path: Path, line: int) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if not QID.match(value):
        raise DataFileError(f"{path}:{line}: {value!r} is not a Wikidata id", hint="write ids as Q followed by digits, e.g. Q889")
    return value


def _aliases(row: dict[str, str]) -> tuple[str, ...]:
    return tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())


def _float(value: str) -> float | None:
    return float(value) if value and value.strip() else None


SPECIFICITY = {"facility": 0, "district": 1, "city": 1, "province": 2, "country": 3}


def most_specific(keys) -> str | None:
    """The most specific of some place keys: a facility or city before its province before the
    country; ties go to the first given. None when there is none.

    >>> most_specific(["country/afghanistan", "province/balkh", "city/mazar-i-sharif"])
    'city/mazar-i-sharif'
    """
    keys = [k for k in keys if k.split("/", 1)[0] in SPECIFICITY]
    return min(keys, key=lambda k: SPECIFICITY[k.split("/", 1)[0]]) if keys else None


def place_key(kind: str, name: str, province: str | None) -> str:
    # Districts share names across provinces (Kohistan, Qarabagh ...), so they carry their province.
    if kind == "district":
        return f"district/{slug(province or '')}/{slug(name)}"
    return f"{kind}/{slug(name)}"


def actor_key(kind: str, name: str) -> str:
    return ("person/" if kind == "person" else "actor/") + slug(name)


def load(data_dir: Path = DATA_DIR) -> Gazetteer:
    gaz = Gazetteer()
    places_path, actors_path, aliases_path = data_dir / "places.csv", data_dir / "actors.csv", data_dir / "aliases.csv"

    rows = _read_csv(places_path, {"kind", "name", "wikidata", "province", "lat", "lon", "aliases", "role"})
    country_key = next((place_key("country", r["name"], None) for _, r in rows if r["kind"] == "country"), None)
    for line, row in rows:
        kind = row["kind"].strip()
        if kind not in PLACE_CLASS:
            raise DataFileError(f"{places_path}:{line}: unknown kind {kind!r}", hint=f"use one of {sorted(PLACE_CLASS)}")
        province = row["province"].strip() or None
        key = place_key(kind, row["name"], province)
        if key in gaz.places:
            raise DataFileError(f"{places_path}:{line}: duplicate place {key}", hint="give the two rows distinct names or provinces")
        gaz.places[key] = Place(
            key=key,
            kind=kind,
            name=row["name"].strip(),
            wikidata=_qid(row["wikidata"], places_path, line),
            province=place_key("province", province, None) if province else None,
            country=None if kind == "country" else country_key,
            lat=_float(row["lat"]),
            lon=_float(row["lon"]),
            aliases=_aliases(row),
            is_capital="capital" in row["role"],
        )

    for line, row in _read_csv(actors_path, {"kind", "name", "wikidata", "aliases"}):
        kind = row["kind"].strip()
        if kind not in ACTOR_CLASS:
            raise DataFileError(f"{actors_path}:{line}: unknown kind {kind!r}", hint=f"use one of {sorted(ACTOR_CLASS)}")
        key = actor_key(kind, row["name"])
        gaz.actors[key] = Actor(
            key=key,
            kind=kind,
            name=row["name"].strip(),
            wikidata=_qid(row["wikidata"], actors_path, line),
            aliases=_aliases(row),
            description=row.get("description", "").strip(),
        )

    if aliases_path.exists():
        for line, row in _read_csv(aliases_path, {"kind", "name", "alias"}):
            matches = [p for p in gaz.places.values() if p.kind == row["kind"] and p.name == row["name"]]
            if len(matches) != 1:
                raise DataFileError(
                    f"{aliases_path}:{line}: {row['kind']} {row['name']!r} matches {len(matches)} places",
                    hint="name a place exactly as places.csv spells it",
                )
            place = matches[0]
            gaz.places[place.key] = Place(**{**place.__dict__, "aliases": place.aliases + (row["alias"].strip(),)})

    demonyms_path = data_dir / "demonyms.csv"
    if demonyms_path.exists():
        for line, row in _read_csv(demonyms_path, {"country", "demonym"}):
            key = place_key("country", row["country"], None)
            if key not in gaz.places:
                raise DataFileError(f"{demonyms_path}:{line}: unknown country {row['country']!r}",
                                    hint="name a country exactly as places.csv spells it")
            gaz.demonyms[row["demonym"].strip().lower()] = key

    for place in gaz.places.values():
        if place.kind == "city" and place.is_capital and place.province:
            gaz.capitals[place.province] = place.key
        for surface in (place.name, *place.aliases):
            gaz.place_names[fold(surface)].add(place.key)
            gaz.place_skeletons[skeleton(surface)].add(place.key)
    for actor in gaz.actors.values():
        for surface in (actor.name, *actor.aliases):
            gaz.actor_names[fold(surface)].add(actor.key)
    return gaz


def data_dir() -> Path:
    """The gazetteer directory: $KG_GAZETTEER when set (e.g. one written by `kg import-wikidata`)."""
    return Path(os.environ.get("KG_GAZETTEER") or DATA_DIR)


@cache
def default() -> Gazetteer:
    return load(data_dir())
