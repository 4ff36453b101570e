"""bench/generate_corpus.py: the synthetic corpus is deterministic, readable by kg.articles, sharded,
and its gold is consistent with its text and the gazetteer (format: tests/gold/README.md)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import sys
import tomllib
from pathlib import Path

import pytest

from kg import gazetteer
from kg.articles import Article, read_articles
from kg.evaluate import load_gold
from kg.slug import fold
from kg.vocab import EVENT_TYPES

BENCH = Path(__file__).resolve().parents[1] / "bench" / "generate_corpus.py"


@pytest.fixture(scope="module")
def gen():
    spec = importlib.util.spec_from_file_location("generate_corpus", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate_corpus"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sample(gen):
    return list(gen.generate(60, seed=11))


def test_same_seed_same_corpus_and_article_i_does_not_depend_on_n(gen):
    first = list(gen.generate(5, seed=3))
    assert first == list(gen.generate(5, seed=3))
    assert list(gen.generate(8, seed=3))[:5] == first
    assert [a["text"] for a, _ in gen.generate(5, seed=4)] != [a["text"] for a, _ in first]


def test_records_have_the_article_fields(sample):
    ids = [record["id"] for record, _ in sample]
    assert len(set(ids)) == len(sample) == 60
    for record, _ in sample:
        assert set(record) <= {"id", "url", "title", "outlet", "published", "language", "text", "note"}
        assert record["text"].startswith(record["title"] + "\n\n")
        dt.date.fromisoformat(record["published"])


def test_jsonl_is_sharded_and_every_article_is_readable(gen, tmp_path):
    assert gen.write_corpus(tmp_path, 10, seed=5, per_file=4, gold=True) == 10
    shards = sorted(tmp_path.glob("articles-*.jsonl"))
    assert [len(p.read_text(encoding="utf-8").splitlines()) for p in shards] == [4, 4, 2]
    items = list(read_articles([tmp_path]))
    assert all(isinstance(item, Article) for item in items), [str(i) for i in items if not isinstance(i, Article)]
    assert len(items) == 10
    golds = sorted((tmp_path / "gold").glob("*.toml"))
    assert [p.stem for p in golds] == sorted(a.id for a in items)
    for path in golds:
        assert tomllib.loads(path.read_text(encoding="utf-8"))["article"] == f"{path.stem}.txt"


def test_txt_layout_is_what_kg_evaluate_loads(gen, tmp_path):
    gen.write_corpus(tmp_path, 6, seed=5, fmt="txt", gold=True)
    items = list(read_articles([tmp_path / "articles"]))
    assert len(items) == 6 and all(isinstance(item, Article) for item in items)
    for path in sorted(tmp_path.glob("*.toml")):
        gold = load_gold(path)  # reads the article the toml points to, as `kg evaluate` does
        assert gold.article.id == path.stem and gold.article.published is not None
        sidecar = json.loads((tmp_path / "articles" / f"{path.stem}.json").read_text(encoding="utf-8"))
        assert "text" not in sidecar


def test_gold_evidence_is_in_the_text(sample):
    for record, gold in sample:
        for event in gold["event"] + gold["denied"]:
            assert event["evidence"], event
            for evidence in event["evidence"]:
                assert evidence in record["text"], (record["id"], evidence)


def test_gold_places_are_gazetteer_keys(sample):
    gaz = gazetteer.default()
    for record, gold in sample:
        places = set(gold["places"])
        assert places <= set(gaz.places), record["id"]
        for item in gold["event"] + gold["denied"] + gold["person"]:
            if "place" in item:
                assert item["place"] in gaz.places
        for event in gold["event"] + gold["denied"]:
            if "place" in event:
                assert event["place"] in places, (record["id"], event)


def test_every_place_name_in_the_text_is_in_the_gold(sample):
    """Each gazetteer name found in the text (in any of its spellings) is one of the gold places,
    and each gold place is named: nothing the text names is left out, nothing is added."""
    gaz = gazetteer.default()
    surfaces = sorted({s for p in gaz.places.values() for s in (p.name, *p.aliases) if len(s) >= 3}, key=len, reverse=True)
    names = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, surfaces)) + r")(?![\w-])")
    datelines = re.compile(r"^([A-Z][A-Z' -]+?)(?:,| \()", re.M)
    for record, gold in sample:
        places = set(gold["places"])
        found = set()
        for match in list(names.finditer(record["text"])) + list(datelines.finditer(record["text"])):
            keys = gaz.place_names.get(fold(match.group(1)), set())
            if match.re is names:
                assert keys & places, (record["id"], match.group(1))
            found |= keys & places
        assert found == places, (record["id"], places - found)


def test_gold_events_are_well_formed(sample):
    for record, gold in sample:
        published = record["published"]
        told = set()
        for event in gold["event"]:
            assert event["type"] in EVENT_TYPES
            assert event["modality"] in ("asserted", "reported", "claimed")
            if "date" in event:
                assert event["date"] <= published
            for participant in event.get("participants", []):
                assert participant["role"] in ("agent", "affected", "surrendered_to")
            key = (event["type"], event.get("place"), event.get("date"))
            assert event["type"] == "Statement" or key not in told, (record["id"], key)  # one entry per event
            told.add(key)
        denied = {(d["type"], d["place"]) for d in gold["denied"]}
        assert not denied & {(e["type"], e.get("place")) for e in gold["event"]}  # never both denied and stated


def test_gold_persons_are_named_in_the_text(sample):
    for record, gold in sample:
        for person in gold["person"]:
            assert person["roles"] and all(role == role.lower() for role in person["roles"])
            who = person.get("name") or person["label"]
            assert who.lower() in record["text"].lower(), (record["id"], who)


def test_gold_toml_round_trips(gen, sample):
    for _, gold in sample[:20]:
        data = tomllib.loads(gen.gold_toml(gold, "articles/x.txt", "a comment\nover two lines"))
        assert data["article"] == "articles/x.txt"
        assert {k: data.get(k, []) for k in ("places", "event", "person", "denied")} == gold
    tricky = 'a "quoted" \\ back\nslash\t\x01\x7f é'
    assert tomllib.loads(f"x = {gen.toml_string(tricky)}")["x"] == tricky


def test_names_do_not_collide_with_the_gazetteer(gen):
    w = gen.world()
    gaz = gazetteer.default()
    words = {word for surface in list(gaz.place_names) + list(gaz.actor_names) for word in surface.split()}
    assert w.male and w.female and w.family
    assert not {fold(part) for name in w.male + w.female + w.family for part in name.split()} & words


def test_event_words_come_from_the_lexicon(gen):
    """The generator reads its trigger phrases from kg/data/lexicon/events.toml."""
    from kg.extraction import lexicon

    phrases = {p for t in lexicon.default().triggers for p in t.phrases}
    w = gen.world()
    for event_type, form in (("CaptureOfTerritory", "past"), ("Surrender", "past"), ("ArmedClash", "nouns"),
                             ("Airstrike", "nouns"), ("Withdrawal", "past")):
        assert w.phrases(event_type, form) and set(w.phrases(event_type, form)) <= phrases
