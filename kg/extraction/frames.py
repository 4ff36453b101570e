"""The trigger lexicon (kg/data/lexicon/triggers.toml): frames by lemma and part of speech, and the
role each grammatical relation gives; `frames_for(token)` finds the frames a parsed token evokes."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from spacy.tokens import Token

from kg.errors import DataFileError
from kg.extraction.inflection import noun_forms, verb_forms
from kg.extraction.lexicon import read_toml
from kg.gazetteer import PLACE_CLASS
from kg.vocab import ACTOR_CLASSES, EVENT_TYPES

TRIGGERS = Path(__file__).resolve().parents[1] / "data" / "lexicon" / "triggers.toml"
ROLES = {"agent", "affected", "surrendered_to", "place", "none"}
# keys of a frame that are not prepositions
SETTINGS = {"type", "verbs", "nouns", "subject", "object", "cases", "holder", "modifier", "requires", "place_kinds",
            "agent_kinds", "affected_kinds", "object_kinds", "when", "frame", "support", "voice"}
REFLEXIVES = frozenset({"himself", "herself", "themselves", "itself", "oneself", "myself", "ourselves", "yourself"})
VERBAL = {"VERB"}
NOMINAL = {"NOUN", "PROPN"}
DEFAULT_PLACE_KINDS = ("city", "province", "district", "facility", "country")


@dataclass(frozen=True)
class Frame:
    type: str
    pos: str  # "VERB" or "NOUN"
    lemma: str  # the head word's lemma
    extras: tuple[frozenset[str], ...] = ()  # lemmas (one of each set) that must be the head's dependents
    subject: str = "none"
    object: str = "none"
    holder: str = "none"
    modifier: str = "none"
    prepositions: dict[str, str] = field(default_factory=dict)  # "to" -> "surrendered_to"
    cases: tuple[str, ...] | None = None  # None: any; (): none; else the noun must stand after one of these
    requires: tuple[str, ...] = ()
    place_kinds: tuple[str, ...] = DEFAULT_PLACE_KINDS
    agent_kinds: tuple[str, ...] = ()
    affected_kinds: tuple[str, ...] = ()
    object_kinds: tuple[str, ...] = ()
    when: tuple[str, ...] = ()
    frame: bool = False
    support: bool = False  # a noun that tells the act only as the object of a support verb ("took control")
    voice: str = "any"  # "passive": a verb read by this frame only in the passive ("was given to the Taliban")
    entry: str = ""  # as written in the lexicon, for messages

    def role_of(self, preposition: str) -> str | None:
        return self.prepositions.get(preposition)


@dataclass(frozen=True)
class TriggerLexicon:
    frames: tuple[Frame, ...]
    by_head: dict[tuple[str, str], tuple[Frame, ...]]  # (lemma, "VERB"|"NOUN") -> frames in file order
    cue_forms: frozenset[str]  # every form a head can take: sentences without one are not parsed
    verb_of_form: dict[str, str]  # a trigger verb's inflected form -> its lemma ("surrendered" -> "surrender")

    def frames_for(self, token: Token) -> list[Frame]:
        """The frames `token` evokes, in lexicon order: its lemma and part of speech are a frame's, and
        the frame's other words are among its dependents (or their prepositions)."""
        pos = "VERB" if token.pos_ in VERBAL else "NOUN" if token.pos_ in NOMINAL else None
        if pos is None:
            return []
        candidates = self.by_head.get((token.lemma_.lower(), pos), ())
        if not candidates and pos == "NOUN" and token.lower_ != token.lemma_.lower():
            # a noun the lemmatizer read as another word ("fighting" -> "fight"): its own form counts too
            candidates = self.by_head.get((token.lower_, pos), ())
        if not candidates:
            return []
        near = None
        found = []
        for frame in candidates:
            if frame.extras:
                if near is None:
                    near = _dependent_lemmas(token)
                if not all(not near.isdisjoint(words) for words in frame.extras):
                    continue
            found.append(frame)
        return found


def _dependent_lemmas(token: Token) -> set[str]:
    """Lemmas of `token`'s dependents and of their own dependents (a particle, an object, "into custody")."""
    lemmas = set()
    for child in token.children:
        lemmas.add(child.lemma_.lower())
        lemmas.add(child.lower_)
        if child.lower_ in REFLEXIVES:
            lemmas.add("oneself")
        for grandchild in child.children:
            lemmas.add(grandchild.lemma_.lower())
    return lemmas


def _entry(entry: str, pos: str) -> tuple[str, tuple[frozenset[str], ...]]:
    """"lay down arm|weapon" -> ("lay", ({"down"}, {"arm", "weapon"})); "air strike" -> ("strike",
    ({"air"},)); "exchange of fire" -> ("exchange", ({"fire"},))."""
    words = entry.lower().split()
    if pos == "NOUN":
        head_at = words.index("of") - 1 if "of" in words[1:] else len(words) - 1
        others = [w for i, w in enumerate(words) if i != head_at and w != "of"]
        head = words[head_at]
    else:
        head, others = words[0], words[1:]
    return head, tuple(frozenset(w.split("|")) for w in others)


def _check_role(value, path: Path, index: int, name: str) -> str:
    if value not in ROLES:
        raise DataFileError(f"{path}: frame #{index} {name} = {value!r}", hint=f"use one of {sorted(ROLES)}")
    return value


def load(path: Path = TRIGGERS) -> TriggerLexicon:
    data = read_toml(path)
    frames: list[Frame] = []
    for index, raw in enumerate(data.get("frame", []), start=1):
        where = f"{path}: frame #{index}"
        if raw.get("type") not in EVENT_TYPES:
            raise DataFileError(f"{where} has type {raw.get('type')!r}", hint=f"use one of {list(EVENT_TYPES)}")
        if not raw.get("verbs") and not raw.get("nouns"):
            raise DataFileError(f"{where} ({raw['type']}) has neither verbs nor nouns")
        settings = {k: v for k, v in raw.items() if k in SETTINGS}
        prepositions = {k: _check_role(v, path, index, k) for k, v in raw.items() if k not in SETTINGS}
        for name in ("subject", "object", "holder", "modifier"):
            if name in settings:
                _check_role(settings[name], path, index, name)
        for role in settings.get("requires", ()):
            if role not in ROLES:
                raise DataFileError(f"{where} requires {role!r}", hint=f"use roles of {sorted(ROLES - {'none'})}")
        for name in ("agent_kinds", "affected_kinds", "object_kinds"):
            unknown = set(settings.get(name, ())) - set(ACTOR_CLASSES)
            if unknown:
                raise DataFileError(f"{where} {name} has {sorted(unknown)}", hint=f"use classes of {list(ACTOR_CLASSES)}")
        if settings.get("voice", "any") not in ("any", "passive"):
            raise DataFileError(f"{where} has voice {settings['voice']!r}", hint='use "any" or "passive"')
        unknown = set(settings.get("place_kinds", ())) - set(PLACE_CLASS)
        if unknown:
            raise DataFileError(f"{where} place_kinds has {sorted(unknown)}", hint=f"use kinds of {sorted(PLACE_CLASS)}")
        common = dict(
            type=settings["type"], subject=settings.get("subject", "none"), object=settings.get("object", "none"),
            holder=settings.get("holder", "none"), modifier=settings.get("modifier", "none"), prepositions=prepositions,
            cases=tuple(settings["cases"]) if "cases" in settings else None,
            requires=tuple(settings.get("requires", ())),
            place_kinds=tuple(settings.get("place_kinds", DEFAULT_PLACE_KINDS)),
            agent_kinds=tuple(settings.get("agent_kinds", ())), affected_kinds=tuple(settings.get("affected_kinds", ())),
            object_kinds=tuple(settings.get("object_kinds", ())), when=tuple(settings.get("when", ())),
            frame=bool(settings.get("frame", False)),
            support=bool(settings.get("support", False)),
            voice=settings.get("voice", "any"),
        )
        for pos, key in (("VERB", "verbs"), ("NOUN", "nouns")):
            for entry in settings.get(key, ()):
                head, extras = _entry(entry, pos)
                frames.append(Frame(pos=pos, lemma=head, extras=extras, entry=entry, **common))
    by_head: dict[tuple[str, str], list[Frame]] = {}
    for frame in frames:
        by_head.setdefault((frame.lemma, frame.pos), []).append(frame)
    cues = set()
    verb_of_form = {form: frame.lemma for frame in reversed(frames) if frame.pos == "VERB"
                    for form in verb_forms(frame.lemma)}  # reversed: the first frame's lemma wins
    for frame in frames:
        cues |= verb_forms(frame.lemma) if frame.pos == "VERB" else noun_forms(frame.lemma)
        if frame.pos == "NOUN" and frame.lemma.endswith("ing"):
            cues.add(frame.lemma)
    return TriggerLexicon(tuple(frames), {k: tuple(v) for k, v in by_head.items()}, frozenset(cues), verb_of_form)


@cache
def default() -> TriggerLexicon:
    return load()
