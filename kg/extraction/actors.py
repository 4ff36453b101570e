"""Actor mentions: gazetteer actors, descriptors ("the insurgents"), people with their titles, and
unnamed role-bearing officials and groups ("a former senator", "about 250 militia soldiers").

People are found only where the text gives evidence that a capitalised run is a person: a title
before or after it ("Governor X", "X, deputy governor of Y", "X (the council chief ...)"), or a
reporting verb ("X said", "according to X"). A single surname is kept only when it refers back to a
person already named in the article ("Rahmani" -> "Mohammad Noor Rahmani").
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from kg import gazetteer as gazetteer_module
from kg.extraction import lexicon as lexicon_module
from kg.extraction.places import DIRECTIONS, filter_bounds
from kg.extraction.records import Position
from kg.extraction.sentences import normalised_pattern
from kg.extraction.state import ActorHit, DocState, PlaceHit
from kg.extraction.numbers import parse_number
from kg.slug import fold, slug

DETERMINERS = {"a", "an", "the", "another"}
RANKS = {"deputy", "vice", "acting", "assistant"}  # "the governor" is not the deputy governor
# words that cannot name whose office a title is ("the spokesman of Takhar governor")
AFFILIATION_STOPS = {"of", "for", "and", "or", "in", "at", "to", "from", "with", "by", "on", "his", "her", "their", "its"}


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
        self.title_words = {w.lower() for title in lex.titles for w in title.split()}
        self.approximators = [a.split() for a in lex.approximators]
        self.approximator_words = {w for a in self.approximators for w in a}
        self.prefixes = [p.lower().split() for p in lex.reporting_prefixes]  # "according to" -> ["according", "to"]
        self.prefix_ends = {p[-1] for p in self.prefixes}
        self.speaker_cues = lex.reporting_verbs | self.prefix_ends  # the tokens `_speakers` looks around

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
        spans = []  # token bounds, not Spans: Span objects are costly to create
        forms = {}
        for _, start, end in self.known(doc):
            text = state.span_text(start, end)
            form = fold(text)
            keys = self.gazetteer.actor_names.get(form, set())
            if len(keys) != 1 or not text[:1].isupper() and not text.lower().startswith("the "):
                continue
            actor = self.gazetteer.actors[next(iter(keys))]
            surfaces = (actor.name, *actor.aliases)
            # Short all-caps aliases (AP, UN, ANA) must match exactly, or "ana" and "un-" would match.
            if text not in surfaces and (text.isupper() or any(s.isupper() and fold(s) == form for s in surfaces)):
                continue
            spans.append((start, end))
            forms[start, end] = form
        hits = []
        for start, end in filter_bounds(spans):
            if any(i in state.occupied for i in range(start, end)):
                continue
            key = next(iter(self.gazetteer.actor_names[forms[start, end]]))
            hits.append(ActorHit(start, end, self._known(state, key), confidence=0.9))
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
        found = [((s, e), doc.vocab.strings[m]) for m, s, e in self.descriptors(doc)]  # token bounds, label
        spans = filter_bounds([bounds for bounds, _ in found])
        labels = {bounds: label for bounds, label in found}
        hits = []
        for span_start, span_end in spans:
            if any(i in state.occupied for i in range(span_start, span_end)):
                continue
            label = labels[(span_start, span_end)]
            if label == "ARMED":
                key = self._last_armed_group(state, span_start) or self.lexicon.armed_group_default
            else:
                key = self.lexicon.descriptor_refers_to.get(next(p for p in self.lexicon.descriptor_refers_to if p.lower() == label[4:]))
            if key not in self.gazetteer.actors:
                continue
            start = span_start - 1 if span_start > 0 and state.lower[span_start - 1] == "the" else span_start
            hits.append(ActorHit(start, span_end, self._known(state, key), confidence=0.7))
        return hits

    def _last_armed_group(self, state: DocState, before: int) -> str | None:
        for hit in sorted((h for h in state.actor_hits if h.start < before), key=lambda h: h.start, reverse=True):
            key = state.actors[hit.actor].key
            if key in self.gazetteer.actors and self.gazetteer.actors[key].kind == "armed_group":
                return key
        return None

    # --- people, titles, unnamed officials -----------------------------------------------------
    def _name_run(self, state: DocState, start: int, step: int, limit: int = 5) -> tuple[int, int] | None:
        """The capitalised run starting at `start` going right (step=1) or ending at `start` going left."""
        indices = []
        i = start
        n = len(state.texts)
        while 0 <= i < n and len(indices) < limit:
            if not self._is_name_token(state, i):
                break
            indices.append(i)
            i += step
        if not indices:
            return None
        lo, hi = min(indices), max(indices) + 1
        while lo < hi and state.texts[lo] in self.lexicon.honorifics:
            lo += 1
        return (lo, hi) if lo < hi else None

    def _is_name_token(self, state: DocState, i: int) -> bool:
        """Token `i` may be part of a name (read from the state's lists: Token objects are costly)."""
        text = state.texts[i]
        return (
            text.isalpha()  # what token.is_alpha tests
            and text[:1].isupper()
            and not (text.isupper() and len(text) > 1 and len(text) <= 4)
            and text not in self.lexicon.name_stopwords
            and i not in state.occupied
            and state.lower[i] not in self.title_words
        )

    def _person(self, state: DocState, start: int, end: int, confidence: float = 0.8) -> int | None:
        name = state.span_text(start, end)
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
        found = [((s, e), doc.vocab.strings[m]) for m, s, e in self.titles(doc)]  # token bounds, label
        labels = {}
        for bounds, label in found:
            labels.setdefault(bounds, label)
        for start, end in filter_bounds([bounds for bounds, _ in found]):
            if any(i in state.occupied for i in range(start, end)):
                continue
            label = labels[(start, end)]
            plural, title = label.startswith("PL:"), label[3:]
            self._title(doc, state, start, end, self.lexicon.title_synonyms.get(title, title), plural)

    def _title(self, doc: Doc, state: DocState, t_start: int, t_end: int, title: str, plural: bool) -> None:
        lex = self.lexicon
        lower, texts, n = state.lower, state.texts, len(state.lower)  # token attributes without Token objects
        if self._qualifies_office(state, t_start) and not (t_end < n and texts[t_end][:1].isupper()):
            # "the spokesman for the Laghman governor, X": X is the spokesman (but "a spokesman for
            # President Ashraf Ghani": the president is named)
            return
        # left: modifiers, determiners, quantities ("about 250", "several pro-government")
        left, former, size, determiner, place_key, owner_key = t_start, False, None, False, None, None
        while left > 0:
            low, text = lower[left - 1], texts[left - 1]
            if low in lex.former_words:
                former = True
            elif low in RANKS and not title.startswith(low):
                title = low + " " + title  # "the district's deputy police chief"
            elif low in DETERMINERS:
                determiner = True
            elif doc[left - 1].like_num or parse_number(text) is not None:
                size = parse_number(text)
            elif low in lex.title_modifiers:
                pass
            elif low in self.approximator_words and (phrase := next(
                    (a for a in self.approximators if lower[max(0, left - len(a)):left] == a), None)):
                left -= len(phrase) - 1  # "up to", "at least" as a whole (and not the "to" of "according to")
            elif left >= 3 and texts[left - 2] == "-" and state.span_text(left - 3, left).lower() in lex.title_modifiers:
                left -= 3  # a hyphenated modifier is three tokens: "pro", "-", "government"
                continue
            elif text == "-" and left >= 2 and lower[left - 2] + "-" in lex.former_words:
                former = True  # "ex-governor": "ex", "-", "governor"
                left -= 2
                continue
            elif (place := self._place_ending(state, left)) is not None and place.start and lower[place.start - 1] in DETERMINERS:
                # "a Paktia provincial prosecutor", "the Kandahar police chief": the office's place
                place.descriptor = True
                place_key, left = place.key, place.start
                continue
            elif (owner := self._organisation_ending(state, left)) is not None and owner.start \
                    and lower[owner.start - 1] in DETERMINERS:
                # "a Taliban spokesman": the organisation the office belongs to
                owner_key, left = state.actors[owner.actor].key, owner.start
                state.actor_hits.remove(owner)
                continue
            elif (start := self._affiliation(state, left)) is not None:
                left = start  # "the National Resistance Front spokesman", "the NRF spokesman": a body no list knows
                continue
            else:
                break
            left -= 1
        # possessive place before: "Sar-e Pul's council chief", "Helmand's health department chief";
        # or organisation: "the government's media chief" (a possessive determines the phrase)
        if left >= 2 and texts[left - 1] in ("'s", "’s"):
            place = self._place_ending(state, left - 1)
            owner = self._organisation_ending(state, left - 1)
            if place:
                place.descriptor = True
                place_key, left = place.key, place.start
            elif owner is not None:
                owner_key, determiner, left = state.actors[owner.actor].key, True, owner.start
                state.actor_hits.remove(owner)  # the organisation only qualifies the office here
        # right: "of/for/from PLACE", "of the province", "of the Taliban", or "of <Capitalised Body>"
        right, organisation_key = t_end, owner_key
        if right < n and lower[right] in ("of", "for", "from", "in", "at"):
            after = right + 1 + (1 if right + 1 < n and lower[right + 1] in ("the", "a", "an") else 0)
            while after < n and lower[after] in DIRECTIONS:
                after += 1
            place = next((p for p in state.places if p.start == after or p.start == right + 1 and p.anaphoric), None)
            if place and place.end < n and texts[place.end] in ("'s", "’s"):
                place = None  # "member of Afghanistan's National Assembly": the office is the assembly's
            if place:
                # "governor of Samangan" only describes the office; "a journalist in Kabul" is also
                # where the journalist was, so the place stays an argument of the event
                place.descriptor = place.descriptor or lower[right] != "in"
                place_key = place_key or place.key
                preposition = lower[right]
                right = place.end + (1 if place.end < n and lower[place.end] in ("province", "city") else 0)
                if right < n and lower[right] in self.title_words and lower[right] not in self.office_bodies:
                    # "spokesman for the Laghman governor": the office is the governor's spokesman's
                    title, right = f"{title} {preposition} the {lower[right]}", right + 1
                body = right + (1 if right < n and lower[right] == "provincial" else 0)
                if body < n and lower[body] in self.office_bodies:
                    # "member of the Kandahar provincial council": the body, located by the place
                    end = body + 1
                    while end < n and lower[end] in self.office_bodies:
                        end += 1
                    title = title + " of the " + " ".join(lower[right:end])
                    right = end
            elif lower[right] == "of" and after < n and texts[after].islower() \
                    and (end := self._possessed_body(state, after)) is not None and end > after + 1:
                # "head of the provincial health department": a body with words before it
                title = title + " of the " + " ".join(lower[after:end])
                right = end
            elif lower[right] == "of" and after < n and lower[after] in self.office_bodies:
                # "member of the provincial council": the body names the office
                end = after + 1
                while end < n and lower[end] in self.office_bodies:
                    end += 1
                possessed = self._possessed_body(state, end + 1) if end < n and texts[end] in ("'s", "’s") else None
                end = possessed or end  # "commander of the army's 215th Corps"
                title = title + " of the " + state.span_text(after, end).lower() if possessed else \
                    title + " of the " + " ".join(lower[after:end])
                right = end
            elif (organisation := next((h for h in state.actor_hits if h.start in (right + 1, after)
                                         and state.actors[h.actor].cls != "Person"), None)) is not None:
                # "spokesman of/for the Taliban": the office belongs to an organisation
                organisation_key = state.actors[organisation.actor].key
                right = organisation.end
                if right < n and lower[right] in self.office_bodies:
                    # "commander of an ANA battalion": the organisation's unit
                    title = title + " of " + state.span_text(right - (organisation.end - organisation.start), right + 1).lower()
                    right += 1
                if right < n and texts[right] in ("'s", "’s") and (body := self._possessed_body(state, right + 1)):
                    # "head of the government's media and information centre": the organisation's body
                    title = title + " of " + state.span_text(t_end + 1, body)
                    right = body
            elif lower[right] == "of" and after < n and texts[after][:1].isupper():
                end = after
                while end < n and (texts[end][:1].isupper() or texts[end] in ("'s", "’s")) and end - after < 6:
                    end += 1
                if end > after and (texts[end - 1] in ("'s", "’s") or end < n and lower[end] in self.office_bodies):
                    # "of Afghanistan's National Assembly", "of Baharak district" (not "of Chal handed
                    # over the district")
                    end = self._possessed_body(state, end) or end
                title = title + " of " + state.span_text(after, end) if end > after else title
                for place in state.places:  # "member of Afghanistan's National Assembly": not a place argument
                    if after <= place.start < end:
                        place.descriptor = True
                        place_key = place_key or place.key
                right = end
        if place_key is None and right > t_end and right + 1 < n and lower[right] == "in" and (place := next(
                (p for p in state.places if p.start == right + 1), None)) is not None:
            # "the commander of a border police battalion in Ghormach district": where the unit is (and,
            # as for "a journalist in Kabul", maybe where the event was: the place stays an argument)
            place_key = place.key
            right = place.end + (1 if place.end < n and lower[place.end] in ("district", "province", "city") else 0)
        position = Position(title=title, place_key=place_key, organisation_key=organisation_key, former=former)

        # named: "Governor X", "Taliban spokesman Zabihullah Mujahid", "warlords X and Y"
        holders = self._names_after(state, t_end, several=plural)
        # "the UN envoy in Afghanistan, Deborah Lyons": the name after the title's phrase and a comma
        if not holders and right + 1 < n and texts[right] == ",":
            holders = self._names_after(state, right + 1, several=False)
        if holders:
            for actor, start, end in holders:
                state.add_positions(actor, (position,))
                if not any(h.start == start and h.end == end for h in state.actor_hits):
                    self._add_hit(state, start, end, actor)
            state.occupied.update(range(left, right))
            return
        # apposition: "X, (a|the) title ...", "X (the title ...)", and a second title joined to the
        # first ("X, a tribal elder and member of the provincial council")
        joined = state.title_holders.get(left - 1) if left >= 2 and lower[left - 1] == "and" else None
        if joined is not None or left >= 2 and texts[left - 1] in (",", "("):
            holder = (joined, None) if joined is not None else self._holder_before(state, left - 1)
            if holder is not None:
                actor, hit = holder
                state.add_positions(actor, (position,))
                if hit is not None:
                    hit.covers_end = right + (1 if right < n and texts[right] == ")" else 0)
                state.occupied.update(range(left, right))
                state.title_holders[right] = actor
                return
        # copula: "X was (also) a provincial lawmaker", "X from Samangan was another lawmaker"
        copula = left - 1
        while copula > 0 and lower[copula] in ("also", "still", "now", "then"):
            copula -= 1
        if determiner and copula > 0 and lower[copula] in ("was", "is", "has been", "had been"):
            subject_end = copula
            origin = self._place_ending(state, copula)
            if origin is not None and origin.start and lower[origin.start - 1] in ("from", "of", "in"):
                subject_end = origin.start - 1
                position = Position(**{**position.__dict__, "place_key": position.place_key or origin.key})
            holder = self._holder_before(state, subject_end)
            if holder is not None:
                state.add_positions(holder[0], (position,))
                state.occupied.update(range(left, right))
                if "also" in lower[copula + 1:left]:
                    self._bridge_also(doc, state, holder[0], copula)
                return
        # unnamed: keep only what the text marks as a referring phrase
        if not (determiner or plural or size or former):
            return
        # "the governor": the person named before who holds that office
        antecedent = self._antecedent(state, left, title) if lower[left] == "the" and not (plural or size or former) else None
        if antecedent is not None:
            self._add_hit(state, left, right, antecedent, confidence=0.6)
            state.occupied.update(range(left, right))
            return
        label = state.span_text(left, right)
        cls = "Group" if plural or (size and size > 1) else "Person"
        # (the rank and file hold no office: "34 fighters surrendered" tells no official's surrender)
        positions = () if position.title in self.lexicon.ranks else (position,)
        actor = state.new_actor(cls=cls, label=label, positions=positions, size=size if cls == "Group" else None)
        self._add_hit(state, left, right, actor.local_id, confidence=0.6)

    def _qualifies_office(self, state: DocState, start: int) -> bool:
        """Is the title at `start` whose office another title before it is ("spokesman for the
        Laghman governor", "deputy of the provincial police chief")?"""
        lower, k = state.lower, start
        places = [p for p in state.places if start - 6 <= p.start < start]  # (not yet frozen: a plain scan)
        while k > 0 and (lower[k - 1] in DETERMINERS or lower[k - 1] in ("'s", "’s") or lower[k - 1] in self.lexicon.title_modifiers
                         or any(p.start <= k - 1 < p.end for p in places)):
            k -= 1
        return k > 1 and lower[k - 1] in ("for", "of", "to") and lower[k - 2] in self.title_words

    def _affiliation(self, state: DocState, end: int, reach: int = 3) -> int | None:
        """The start of the words before a title (at `end`) that name whose office it is, when a
        determiner or a bracket opens them ("the National Resistance Front spokesman", "(resistance
        spokesman"): names or nouns only, no function word or title ("the spokesman of Takhar
        governor" is no governor), at most `reach` of them."""
        start = end
        while start > 0 and end - start < reach and state.texts[start - 1].isalpha() \
                and state.lower[start - 1] not in DETERMINERS and state.lower[start - 1] not in AFFILIATION_STOPS \
                and state.lower[start - 1] not in self.title_words:
            start -= 1
        if start == end or start == 0 or not (state.lower[start - 1] in DETERMINERS or state.texts[start - 1] == "("):
            return None
        return start

    @staticmethod
    def _bridge_also(doc: Doc, state: DocState, named: int, copula: int, sentences_back: int = 2) -> None:
        """"Gunmen shot dead a doctor. ... Ahmad Karimi was also a prosecutor": "also" says the person
        named here for the first time holds another office besides one told before, so when exactly
        one unnamed person was introduced ("a doctor") in the sentences just before, that person is
        the one named: the unnamed person's mentions and office pass to the name."""
        starts = [s.start for s in state.sentences(doc)]
        here = bisect_right(starts, copula) - 1
        window = starts[max(0, here - sentences_back)]
        if any(h.actor == named and h.start < starts[here] for h in state.actor_hits):
            return  # the name was introduced before: "also" adds to what was said of it
        unnamed = {h.actor for h in state.actor_hits if window <= h.start < starts[here]
                   and state.actors[h.actor].cls == "Person" and not state.actors[h.actor].name
                   and state.actors[h.actor].label.lower().startswith(("a ", "an "))}
        if len(unnamed) != 1:
            return  # none, or several the name could be
        (introduced,) = unnamed
        state.add_positions(named, state.actors[introduced].positions)
        for hit in state.actor_hits:
            if hit.actor == introduced:
                hit.actor = named

    def _possessed_body(self, state: DocState, start: int, reach: int = 4) -> int | None:
        """After a possessive ("Helmand's", "the army's"): the end of the body it owns ("health
        department", "215th Corps"), if a body word comes within `reach` plain words; else None."""
        lower, texts = state.lower, state.texts
        body = next((i for i in range(min(len(lower), start + reach) - 1, start - 1, -1) if lower[i] in self.office_bodies), None)
        if body is None or not all(texts[i].isalnum() for i in range(start, body)):
            return None
        return body + 1

    @staticmethod
    def _antecedent(state: DocState, before: int, title: str) -> int | None:
        """The named person mentioned last before `before` whose office has `title`'s head noun and
        rank ("the governor" -> "Abdul Wahid Zaki, the governor of Ghazni province"; not a deputy)."""
        words = title.split()
        ranked = {w for w in words if w in RANKS}
        candidates = [h for h in state.actor_hits if h.end <= before and state.actors[h.actor].cls == "Person"
                      and state.actors[h.actor].name]
        for hit in sorted(candidates, key=lambda h: h.end, reverse=True):
            for position in state.actors[hit.actor].positions:
                theirs = position.title.split()
                if not position.former and theirs[-1] == words[-1] and {w for w in theirs if w in RANKS} == ranked:
                    return hit.actor
        return None

    @staticmethod
    def _place_ending(state: DocState, end: int) -> PlaceHit | None:
        return next((p for p in state.places if p.end == end), None)

    @staticmethod
    def _organisation_ending(state: DocState, end: int) -> ActorHit | None:
        return next((h for h in state.actor_hits if h.end == end and state.actors[h.actor].cls != "Person"), None)

    def _names_after(self, state: DocState, start: int, *, several: bool) -> list[tuple[int, int, int]]:
        """People named right at `start` (and, when `several`, those listed after them with "and"/","):
        (actor, start, end) for each; an empty list when no name stands there."""
        found = []
        lower, texts, n = state.lower, state.texts, len(state.lower)
        while start < n and texts[start][:1].isupper() and lower[start] in self.title_words:
            start += 1  # "Defense Minister General Bismillah Mohammadi", "warlords Marshal Abdul Rashid Dostum"
        while start < n:
            hit = next((h for h in state.actor_hits if h.start == start and state.actors[h.actor].cls == "Person"), None)
            if hit is not None:
                found.append((hit.actor, hit.start, hit.end))
                end = hit.end
            else:
                run = self._name_run(state, start, 1)
                honorifics = all(text in self.lexicon.honorifics for text in texts[start:run[0]]) if run else False
                # one word after a title is a name only when it is the surname of someone already
                # named ("Governor Nasiri" after "Mohammad Dawood Nasiri"): `_person` checks that
                if not run or not honorifics:
                    break
                actor = self._person(state, *run)
                if actor is None:
                    break
                found.append((actor, run[0], run[1]))
                end = run[1]
            if not several or end >= n or lower[end] not in (",", "and"):
                break
            start = end + 1 + (1 if end + 1 < n and lower[end] == "," and lower[end + 1] == "and" else 0)
        return found

    def _holder_before(self, state: DocState, punct: int):
        """The person named right before the comma/parenthesis at `punct`, if any."""
        existing = next((h for h in state.actor_hits if h.end == punct), None)
        if existing is not None:
            return existing.actor, existing
        run = self._name_run(state, punct - 1, -1)
        if run and run[1] == punct:
            actor = self._person(state, *run)
            if actor is not None:
                self._add_hit(state, run[0], run[1], actor)
                hit = next(h for h in state.actor_hits if h.start == run[0] and h.end == run[1])
                return actor, hit
        return None

    def _speakers(self, doc: Doc, state: DocState) -> None:
        """Names next to reporting verbs: "Rahmani said", "said Mirwais Stanikzai", "according to X"."""
        prefixes, prefix_ends, reporting_verbs = self.prefixes, self.prefix_ends, self.lexicon.reporting_verbs
        lower, cues = state.lower, self.speaker_cues
        for i, low in enumerate(lower):
            if low not in cues:
                continue  # one set look-up for most tokens
            runs = []
            if low in reporting_verbs:
                # both runs are read before either is added (adding one marks its tokens occupied)
                runs = [self._name_run(state, i - 1, -1), self._name_run(state, i + 1, 1)]
            elif low in prefix_ends and any(p[-1] == low and lower[max(0, i - len(p) + 1):i + 1] == p for p in prefixes):
                runs = [self._name_run(state, i + 1, 1)]
            for run in runs:
                if run and (run[0] == i + 1 or run[1] == i):
                    actor = self._person(state, *run)
                    if actor is not None:
                        self._add_hit(state, run[0], run[1], actor)
                        break


@Language.factory("kg_actors")
def make_actor_tagger(nlp: Language, name: str):
    return ActorTagger(nlp)
