"""kg's trained syntactic pipeline: shipped in the package, loaded offline, as accurate as its
metadata says, and read by the event components through its dependency trees."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import syntax
from kg.errors import DataFileError
from kg.extraction import frames, inflection
from kg.extraction.cues import default as default_cues
from kg.extraction.modality import DENIED, FACT, HYPOTHETICAL, WANTED, read

UD = Path(__file__).resolve().parents[2] / "shared" / "ud"
TARGETS = {"pos_acc": 0.93, "dep_uas": 0.85, "dep_las": 0.81}  # the targets on EWT test


def test_syntax_model_ships_with_its_licence_and_test_accuracy():
    meta = syntax.meta()
    assert meta["license"] == "CC BY-SA 4.0"
    assert (syntax.MODEL / "LICENSE").exists() or not UD.exists()
    assert "test" in meta["performance_split"]
    for key, target in TARGETS.items():
        assert meta["performance"][key] >= target, key
    assert {"morphologizer", "trainable_lemmatizer", "parser"} <= set(meta["pipeline"])


def test_syntax_model_parses_offline():
    nlp = syntax.load()
    doc = nlp("The Taliban captured the city of Kunduz on Sunday.")
    captured = next(t for t in doc if t.text == "captured")
    assert (captured.pos_, captured.lemma_, captured.dep_) == ("VERB", "capture", "ROOT")
    assert {c.dep_: c.text for c in captured.children}["nsubj"] == "Taliban"
    assert "city" in [c.text for c in captured.children if c.dep_ == "obj"]


@pytest.mark.skipif(not (UD / "en_ewt-ud-test.conllu").exists(), reason="UD English-EWT not in ../shared/ud")
def test_syntax_model_accuracy_on_part_of_the_test_split():
    """Re-measure the shipped model on the first 300 test sentences: it must be the model its
    metadata describes (a retrained model that is worse would fail here)."""
    from spacy.tokens import DocBin
    from spacy.training import Example
    from spacy.training.converters import conllu_to_docs

    nlp = syntax.load()
    text = (UD / "en_ewt-ud-test.conllu").read_text(encoding="utf-8")
    converted = list(conllu_to_docs(text, n_sents=1, no_print=True))[:300]
    gold = list(DocBin(docs=converted).get_docs(nlp.vocab))  # the gold trees, in the model's vocabulary
    scores = nlp.evaluate([Example(nlp.make_doc(g.text), g) for g in gold])
    assert scores["pos_acc"] >= 0.90 and scores["dep_uas"] >= 0.80 and scores["dep_las"] >= 0.76


def test_inflection_every_form_of_a_lemma():
    assert {"overran", "overrun", "overruns", "overrunning"} <= inflection.verb_forms("overrun")
    assert {"seized", "seizes", "seizing"} <= inflection.verb_forms("seize")
    assert "airstrikes" in inflection.noun_forms("airstrike")


def test_trigger_lexicon_is_by_lemma_and_part_of_speech():
    lexicon = frames.default()
    nlp = syntax.load()
    doc = nlp("Government forces gave the town up and the fall of Kunduz followed.")
    gave = next(t for t in doc if t.text == "gave")
    fall = next(t for t in doc if t.text == "fall")
    assert "Surrender" in {f.type for f in lexicon.frames_for(gave)}
    assert "CaptureOfTerritory" in {f.type for f in lexicon.frames_for(fall)}
    assert {"overran", "overrunning"} <= lexicon.cue_forms


@pytest.mark.parametrize("text, word, status", [
    ("The governor surrendered to the Taliban.", "surrendered", FACT),
    ("The governor has not surrendered.", "surrendered", DENIED),
    ("Officials rejected reports that the governor had surrendered.", "surrendered", DENIED),
    ("The ministry denied that the city had fallen.", "fallen", DENIED),
    ("The police chief refused to surrender.", "surrender", DENIED),
    ("Kabul could fall within days.", "fall", HYPOTHETICAL),
    ("Elders urged the governor to surrender.", "surrender", WANTED),
    ("The Taliban threatened to capture the city.", "capture", WANTED),
    ("It is feared that many civilians were killed.", "killed", FACT),
    ("The city fell even as officials denied the rumours.", "fell", FACT),
    ("Nobody surrendered to the Taliban.", "surrendered", DENIED),
])
def test_modality_scopes_over_what_it_frames(text, word, status):
    doc = syntax.load()(text)
    token = next(t for t in doc if t.text == word)
    assert read(token, default_cues()).status == status


def test_trigger_lexicon_rejects_an_unknown_voice(tmp_path):
    path = tmp_path / "triggers.toml"
    path.write_text('[[frame]]\ntype = "CaptureOfTerritory"\nverbs = ["give"]\nvoice = "active"\n')
    with pytest.raises(DataFileError, match="voice"):
        frames.load(path)
