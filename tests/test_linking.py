"""Place linking: cues decide, bare names follow the documented preference, unknowns stay unlinked."""

from __future__ import annotations

import pytest

from kg import gazetteer
from kg.linking import link_place
from kg.slug import fold

GAZ = gazetteer.default()


def candidates(name: str) -> set[str]:
    return GAZ.place_names.get(fold(name), set())


@pytest.mark.parametrize(
    "name, cue, expected",
    [
        ("Kunduz", None, "city/kunduz"),  # a bare name: the provincial capital first
        ("Kunduz", "province", "province/kunduz"),
        ("Kunduz", "city", "city/kunduz"),
        ("Herat", "province", "province/herat"),
        ("Samangan", None, "province/samangan"),
        ("Taleqan", None, "city/taloqan"),  # transliteration variants
        ("Talukan", None, "city/taloqan"),
        ("Sibargan", None, "city/sheberghan"),
        ("Jawzjan", None, "province/jowzjan"),
        ("Zawzjan", None, "province/jowzjan"),  # machine-translation garble, a project alias
        ("Mazar-e Sharif", None, "city/mazar-i-sharif"),
        ("Pul-i-Khumri", None, "city/pul-e-khumri"),
    ],
)
def test_linking_chooses_the_expected_place(name, cue, expected):
    link = link_place(GAZ, candidates(name), cue)
    assert link is not None and link.key == expected


def test_linking_records_rejected_candidates_and_a_lower_confidence_for_a_bare_shared_name():
    bare = link_place(GAZ, candidates("Kunduz"), None)
    cued = link_place(GAZ, candidates("Kunduz"), "province")
    assert "province/kunduz" in bare.rejected
    assert bare.confidence < cued.confidence


def test_linking_unknown_name_stays_unlinked():
    assert link_place(GAZ, candidates("Zarghunabad"), None) is None


def test_linking_never_links_a_bare_district_name():
    districts_only = {k for k in candidates("Kohistan")}
    assert districts_only and all(k.startswith("district/") for k in districts_only)
    assert link_place(GAZ, districts_only, None) is None


def test_linking_city_and_province_of_one_name_have_different_wikidata_ids():
    city, province = GAZ.places["city/kunduz"], GAZ.places["province/kunduz"]
    assert city.wikidata and province.wikidata and city.wikidata != province.wikidata
    assert city.province == province.key


def test_gazetteer_keeps_only_verified_wikidata_ids():
    # districts carry only unverified ids in the source data; none may reach the graph
    assert all(p.wikidata is None for p in GAZ.places.values() if p.kind == "district")
    assert GAZ.actors["actor/taliban"].wikidata is None


def test_linking_a_name_shared_only_by_a_district_and_a_facility_stays_unlinked():
    shared = candidates("Bagram")
    assert {GAZ.places[k].kind for k in shared} == {"district", "facility"}
    assert link_place(GAZ, shared, None) is None
    assert link_place(GAZ, shared, "district").key == "district/parwan/bagram"


@pytest.mark.parametrize(
    "text, expected",
    [
        # a list after "the provinces of" names provinces; a city among them stays a city
        ("Security has improved in the provinces of Kandahar, Lashkar Gah and Herat.",
         ["province/kandahar", "city/lashkar-gah", "province/herat"]),
        # a pair of names before a plural kind word
        ("The Taliban captured the Tulak and Shahrak districts of Ghor.",
         ["district/ghor/tulak", "district/ghor/shahrak", "province/ghor"]),
        # a town the gazetteer does not know stays unlinked, and Kunduz city and province differ
        ("Fighting reached Zarghunabad, in Kunduz province, and the city of Kunduz.",
         ["province/kunduz", "city/kunduz"]),
    ],
)
def test_linking_in_context(extracted, text, expected):
    assert [m.place_key for m in extracted(text).place_mentions if not m.anaphoric] == expected


def test_linking_rejected_candidates_are_in_the_graph(seed_store):
    rows = seed_store.select("""
        SELECT ?text ?chosen ?rejected WHERE {
          ?mention a kg:EntityMention ; nif:anchorOf ?text ; kg:refersTo ?chosen ; kg:rejectedCandidate ?rejected .
          FILTER(?chosen = id:place\\/city\\/kunduz) }""")
    rejected = {r["rejected"].value for r in rows}
    assert "https://kg.example.org/id/place/province/kunduz" in rejected  # the province of the same name
    assert "https://kg.example.org/id/place/city/kunduz" not in rejected


def test_linking_an_article_about_the_province_and_one_about_the_city_link_apart(extracted):
    province = extracted("The Taliban tightened their grip on Kunduz province on Monday.", article_id="a")
    city = extracted("Fighting reached the city of Kunduz on Monday; Zarghunabad also fell.", article_id="b")
    (in_province,) = {m.place_key for m in province.place_mentions}
    (in_city,) = {m.place_key for m in city.place_mentions}  # the unknown town stays unlinked
    assert (in_province, in_city) == ("province/kunduz", "city/kunduz")
    assert GAZ.places[in_province].wikidata != GAZ.places[in_city].wikidata
