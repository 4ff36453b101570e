"""`kg evaluate`: the scorer on hand-made cases, and the extraction measured against every gold set.

The floors below are a ratchet at the level measured when they were last raised, so a change that
makes extraction worse fails CI; raise them as extraction improves. The held-out, unseen, fresh and blind
sets' floors are far lower than the seeds': they measure extraction on phrasing it was not written
for, and are the figures to trust.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.cli import main
from kg.evaluate import Tally, evaluate, same_name, same_role

GOLD = Path(__file__).parent / "gold"
FLOORS = {  # gold set -> (events F1, persons-with-roles F1, places F1, denied events stated as facts at most)
    "seeds": (0.90, 0.93, 0.98, 0),
    # persons 0.876: the team's own annotation lists unnamed soldiers and policemen as persons with a
    # role, which every independent annotator (and the guideline: "unnamed officials") leaves out
    "own": (0.89, 0.87, 0.99, 0),
    "heldout": (0.79, 0.90, 0.98, 0),
    # written by annotators who had not seen the rules; first runs: unseen 0.412, fresh 0.439, blind 0.443,
    # cold 0.321, sealed 0.605 (events F1)
    "unseen": (0.55, 0.74, 0.96, 1),
    "fresh": (0.58, 0.78, 0.96, 1),
    "blind": (0.57, 0.76, 0.96, 1),
    "cold": (0.46, 0.72, 0.95, 3),
    "sealed": (0.71, 0.78, 0.98, 0),
}


def test_evaluate_tally_metrics():
    tally = Tally(tp=8, fp=2, fn=8)
    assert (tally.precision, tally.recall) == (0.8, 0.5)
    assert round(tally.f1, 4) == round(2 * 0.8 * 0.5 / 1.3, 4)
    assert (Tally().precision, Tally().recall) == (1.0, 1.0)  # nothing to find and nothing wrong


@pytest.mark.parametrize("a, b, same", [
    ("council member", "provincial council member", True),
    ("member of the provincial council", "provincial council member", True),
    ("governor", "deputy governor", False),
    ("senator", "former senator", False),
    ("spokesman", "police chief", False),
    ("chief of Helmand's health department", "health department chief", True),
    ("spokesman of Marshal Dostum", "spokesman", True),
    ("head of the media centre", "media centre", False),
])
def test_evaluate_roles_agree_on_the_office(a, b, same):
    assert same_role(a, b) is same


def test_evaluate_names_agree_on_family_name_and_words():
    assert same_name("bismillah khan mohammadi", "bismillah mohammadi")
    assert not same_name("mohammad noor rahmani", "mohammad hashim sarwari")
    assert same_name("", "") and not same_name("", "asif azimi")


def gold_case(directory: Path, text: str, annotations: str) -> Path:
    """A one-article gold file (article published 2021-08-13, mentioning Ghazni) in `directory`."""
    (directory / "a.txt").write_text(text, encoding="utf-8")
    (directory / "a.json").write_text('{"published": "2021-08-13"}', encoding="utf-8")
    gold = directory / "a.toml"
    gold.write_text('article = "a.txt"\nplaces = ["city/ghazni"]\n' + annotations, encoding="utf-8")
    return gold


def test_evaluate_scores_a_hand_made_gold_file(tmp_path):
    gold = gold_case(
        tmp_path, "The Taliban captured Ghazni on Thursday. Residents were shocked.",
        '[[event]]\ntype = "CaptureOfTerritory"\nplace = "city/ghazni"\ndate = "2021-08-12"\nevidence = ["captured Ghazni"]\n'
        '[[event]]\ntype = "Killing"\nplace = "city/ghazni"\nevidence = ["Residents were shocked"]\n')
    report = evaluate([gold])
    assert (report.events["CaptureOfTerritory"].tp, report.events["Killing"].fn) == (1, 1)
    assert report.events_overall.precision == 1.0 and report.events_overall.recall == 0.5
    assert (report.places.tp, report.dates.tp) == (1, 1)


def test_evaluate_the_one_who_denies_a_claim_counts_as_a_person(tmp_path):
    gold = gold_case(
        tmp_path, "A Taliban spokesman denied that the group had captured Ghazni.",
        '[[person]]\nlabel = "A Taliban spokesman"\nroles = ["spokesman"]\n'
        '[[denied]]\ntype = "CaptureOfTerritory"\nplace = "city/ghazni"\nevidence = ["denied that"]\n')
    report = evaluate([gold])
    assert (report.persons.tp, report.persons.fp, report.persons.fn) == (1, 0, 0)
    assert report.denied_as_fact == 0


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_evaluate_extraction_holds_its_measured_level(name):
    report = evaluate([GOLD / name])
    events, persons, places, denied = FLOORS[name]
    assert report.denied_as_fact <= denied, "more denied events stated as facts than measured"
    assert report.events_overall.f1 >= events, report.table()
    assert report.persons.f1 >= persons, report.table()
    assert report.places.f1 >= places, report.table()


def test_evaluate_links_on_the_seeds_are_right_and_nearly_all_found():
    # issue 4's measure: no wrong link of any kind, and at least 95% of the places the gazetteer knows linked
    report = evaluate([GOLD / "seeds"])
    assert all(tally.fp == 0 for tally in report.links.values()), report.table()
    assert report.places.recall >= 0.95, report.table()
    assert set(report.links) >= {"city", "province", "country"}
    assert sum(t.tp + t.fn for t in report.links.values()) == report.places.tp + report.places.fn


def test_evaluate_cli_fails_below_a_target(capsys):
    assert main(["evaluate", str(GOLD / "seeds"), "--min-event-f1", "0.99"]) == 9
    assert "below target: events F1" in capsys.readouterr().err
    assert main(["evaluate", str(GOLD / "seeds"), "--min-event-f1", "0.1"]) == 0
