"""Place mentions: gazetteer names and aliases, context cues, and anaphors resolved from context.

Computes first (matches and their cues), then writes PlaceHits to the document state in text order,
keeping a discourse focus (the last province and city named) to resolve "the provincial capital",
"the province" and "the city".
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from kg import gazetteer as gazetteer_module
from kg.extraction import lexicon as lexicon_module
from kg.extraction.sentences import normalised_pattern
from kg.extraction.state import DocState, PlaceHit
from kg.linking import CUE_KIND, link_place
from kg.slug import fold, skeleton

# Anaphors: a head noun, the words that may stand between it and "the", what it refers to, and
# whether such a word is required ("the district centre", but not "the centre").
VARIANT_CUES = {"district", "province", "city"}  # kind words after which a variant spelling is read
ANAPHORS = {
    "capital": ("CAPITAL", {"provincial", "province's"}, False),
    "province": ("PROVINCE", {"entire", "whole", "same"}, False),
    "city": ("CITY", {"entire", "whole"}, False),
    "country": ("COUNTRY", {"entire", "whole"}, False),
    "district": ("DISTRICT", {"entire", "whole", "same"}, False),
    "centre": ("DISTRICT", {"district"}, True),
    "center": ("DISTRICT", {"district"}, True),
    "headquarters": ("DISTRICT", {"district"}, True),
    "area": ("AREA", {"same", "surrounding", "whole", "entire"}, False),  # "heavy fighting in the area"
}
DESCRIPTOR_OPENERS = {"the", "a", "an", "capital", "in", "of", "located", "near", "seat", "which", "province", "city", "just",
                      "about", "some", "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"}
DIRECTIONS = {"northern", "southern", "eastern", "western", "central", "northeastern", "northwestern", "southeastern",
              "southwestern", "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"}
COMPASS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"}
DESCRIPTOR_SKIPPED = DIRECTIONS | {"the"}  # words `_describes` passes over
DESCRIPTOR_LINKS = {"of", "in", "near", "from", "outside", "to", "between", "on", "at"}  # last word before a described place


def filter_bounds(bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """spaCy's `filter_spans` over (start, end) token bounds, without creating Span objects: the
    (first) longest of overlapping bounds wins, duplicates are dropped, the result is sorted by start."""
    result = []
    seen: set[int] = set()
    for start, end in sorted(bounds, key=lambda b: (b[1] - b[0], -b[0]), reverse=True):
        # as in spaCy, only the first and last tokens are checked
        if start not in seen and end - 1 not in seen:
            result.append((start, end))
            seen.update(range(start, end))
    return sorted(result, key=lambda b: b[0])


class PlaceTagger:
    def __init__(self, nlp: Language, gazetteer=None, lexicon=None):
        self.gazetteer = gazetteer or gazetteer_module.default()
        lex = lexicon or lexicon_module.default()
        self.only_country = self.gazetteer.only_country  # "the country" with one country known
        self.destinations = [list(words) for words in lex.destinations]  # lists compare with token slices
        self.destination_ends = {words[-1] for words in self.destinations}  # the word right before a destination
        self.set_kinds, self.list_reach = lex.set_kinds, lex.list_reach
        self.list_openers = [list(words) for words in lex.list_openers]
        self.list_opener_words = {words[-1] for words in lex.list_openers}
        self.office_words = {w for title in lex.titles for w in title.split()}
        self.stopwords = lex.name_stopwords | lex.honorifics | {w.title() for w in lex.titles if " " not in w}
        self.names = PhraseMatcher(nlp.vocab, attr="NORM")
        self.names.add("PLACE", [normalised_pattern(nlp, form) for form in self.gazetteer.place_names])

    def __call__(self, doc: Doc) -> Doc:
        state = doc._.kg
        texts = state.texts
        # Proper names only: the first letter is upper case ("Kunduz", "AIPIC"), not a common word;
        # and not the last word of a person's name ("Ahmad Zia Wardak" is a man, not Wardak province).
        # (in a Title Case headline every word is capitalised, so the surname test cannot apply there;
        # token bounds, not Spans: Span objects are costly to create)
        headline = self._title_case_tokens(state, doc)
        spans = [(s, e) for _, s, e in self.names(doc)
                 if texts[s][:1].isupper() and (s in headline or not self._surname(doc, state, s))]
        named = filter_bounds(spans)
        variants = self._spelling_variants(state, named)
        named = sorted(named + list(variants))
        anaphors = []
        lower = state.lower
        for end, word in enumerate(lower, start=1):
            if word not in ANAPHORS:
                continue
            label, modifiers, required = ANAPHORS[word]
            start = end - 2 if end >= 3 and lower[end - 2] in modifiers else end - 1
            if required and start == end - 1:
                continue
            # "the capital of X" names X's capital explicitly; only a bare "the capital" is anaphoric
            if start < 1 or lower[start - 1] != "the" or end < len(lower) and lower[end] == "of":
                continue
            if word == "district" and end < len(lower) and lower[end] in self.office_words:
                continue  # "the district police chief": an office, not a place
            start -= 1
            if any(s < end and start < e for s, e in named):
                continue
            anaphors.append((start, end, label))
        # "the district centre" holds "the district": keep the longer
        anaphors = [a for a in set(anaphors) if not any(b != a and b[0] <= a[0] and a[1] <= b[1] for b in anaphors)]
        items = [(s, e, None) for s, e in named] + sorted(anaphors)
        items.sort()
        links = {(s, e): variants.get((s, e)) or self._link(state, s, e, lambda s=s, e=e: self._provinces_nearby(state, named, s, e))
                 for s, e in named}
        # one sense per article: "Kishim district ... Kishim has not fallen" - a bare district name
        # links where the article has named it with its kind
        districts = {}
        for (s, e), hit in links.items():
            if hit is not None and self.gazetteer.places[hit.key].kind == "district":
                bare = e - 1 if e - s > 1 and lower[e - 1] in ("district", "districts") else e
                districts.setdefault(fold(state.span_text(s, bare)), hit.key)
        focus_province = focus_city = focus_district = focus_last = None
        previous: PlaceHit | None = None
        for start, end, anaphor in items:
            if anaphor is None:
                hit = links[start, end]
                if hit is None and (key := districts.get(fold(state.span_text(start, end)))):
                    hit = PlaceHit(start, end, key, 0.8)
            elif anaphor == "DISTRICT":
                # the district named last, if it lies in the province the passage is about
                same = focus_district and self.gazetteer.province_of(focus_district).key == focus_province
                hit = PlaceHit(start, end, focus_district, 0.6, anaphoric=True) if same else None
            elif anaphor == "AREA":
                # "the area": the place the passage named last (never a country)
                hit = PlaceHit(start, end, focus_last, 0.6, anaphoric=True) if focus_last else None
            else:
                hit = self._resolve(start, end, anaphor, focus_province, focus_city)
            if hit is None:
                continue
            if previous is not None and anaphor is None and self._describes(doc, state, previous, hit):
                hit.descriptor, hit.head = True, previous.start
            elif start >= 2 and lower[start - 1] == "of" and lower[start - 2] in COMPASS:
                hit.descriptor = True  # "(located) 300 km north of Kabul": a reference point, not where it happens
            state.places.append(hit)
            previous = hit
            if hit.descriptor or self._destination(lower, start):
                # "Ghazni, 150 km southwest of Kabul", "left for Kabul": the passage stays in Ghazni
                continue
            place = self.gazetteer.places[hit.key]
            if place.kind != "country":
                focus_last = place.key
            province = self.gazetteer.province_of(place.key)
            if place.kind == "city":
                focus_city = place.key
            elif place.kind == "district":
                focus_district = place.key
            if province is not None:
                focus_province = province.key
        return doc

    def _spelling_variants(self, state: DocState, named: list[tuple[int, int]], reach: int = 5) -> dict:
        """Names the gazetteer spells otherwise, recognised by their `skeleton` where a kind word
        follows ("Dehdadi district", "Bala Boluk district", "Nahr-e Saraj district"): span -> hit,
        for one place of that kind only, or one in a province the article names."""
        texts, lower = state.texts, state.lower
        covered = {i for s, e in named for i in range(s, e)}
        found = {}
        for end, word in enumerate(lower):
            kind = CUE_KIND.get(word) if word in VARIANT_CUES else None
            if kind is None or end == 0 or end - 1 in covered or not texts[end - 1][:1].isupper():
                continue
            for start in range(end - 1, max(-1, end - 1 - reach), -1):
                if start in covered or not (texts[start][:1].isupper() or texts[start] == "-" or
                                            texts[start].islower() and len(texts[start]) <= 2):
                    break
                if not texts[start][:1].isupper() or texts[start] in self.stopwords:
                    continue
                keys = [k for k in self.gazetteer.place_skeletons.get(skeleton(state.span_text(start, end)), ())
                        if self.gazetteer.places[k].kind == kind]
                if len(keys) > 1:
                    nearby = self._provinces_nearby(state, named, start, end)
                    keys = [k for k in keys if self.gazetteer.places[k].province in nearby]
                if len(keys) == 1:
                    found[(start, end)] = PlaceHit(start, end, keys[0], 0.7)
                    break
        return found

    def _destination(self, lower: list[str], start: int) -> bool:
        """Is the place at `start` where someone went ("left for Kabul")? (`the` may stand between)"""
        end = start - 1 if start and lower[start - 1] == "the" else start
        if not end or lower[end - 1] not in self.destination_ends:
            return False  # no phrase ends right there
        return any(lower[max(0, end - len(words)):end] == words for words in self.destinations)

    @staticmethod
    def _title_case_tokens(state, doc: Doc) -> set[int]:
        """Tokens of sentences written in Title Case ("Government Forces Fled Mazar-i-Sharif"):
        every word of four letters or more capitalised, and at least three of them."""
        found: set[int] = set()
        for sent in state.sentences(doc):
            capitalised = 0
            for word in state.texts[sent.start:sent.end]:
                if len(word) >= 4 and word.isalpha():
                    if not word[0].isupper():
                        break  # most sentences stop at their first long lower-case word
                    capitalised += 1
            else:  # no long word in lower case
                if capitalised >= 3:
                    found.update(range(sent.start, sent.end))
        return found

    def _surname(self, doc: Doc, state: DocState, start: int) -> bool:
        """Two capitalised words that are no place or function word right before: a person's name."""
        if start < 2:
            return False
        for i in range(start - 2, start):
            text = state.texts[i]  # token.is_alpha is text.isalpha()
            if not (text.isalpha() and text[:1].isupper() and text not in self.stopwords
                    and (form := fold(text)) not in self.gazetteer.place_names and form not in self.gazetteer.actor_names):
                return False
        return True

    def _provinces_nearby(self, state: DocState, named, start: int, end: int, window: int = 4) -> frozenset[str]:
        """Provinces that a name within a few words could be ("Arghandab district of Kandahar
        province", "Kandahar's Arghandab district")."""
        found, article = set(), set()
        for s, e in named:
            if (s, e) == (start, end):
                continue
            keys = self.gazetteer.place_names.get(fold(state.span_text(s, e)), ())
            provinces = {k for k in keys if self.gazetteer.places[k].kind == "province"}
            if len(keys) == 1 and not provinces:
                # "the districts of Qadis and Muqur": a place of one sense is in its province
                province = self.gazetteer.province_of(next(iter(keys)))
                provinces = {province.key} if province else set()
            if end <= s <= end + window or start - window <= e <= start:
                found |= provinces
            article |= provinces
        # else the provinces the article names anywhere (a report on Badghis means its Muqur)
        return frozenset(found or article)

    def _link(self, state: DocState, start: int, end: int, provinces_nearby=frozenset) -> PlaceHit | None:
        """Link the name at [start, end); `provinces_nearby()` gives the provinces named next to it,
        asked only when two places of one kind share the name."""
        form = fold(state.span_text(start, end))
        candidates = self.gazetteer.place_names.get(form, set())
        cue = None
        lower = state.lower
        after = lower[end] if end < len(lower) else ""
        before = lower[max(0, start - 3):start]
        last = lower[end - 1]
        if last in ("province", "city", "district", "town") and end - start > 1:
            cue = last  # the alias itself carries the kind: "Burka District", "Kunduz Province"
        elif after in CUE_KIND:
            cue = after  # "Kunduz province", "the Tulak and Shahrak districts"
        elif after in ("and", ",") and (shared := self._shared_kind(state, end)):
            cue = shared  # "the Tulak and Shahrak districts": the plural names both
        elif after == "provincial":
            cue = "province"  # "the Kandahar provincial council"
        elif before[-2:] == ["province", "of"] or before[-1:] == ["province"]:
            cue = "province"
        elif before[-2:] == ["city", "of"] or before[-2:] == ["town", "of"]:
            cue = "city"
        elif before[-2:] == ["district", "of"] or before[-2:] == ["the", "district"]:
            cue = "district"  # "the district of Khash Rod", "the district Hazrat-e-Sultan"
        elif before[-2:] == ["districts", "of"] and start >= 3 and state.texts[start - 3][:1].isupper():
            cue = "province"  # "the Panjwayi and Zhari districts of Kandahar": the districts' province
        elif before[-1:] == ["of"] and "district" in lower[max(0, start - 4):start - 1]:
            cue = "district"  # "the district governor of Chal", "district police chief of Dand"
        else:
            cue = self._listed_kind(lower, start)
        link = link_place(self.gazetteer, candidates, cue, provinces_nearby)
        if link is None:
            return None
        return PlaceHit(start, end, link.key, link.confidence, link.rejected)

    def _shared_kind(self, state: DocState, end: int, reach: int = 10) -> str | None:
        """The kind a plural place noun after the next name of a pair gives both ("Tulak and Shahrak
        districts"), if one stands there."""
        texts, lower = state.texts, state.lower
        i = end + 1
        while i < len(lower) and i - end <= reach and (texts[i][:1].isupper() or lower[i] in (",", "and", "or")):
            # "Kishim, Tashkan and Yaftal Sufla districts": through the rest of the list
            i += 1
        return self.set_kinds.get(lower[i]) if end + 1 < i < len(lower) and texts[i - 1][:1].isupper() else None

    def _listed_kind(self, lower: list[str], start: int) -> str | None:
        """The kind of place a list names when the name at `start` is one of its items ("in
        different provinces, including 20 in Kandahar", "cities such as Kunduz"), else None."""
        near, far = self.list_reach
        window = lower[max(0, start - far):start]
        if self.set_kinds.keys().isdisjoint(window) or self.list_opener_words.isdisjoint(window) and "of" not in window:
            return None  # (most names: two C-level tests)
        # one walk back from the name, within its sentence, to what opens its list
        for end in range(start, max(0, start - far - 1), -1):
            if lower[end - 1] in (".", ";"):
                return None
            listed = start - end <= near or "and" in lower[end:start] or "," in lower[end:start]
            if end >= 2 and lower[end - 1] == "of" and lower[end - 2] in self.set_kinds and listed:
                return self.set_kinds[lower[end - 2]]  # "in the provinces of Kandahar, Helmand and Herat"
            opener = next((o for o in self.list_openers if lower[max(0, end - len(o)):end] == o), None)
            if opener is not None:
                # beyond `near`, only a list that goes on ("12 in Kandahar and four in Herat")
                return self._set_noun_before(lower, end - len(opener), far) if listed else None
        return None

    def _set_noun_before(self, lower: list[str], before: int, far: int) -> str | None:
        """The kind of the plural place noun within `far` words before `before`, in the same sentence."""
        for i in range(before - 1, max(-1, before - far - 1), -1):
            if lower[i] in (".", ";"):
                return None
            if lower[i] in self.set_kinds:
                return self.set_kinds[lower[i]]
        return None

    def _resolve(self, start, end, anaphor, focus_province, focus_city) -> PlaceHit | None:
        if anaphor == "COUNTRY":
            country = self.gazetteer.places.get(focus_province).country if focus_province else self.only_country
            return PlaceHit(start, end, country, 0.6, anaphoric=True) if country else None
        if focus_province is None:
            return None
        if anaphor == "PROVINCE":
            return PlaceHit(start, end, focus_province, 0.7, anaphoric=True)
        if anaphor == "CAPITAL":
            capital = self.gazetteer.capital_of(focus_province)
            return PlaceHit(start, end, capital.key, 0.7, anaphoric=True) if capital else None
        if anaphor == "CITY":
            key = focus_city or (c.key if (c := self.gazetteer.capital_of(focus_province)) else None)
            return PlaceHit(start, end, key, 0.6, anaphoric=True) if key else None
        return None

    @staticmethod
    def _describes(doc: Doc, state: DocState, head: PlaceHit, hit: PlaceHit) -> bool:
        """Is `hit` inside an apposition describing `head`? ("Aybak, the capital of Samangan",
        "Mihtarlam, northeast of Kabul") - such a place is an attribute, not an argument."""
        between = range(head.end, hit.start)  # token indices; empty when the two overlap, as doc[a:b] is
        texts, lower = state.texts, state.lower
        if not between or len(between) > 16 or texts[between[0]] not in (",", "("):
            return False
        if any(texts[i] in (".", "!", "?") or "\n" in texts[i] for i in between):
            return False
        # Token objects (for is_sent_start, is_punct) only once the cheap tests on the texts pass
        if any(doc[i].is_sent_start for i in between):
            return False
        is_punct = [doc[i].is_punct for i in between]
        words = [lower[i] for i, punct in zip(between, is_punct) if not punct and lower[i] not in DESCRIPTOR_SKIPPED]
        if words[-2:] in (["capital", "of"], ["seat", "of"], ["province", "of"]):
            return True
        # a single apposition: no second comma or closing parenthesis before the place
        if any(texts[i] in (",", ")") for i in between[1:]) or "and" in words:
            return False
        first = next((i for i, punct in zip(between[1:], is_punct[1:]) if not punct), None)
        # a description relates its place by a preposition ("a town near Kabul", "northeast of Kabul");
        # "In Zabul province, the Taliban took over Qalat" is a clause, not a description
        if not words or words[-1] not in DESCRIPTOR_LINKS:
            return False
        # "Ghazni, 150 km southwest of Kabul": a distance opens a description too
        return first is not None and (lower[first] in DESCRIPTOR_OPENERS or doc[first].like_num)


@Language.factory("kg_places")
def make_place_tagger(nlp: Language, name: str):
    return PlaceTagger(nlp)
