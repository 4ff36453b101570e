"""Linking place mentions to gazetteer entries (and so to Wikidata), with a confidence.

Rules, in order (documented in the README):
1. An explicit cue decides: "Kunduz province" / "province of Kunduz" -> the province;
   "city of Kunduz" / "Kunduz city" -> the city; "X district" -> the district. Two places of that
   kind and name are told apart by a province named next to the mention ("Arghandab district of
   Kandahar province"), else the mention stays unlinked.
2. A bare name that is only one thing's name links to that thing.
3. A bare name shared by several places follows the gazetteer's preference: a provincial capital,
   then a province, then another city; when only districts and facilities share it, it stays unlinked.
4. Nothing else links: an unknown name stays unlinked (the caller keeps no place).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kg.gazetteer import Gazetteer, Place

CUE_KIND = {"province": "province", "provinces": "province", "city": "city", "cities": "city", "town": "city",
            "towns": "city", "district": "district", "districts": "district"}


@dataclass(frozen=True)
class Link:
    key: str
    confidence: float
    rejected: tuple[str, ...]


def _preference(place: Place) -> int:
    if place.kind == "city" and place.is_capital:
        return 0
    return {"province": 1, "country": 1, "city": 2, "facility": 3, "district": 4}[place.kind]


def link_place(gazetteer: Gazetteer, candidates: set[str], cue: str | None,
               provinces_nearby: Callable[[], frozenset[str]] = frozenset) -> Link | None:
    """Choose one of `candidates` (gazetteer keys sharing a surface form) given a context cue and
    a function giving the keys of provinces named next to the mention (called only when needed)."""
    places = sorted((gazetteer.places[k] for k in candidates), key=lambda p: (_preference(p), p.key))
    if not places:
        return None
    wanted = CUE_KIND.get(cue or "")
    if wanted:
        chosen = [p for p in places if p.kind == wanted]
        if len(chosen) == 1:
            return Link(chosen[0].key, 0.95, tuple(p.key for p in places if p is not chosen[0]))
        if len(chosen) > 1:
            # two districts of one name: the province named with it decides, else it stays unlinked
            nearby = provinces_nearby()
            located = [p for p in chosen if p.province in nearby]
            if len(located) == 1:
                return Link(located[0].key, 0.9, tuple(p.key for p in places if p is not located[0]))
            return None
    if len(places) == 1:
        only = places[0]
        if only.kind == "district" and wanted != "district":
            return None  # bare district names collide with common words and other places
        return Link(only.key, 0.9, ())
    best = places[0]
    if best.kind in ("district", "facility"):
        return None  # "from Bagram to Kabul": the district, or the air base? A guess is worse than no link
    return Link(best.key, 0.75, tuple(p.key for p in places[1:]))
