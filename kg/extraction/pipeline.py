"""The extraction pipeline: spaCy's tokenizer plus our named components.

The order and the components come from kg/data/pipeline.toml, so a user can swap or disable one
without touching code. `extract(article)` is pure: text and metadata in, records out, no I/O
(the data files are read once, when the pipeline is built).
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# Importing the modules registers their components with spaCy.
from kg.extraction import actors, attribution, bounds, contested, datelines, events, occasions, places, sentences, syntax, times  # noqa: F401
from kg.extraction.records import ActorMention, Extraction, PlaceMention, TextSpan
from kg.extraction.state import DocState
from kg.errors import DataFileError

CONFIG = Path(__file__).resolve().parent.parent / "data" / "pipeline.toml"

if not Doc.has_extension("kg"):
    Doc.set_extension("kg", default=None)


def build(config: Path = CONFIG) -> Language:
    try:
        with config.open("rb") as handle:
            settings = tomllib.load(handle)
        names = settings["pipeline"]["components"]
        language = settings["pipeline"].get("language", "en")
    except (OSError, tomllib.TOMLDecodeError, KeyError) as exc:
        raise DataFileError(f"{config}: {exc}", hint="see kg/data/pipeline.toml for the expected layout") from exc
    nlp = spacy.blank(language)
    for name in names:
        try:
            nlp.add_pipe(name)
        except (ValueError, KeyError) as exc:
            raise DataFileError(f"{config}: unknown component {name!r}", hint="components: kg_sentences, kg_normalise, kg_places, kg_actors, kg_times, kg_datelines, kg_syntax, kg_attribution, kg_events, kg_contested, kg_occasions, kg_date_bounds") from exc
    return nlp


@cache
def default() -> Language:
    return build()


def analyse(text: str, published=None, nlp: Language | None = None) -> Doc:
    nlp = nlp or default()
    doc = nlp.make_doc(text)
    # token attributes as plain lists, read once: Token objects are costly to create
    begins = doc.to_array("IDX").tolist()
    followed_by_space = doc.to_array("SPACY").tolist()
    ends = [following - space for following, space in zip(begins[1:] + [len(text)], followed_by_space)]
    texts = [text[begin:end] for begin, end in zip(begins, ends)]
    # spaCy's LOWER attribute is the token text's str.lower(), and calling that is cheaper than
    # looking each LOWER up in the string store
    lower = [token_text.lower() for token_text in texts]
    doc._.kg = DocState(published=published, text=text, lower=lower, texts=texts, begins=begins, ends=ends)
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def extract(article, nlp: Language | None = None) -> Extraction:
    """Run the pipeline over one article and return its records."""
    doc = analyse(article.text, article.published, nlp)
    state: DocState = doc._.kg

    text = article.text  # spaCy rebuilds doc.text on every access; the article's text is the same string

    def span(start: int, end: int) -> TextSpan:
        begin, finish = state.char_span(start, end)
        return TextSpan(begin, finish, text[begin:finish])

    told = state.events + state.denied
    used = {p.actor for e in told for p in e.participants}
    used |= {m.according_to for e in told for m in e.mentions if m.according_to}
    actor_ids = {h.actor for h in state.actor_hits} | used
    return Extraction(
        article_id=article.id,
        actors=tuple(state.actors[i] for i in sorted(actor_ids)),
        actor_mentions=tuple(ActorMention(span(h.start, h.end), h.actor, h.confidence) for h in state.actor_hits),
        place_mentions=tuple(
            PlaceMention(span(p.start, p.end), p.key, p.confidence, p.rejected, p.anaphoric) for p in state.places
        ),
        events=tuple(state.events),
        denied=tuple(state.denied),
        dropped=tuple(state.dropped),
    )
