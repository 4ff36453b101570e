"""Actor mentions: gazetteer actors, descriptors ("the insurgents"), people with their titles, and
unnamed role-bearing officials and groups ("a former senator", "about 250 militia soldiers").

People are found only where the text gives evidence that a capitalised run is a person: a title
before or after it ("Governor X", "X, deputy governor of Y", "X (the council chief ...)"), or a
reporting verb ("X said", "according to X"). A single surname is kept only when it refers back to a
person already named in the article ("Rahmani" -> "Mohammad Noor Rahmani").
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from kg import gazetteer as gazetteer_module
from kg.extraction import lexicon as lexicon_module
from kg.extraction.places import DIRECTIONS
from kg.extraction.records import Position
from kg.extraction.sentences import normalised_pattern
from kg.extraction.state import ActorHit, DocState
from kg.slug import fold, slug

DETERMINERS = {"a", "an", "the"}
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "dozen": 12, "dozens": 24, "hundred": 100, "hundreds": 200, "thousand": 1000}


def parse_number(text: str) -> int | None:
    cleaned = text.replace(",", "")
    if re.fullmatch(r"\d+", cleaned):
        return int(cleaned)
    return NUMBER_WORDS.get(text.lower())


class ActorTagger:
    def __init__(self, nlp: Language, gazetteer=None, lexicon=None):
        self.gazetteer = gazetteer or gazetteer_module.default()
        self.lexicon = lexicon or lexicon_module.default()
        lex = self.lexicon
        self.known = PhraseMatcher(nlp.vocab, attr="NORM")
        # patterns from the names as written: the tokenizer splits "U.N." but not "u.n." into pieces
        surfaces = {form for actor in self.gazetteer.actors.values() for form in (actor.name, *actor.aliases)}
        self.known.add("ACTOR", [normalised_pattern(nlp, form) for form in sorted(surfaces | set(self.gazetteer.actor_names))])
        self.descriptors = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.descriptors.add("ARMED", [nlp.make_doc(p) for p in lex.armed_group_descriptors])
        for phrase in lex.descriptor_refers_to:
            self.descriptors.add("REF:" + phrase.lower(), [nlp.make_doc(phrase)])
        self.titles = PhraseMatcher(nlp.vocab, attr="LOWER")
        for title in lex.titles:
            self.titles.add("SG:" + title, [nlp.make_doc(title)])
            self.titles.add("PL:" + title, [nlp.make_doc(lexicon_module.plural(title))])
        self.title_words = {w for t in lex.titles for w in t.split()}
        self.office_bodies = {w.lower() for body in lex.office_bodies for w in body.split()}

    # --- the component -------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        state: DocState = doc._.kg
        state.occupied.update(i for p in state.places for i in range(p.start, p.end))
        hits = self._known_actors(doc, state)
        state.actor_hits.extend(hits)  # the descriptors below look back at these
        hits = self._descriptors(doc, state)
        for hit in state.actor_hits + hits:
            state.occupied.update(range(hit.start, hit.end))
        state.actor_hits.extend(hits)
        self._titles(doc, state)
        self._speakers(doc, state)
        state.actor_hits.sort(key=lambda h: h.start)
        return doc

    # --- gazetteer actors and descriptors ------------------------------------------------------
    def _known_actors(self, doc: Doc, state: DocState) -> list[ActorHit]:
        spans = []
        for _, start, end in self.known(doc):
            span = doc[start:end]
            text = span.text
            keys = self.gazetteer.actor_names.get(fold(text), set())
            if len(keys) != 1 or not text[:1].isupper() and not text.lower().startswith("the "):
                continue
            actor = self.gazetteer.actors[next(iter(keys))]
            surfaces = (actor.name, *actor.aliases)
            # Short all-caps aliases (AP, UN, ANA) must match exactly, or "ana" and "un-" would match.
            if text not in surfaces and (text.isupper() or any(s.isupper() and fold(s) == fold(text) for s in surfaces)):
                continue
            spans.append(span)
        hits = []
        for span in filter_spans(spans):
            if any(i in state.occupied for i in range(span.start, span.end)):
                continue
            key = next(iter(self.gazetteer.actor_names[fold(span.text)]))
            hits.append(ActorHit(span.start, span.end, self._known(state, key), confidence=0.9))
        return hits

    def _known(self, state: DocState, key: str) -> int:
        for actor in state.actors.values():
            if actor.key == key:
                return actor.local_id
        entry = self.gazetteer.actors[key]
        actor = state.new_actor(cls=entry.cls, label=entry.name, name=entry.name, key=key)
        if entry.cls == "Person":
            state.person_keys[key] = actor.local_id
        return actor.local_id

    def _descriptors(self, doc: Doc, state: DocState) -> list[ActorHit]:
        found = [(doc[s:e], doc.vocab.strings[m]) for m, s, e in self.descriptors(doc)]
        spans = filter_spans([span for span, _ in found])
        labels = {(span.start, span.end): label for span, label in found}
        hits = []
        for span in spans:
            if any(i in state.occupied for i in range(span.start, span.end)):
                continue
            label = labels[(span.start, span.end)]
            if label == "ARMED":
                key = self._last_armed_group(state, span.start) or self.lexicon.armed_group_default
            else:
                key = self.lexicon.descriptor_refers_to.get(next(p for p in self.lexicon.descriptor_refers_to if p.lower() == label[4:]))
            if key not in self.gazetteer.actors:
                continue
            start = span.start - 1 if span.start > 0 and doc[span.start - 1].lower_ == "the" else span.start
            hits.append(ActorHit(start, span.end, self._known(state, key), confidence=0.7))
        return hits

    def _last_armed_group(self, state: DocState, before: int) -> str | None:
        for hit in sorted((h for h in state.actor_hits if h.start < before), key=lambda h: h.start, reverse=True):
            key = state.actors[hit.actor].key
            if key in self.gazetteer.actors and self.gazetteer.actors[key].kind == "armed_group":
                return key
        return None

    # --- people, titles, unnamed officials -----------------------------------------------------
    def _name_run(self, doc: Doc, state: DocState, start: int, step: int, limit: int = 5) -> tuple[int, int] | None:
        """The capitalised run starting at `start` going right (step=1) or ending at `start` going left."""
        indices = []
        i = start
        while 0 <= i < len(doc) and len(indices) < limit:
            token = doc[i]
            if not self._is_name_token(token, state):
                break
            indices.append(i)
            i += step
        if not indices:
            return None
        lo, hi = min(indices), max(indices) + 1
        while lo < hi and doc[lo].text in self.lexicon.honorifics:
            lo += 1
        return (lo, hi) if lo < hi else None

    def _is_name_token(self, token, state: DocState) -> bool:
        text = token.text
        return (
            token.is_alpha
            and text[:1].isupper()
            and not (text.isupper() and len(text) > 1 and len(text) <= 4)
            and text not in self.lexicon.name_stopwords
            and token.i not in state.occupied
            and token.lower_ not in self.title_words
        )

    def _person(self, doc: Doc, state: DocState, start: int, end: int, confidence: float = 0.8) -> int | None:
        name = doc[start:end].text
        if end - start == 1:
            # A lone surname only refers back to someone already named.
            for local in state.person_keys.values():
                if state.actors[local].name and state.actors[local].name.split()[-1] == name:
                    return local
            keys = self.gazetteer.actor_names.get(fold(name), set())
            person = [k for k in keys if self.gazetteer.actors[k].kind == "person"]
            return self._known(state, person[0]) if len(person) == 1 else None
        keys = [k for k in self.gazetteer.actor_names.get(fold(name), set()) if self.gazetteer.actors[k].kind == "person"]
        key = keys[0] if len(keys) == 1 else "person/" + slug(name)
        if key in self.gazetteer.actors:
            return self._known(state, key)
        if key not in state.person_keys:
            state.person_keys[key] = state.new_actor(cls="Person", label=name, name=name, key=key).local_id
        return state.person_keys[key]

    def _add_hit(self, state: DocState, start: int, end: int, actor: int, covers_end: int = -1, confidence: float = 0.8):
        state.actor_hits.append(ActorHit(start, end, actor, covers_end, confidence))
        state.occupied.update(range(start, max(end, covers_end)))

    def _titles(self, doc: Doc, state: DocState) -> None:
        found = [(doc[s:e], doc.vocab.strings[m]) for m, s, e in self.titles(doc)]
        labels = {}
        for span, label in found:
            labels.setdefault((span.start, span.end), label)
        for span in filter_spans([span for span, _ in found]):
            if any(i in state.occupied for i in range(span.start, span.end)):
                continue
            label = labels[(span.start, span.end)]
            plural, title = label.startswith("PL:"), label[3:]
            self._title(doc, state, span.start, span.end, self.lexicon.title_synonyms.get(title, title), plural)

    def _title(self, doc: Doc, state: DocState, t_start: int, t_end: int, title: str, plural: bool) -> None:
        lex = self.lexicon
        # left: modifiers, determiners, quantities ("about 250", "several pro-government")
        left, former, size, determiner = t_start, False, None, False
        while left > 0:
            token = doc[left - 1]
            low = token.lower_
            if low in lex.former_words:
                former = True
            elif low in DETERMINERS:
                determiner = True
            elif token.like_num or parse_number(token.text) is not None:
                size = parse_number(token.text)
            elif low in lex.title_modifiers or any(low in a.split() for a in lex.approximators):
                pass
            elif left >= 3 and doc[left - 2].text == "-" and doc[left - 3:left].text.lower() in lex.title_modifiers:
                left -= 3  # a hyphenated modifier is three tokens: "pro", "-", "government"
                continue
            elif token.text == "-" and left >= 2 and doc[left - 2].lower_ + "-" in lex.former_words:
                former = True  # "ex-governor": "ex", "-", "governor"
                left -= 2
                continue
            else:
                break
            left -= 1
        # possessive place before: "Sar-e Pul's council chief", "Helmand's health department chief"
        place_key = None
        if left >= 2 and doc[left - 1].text in ("'s", "’s"):
            place = next((p for p in state.places if p.end == left - 1), None)
            if place:
                place.descriptor = True
                place_key, left = place.key, place.start
        # right: "of/for/from PLACE", "of the province", "of the Taliban", or "of <Capitalised Body>"
        right, organisation_key = t_end, None
        if right < len(doc) and doc[right].lower_ in ("of", "for", "from", "in"):
            after = right + 1 + (1 if right + 1 < len(doc) and doc[right + 1].lower_ == "the" else 0)
            while after < len(doc) and doc[after].lower_ in DIRECTIONS:
                after += 1
            place = next((p for p in state.places if p.start == after or p.start == right + 1 and p.anaphoric), None)
            if place and place.end < len(doc) and doc[place.end].text in ("'s", "’s"):
                place = None  # "member of Afghanistan's National Assembly": the office is the assembly's
            if place:
                place.descriptor = True
                place_key = place_key or place.key
                right = place.end + (1 if place.end < len(doc) and doc[place.end].lower_ in ("province", "city") else 0)
            elif doc[right].lower_ == "of" and after < len(doc) and state.lower[after] in self.office_bodies:
                # "member of the provincial council": the body names the office
                end = after + 1
                while end < len(doc) and state.lower[end] in self.office_bodies:
                    end += 1
                title = title + " of the " + " ".join(state.lower[after:end])
                right = end
            elif (organisation := next((h for h in state.actor_hits if h.start in (right + 1, after)
                                         and state.actors[h.actor].cls != "Person"), None)) is not None:
                # "spokesman of/for the Taliban": the office belongs to an organisation
                organisation_key = state.actors[organisation.actor].key
                right = organisation.end
            elif doc[right].lower_ == "of" and after < len(doc) and doc[after].text[:1].isupper():
                end = after
                while end < len(doc) and (doc[end].text[:1].isupper() or doc[end].text in ("'s", "’s")) and end - after < 6:
                    end += 1
                title = title + " of " + doc[after:end].text if end > after else title
                for place in state.places:  # "member of Afghanistan's National Assembly": not a place argument
                    if after <= place.start < end:
                        place.descriptor = True
                right = end
        position = Position(title=title, place_key=place_key, organisation_key=organisation_key, former=former)

        # named: "Governor X", "Taliban spokesman Zabihullah Mujahid", "warlords X and Y"
        holders = self._names_after(doc, state, t_end, several=plural)
        # "the UN envoy in Afghanistan, Deborah Lyons": the name after the title's phrase and a comma
        if not holders and right + 1 < len(doc) and doc[right].text == ",":
            holders = self._names_after(doc, state, right + 1, several=False)
        if holders:
            for actor, start, end in holders:
                state.add_positions(actor, (position,))
                if not any(h.start == start and h.end == end for h in state.actor_hits):
                    self._add_hit(state, start, end, actor)
            state.occupied.update(range(left, right))
            return
        # apposition: "X, (a|the) title ..." or "X (the title ...)"
        if left >= 2 and doc[left - 1].text in (",", "("):
            holder = self._holder_before(doc, state, left - 1)
            if holder is not None:
                actor, hit = holder
                state.add_positions(actor, (position,))
                if hit is not None:
                    hit.covers_end = right + (1 if right < len(doc) and doc[right].text == ")" else 0)
                state.occupied.update(range(left, right))
                return
        # copula: "X was (also) a provincial lawmaker", "X is the governor of Y"
        copula = left - 1
        while copula > 0 and state.lower[copula] in ("also", "still", "now", "then"):
            copula -= 1
        if determiner and copula > 0 and state.lower[copula] in ("was", "is", "has been", "had been"):
            holder = self._holder_before(doc, state, copula)
            if holder is not None:
                state.add_positions(holder[0], (position,))
                state.occupied.update(range(left, right))
                return
        # unnamed: keep only what the text marks as a referring phrase
        if not (determiner or plural or size or former):
            return
        label = doc[left:right].text
        cls = "Group" if plural or (size and size > 1) else "Person"
        actor = state.new_actor(cls=cls, label=label, positions=(position,), size=size if cls == "Group" else None)
        self._add_hit(state, left, right, actor.local_id, confidence=0.6)

    def _names_after(self, doc: Doc, state: DocState, start: int, *, several: bool) -> list[tuple[int, int, int]]:
        """People named right at `start` (and, when `several`, those listed after them with "and"/","):
        (actor, start, end) for each; an empty list when no name stands there."""
        found = []
        while start < len(doc) and doc[start].text[:1].isupper() and state.lower[start] in self.title_words:
            start += 1  # "Defense Minister General Bismillah Mohammadi", "warlords Marshal Abdul Rashid Dostum"
        while start < len(doc):
            hit = next((h for h in state.actor_hits if h.start == start and state.actors[h.actor].cls == "Person"), None)
            if hit is not None:
                found.append((hit.actor, hit.start, hit.end))
                end = hit.end
            else:
                run = self._name_run(doc, state, start, 1)
                honorifics = all(t.text in self.lexicon.honorifics for t in doc[start:run[0]]) if run else False
                if not run or not honorifics or run[1] - run[0] < 2:
                    break
                actor = self._person(doc, state, *run)
                if actor is None:
                    break
                found.append((actor, run[0], run[1]))
                end = run[1]
            if not several or end >= len(doc) or state.lower[end] not in (",", "and"):
                break
            start = end + 1 + (1 if end + 1 < len(doc) and state.lower[end] == "," and state.lower[end + 1] == "and" else 0)
        return found

    def _holder_before(self, doc: Doc, state: DocState, punct: int):
        """The person named right before the comma/parenthesis at `punct`, if any."""
        existing = next((h for h in state.actor_hits if h.end == punct), None)
        if existing is not None:
            return existing.actor, existing
        run = self._name_run(doc, state, punct - 1, -1)
        if run and run[1] == punct:
            actor = self._person(doc, state, *run)
            if actor is not None:
                self._add_hit(state, run[0], run[1], actor)
                hit = next(h for h in state.actor_hits if h.start == run[0] and h.end == run[1])
                return actor, hit
        return None

    def _speakers(self, doc: Doc, state: DocState) -> None:
        """Names next to reporting verbs: "Rahmani said", "said Mirwais Stanikzai", "according to X"."""
        prefixes = [p.lower().split() for p in self.lexicon.reporting_prefixes]
        prefix_ends = {p[-1] for p in prefixes}
        lower = state.lower
        for i, low in enumerate(lower):
            runs = []
            if low in self.lexicon.reporting_verbs:
                runs = [self._name_run(doc, state, i - 1, -1), self._name_run(doc, state, i + 1, 1)]
            elif low in prefix_ends and any(p[-1] == low and lower[max(0, i - len(p) + 1):i + 1] == p for p in prefixes):
                runs = [self._name_run(doc, state, i + 1, 1)]
            for run in runs:
                if run and (run[0] == i + 1 or run[1] == i):
                    actor = self._person(doc, state, *run)
                    if actor is not None:
                        self._add_hit(state, run[0], run[1], actor)
                        break


@Language.factory("kg_actors")
def make_actor_tagger(nlp: Language, name: str):
    return ActorTagger(nlp)
