"""Place mentions: gazetteer names and aliases, context cues, and anaphors resolved from context.

Computes first (matches and their cues), then writes PlaceHits to the document state in text order,
keeping a discourse focus (the last province and city named) to resolve "the provincial capital",
"the province" and "the city".
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from kg import gazetteer as gazetteer_module
from kg.extraction import lexicon as lexicon_module
from kg.extraction.sentences import normalised_pattern
from kg.extraction.state import PlaceHit
from kg.linking import link_place
from kg.slug import fold

# Anaphors: a head noun, the words that may stand between it and "the", what it refers to, and
# whether such a word is required ("the district centre", but not "the centre").
ANAPHORS = {
    "capital": ("CAPITAL", {"provincial", "province's"}, False),
    "province": ("PROVINCE", {"entire", "whole", "same"}, False),
    "city": ("CITY", {"entire", "whole"}, False),
    "country": ("COUNTRY", {"entire", "whole"}, False),
    "district": ("DISTRICT", {"entire", "whole", "same"}, False),
    "centre": ("DISTRICT", {"district"}, True),
    "center": ("DISTRICT", {"district"}, True),
    "headquarters": ("DISTRICT", {"district"}, True),
}
DESCRIPTOR_OPENERS = {"the", "a", "an", "capital", "in", "of", "located", "near", "seat", "which", "province", "city", "just",
                      "about", "some", "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"}
DIRECTIONS = {"northern", "southern", "eastern", "western", "central", "northeastern", "northwestern", "southeastern",
              "southwestern", "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"}


class PlaceTagger:
    def __init__(self, nlp: Language, gazetteer=None, lexicon=None):
        self.gazetteer = gazetteer or gazetteer_module.default()
        lex = lexicon or lexicon_module.default()
        countries = [p.key for p in self.gazetteer.places.values() if p.kind == "country"]
        self.only_country = countries[0] if len(countries) == 1 else None  # "the country" with one country known
        self.office_words = {w for title in lex.titles for w in title.split()}
        self.stopwords = lex.name_stopwords | lex.honorifics | {w.title() for w in lex.titles if " " not in w}
        self.names = PhraseMatcher(nlp.vocab, attr="NORM")
        self.names.add("PLACE", [normalised_pattern(nlp, form) for form in self.gazetteer.place_names])

    def __call__(self, doc: Doc) -> Doc:
        state = doc._.kg
        spans = [doc[s:e] for _, s, e in self.names(doc)]
        # Proper names only: the first letter is upper case ("Kunduz", "AIPIC"), not a common word;
        # and not the last word of a person's name ("Ahmad Zia Wardak" is a man, not Wardak province).
        # (in a Title Case headline every word is capitalised, so the surname test cannot apply there)
        headline = self._title_case_tokens(state, doc)
        spans = [s for s in spans if s.text[:1].isupper() and (s.start in headline or not self._surname(doc, s.start))]
        named = filter_spans(spans)
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
            if any(s.start < end and start < s.end for s in named):
                continue
            anaphors.append((start, end, label))
        # "the district centre" holds "the district": keep the longer
        anaphors = [a for a in set(anaphors) if not any(b != a and b[0] <= a[0] and a[1] <= b[1] for b in anaphors)]
        items = [(s.start, s.end, None) for s in named] + sorted(anaphors)
        items.sort()
        focus_province = focus_city = focus_district = None
        previous: PlaceHit | None = None
        for start, end, anaphor in items:
            if anaphor is None:
                hit = self._link(doc, start, end)
            elif anaphor == "DISTRICT":
                # the district named last, if it lies in the province the passage is about
                same = focus_district and self.gazetteer.province_of(focus_district).key == focus_province
                hit = PlaceHit(start, end, focus_district, 0.6, anaphoric=True) if same else None
            else:
                hit = self._resolve(start, end, anaphor, focus_province, focus_city)
            if hit is None:
                continue
            if previous is not None and anaphor is None and self._describes(doc, previous, hit):
                hit.descriptor, hit.head = True, previous.start
            state.places.append(hit)
            previous = hit
            if hit.descriptor:
                continue  # "Ghazni, 150 km southwest of Kabul": the passage stays in Ghazni
            place = self.gazetteer.places[hit.key]
            province = self.gazetteer.province_of(place.key)
            if place.kind == "city":
                focus_city = place.key
            elif place.kind == "district":
                focus_district = place.key
            if province is not None:
                focus_province = province.key
        return doc

    @staticmethod
    def _title_case_tokens(state, doc: Doc) -> set[int]:
        """Tokens of sentences written in Title Case ("Government Forces Fled Mazar-i-Sharif"):
        every word of four letters or more capitalised, and at least three of them."""
        found: set[int] = set()
        for sent in state.sentences(doc):
            words = [w for w in state.texts[sent.start:sent.end] if len(w) >= 4 and w.isalpha()]
            if len(words) >= 3 and all(w[0].isupper() for w in words):
                found.update(range(sent.start, sent.end))
        return found

    def _surname(self, doc: Doc, start: int) -> bool:
        """Two capitalised words that are no place or function word right before: a person's name."""
        if start < 2:
            return False
        before = doc[start - 2:start]
        return all(
            t.is_alpha and t.text[:1].isupper() and not t.is_sent_start and t.text not in self.stopwords
            and fold(t.text) not in self.gazetteer.place_names and fold(t.text) not in self.gazetteer.actor_names
            for t in before
        )

    def _link(self, doc: Doc, start: int, end: int) -> PlaceHit | None:
        form = fold(doc[start:end].text)
        candidates = self.gazetteer.place_names.get(form, set())
        cue = None
        lower = doc._.kg.lower
        after = lower[end] if end < len(lower) else ""
        before = lower[max(0, start - 3):start]
        last = lower[end - 1]
        if last in ("province", "city", "district", "town") and end - start > 1:
            cue = last  # the alias itself carries the kind: "Burka District", "Kunduz Province"
        elif after in ("province", "provinces", "city", "district", "town"):
            cue = after
        elif before[-2:] == ["province", "of"] or before[-1:] == ["province"]:
            cue = "province"
        elif before[-2:] == ["city", "of"] or before[-2:] == ["town", "of"]:
            cue = "city"
        elif before[-2:] == ["district", "of"] or before[-2:] == ["the", "district"]:
            cue = "district"  # "the district of Khash Rod", "the district Hazrat-e-Sultan"
        link = link_place(self.gazetteer, candidates, cue)
        if link is None:
            return None
        return PlaceHit(start, end, link.key, link.confidence, link.rejected)

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
    def _describes(doc: Doc, head: PlaceHit, hit: PlaceHit) -> bool:
        """Is `hit` inside an apposition describing `head`? ("Aybak, the capital of Samangan",
        "Mihtarlam, northeast of Kabul") - such a place is an attribute, not an argument."""
        between = doc[head.end:hit.start]
        if not between or len(between) > 16 or between[0].text not in (",", "("):
            return False
        if any(t.is_sent_start or t.text in (".", "!", "?") or "\n" in t.text for t in between):
            return False
        words = [t.lower_ for t in between if not t.is_punct and t.lower_ not in DIRECTIONS | {"the"}]
        if words[-2:] in (["capital", "of"], ["seat", "of"], ["province", "of"]):
            return True
        # a single apposition: no second comma or closing parenthesis before the place
        if any(t.text in (",", ")") for t in between[1:]) or "and" in words:
            return False
        first = next((t for t in between[1:] if not t.is_punct), None)
        # "Ghazni, 150 km southwest of Kabul": a distance opens a description too
        return first is not None and (first.lower_ in DESCRIPTOR_OPENERS or first.like_num)

@Language.factory("kg_places")
def make_place_tagger(nlp: Language, name: str):
    return PlaceTagger(nlp)
