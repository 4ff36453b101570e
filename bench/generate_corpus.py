"""A synthetic news corpus for scale benchmarks, with exact gold annotations.

    python bench/generate_corpus.py OUT_DIR --articles N [--seed S] [--format jsonl|txt] [--gold]
                                    [--per-file K] [--score]

Writes N news articles about an armed conflict, built from the project's own data: places from the
gazetteer (kg/data/gazetteer), armed groups and forces from its actors and the descriptors of
kg/data/lexicon/actors.toml, and the event words from the trigger lexicon (kg/data/lexicon/events.toml,
denial words from language.toml). People, offices, sources and outlets are invented from
bench/corpus_names.toml. The sentence frames are written as a wire reporter writes, not as the
extractor reads: active and passive voice, attributions before and after, "after" clauses, claims
and hearsay, dates as weekdays, explicit dates and "a day earlier", casualty counts, quotes, filler
with no event, hypotheticals, denials and headlines that restate the lede.

Output (streamed: memory does not grow with N):
- jsonl (default): OUT_DIR/articles-00000.jsonl, ... at most --per-file articles each (default 1000),
  one JSON object a line (id, published, outlet, title, text, language, note). With --gold, also
  OUT_DIR/gold/ID.toml per article (its `article` key names ID.txt, the file --format txt would write;
  a comment names the shard and line; `--score` reads the shards).
- txt: OUT_DIR/articles/ID.txt + ID.json sidecars and, with --gold, OUT_DIR/ID.toml beside them,
  the layout of tests/gold/own: `kg evaluate OUT_DIR` scores it.

Gold follows tests/gold/README.md. Same seed, same corpus; article i does not depend on N.
`--score` runs the extraction pipeline on what was written and prints kg.evaluate's table.

From Python: `generate(n, seed)` yields (article record, gold record) pairs.

Measured (2 cores, shared): about 4,000 articles/s as jsonl, 2,500/s with --gold, and 700-2,000/s
as txt with gold (three small files an article: the file system sets the pace); memory stays at
~25 MB for any N. `python bench/generate_corpus.py /tmp/gen --articles 200 --seed 1 --format txt
--gold` then `kg evaluate /tmp/gen`: events F1 0.865 (P 0.873, R 0.857), persons with roles 0.842,
places 0.986. Read it as an upper bound: the event words are the lexicon's own, so only the
sentence frames, places, dates and attributions are new to the extractor.

Gold conventions worth knowing (all from tests/gold/README.md): a person killed by gunmen is a
`Killing` ("killed", "shot dead") unless the text says "assassinated"; victims and surrendering
groups named by an office ("12 policemen") are participants and so unnamed persons; "the group's
fighters" and "Taliban fighters" are the Taliban, not a group of persons; a province named bare
where a district or office belongs to it ("the district of Adraskan in Herat", "Bamyan's Waras
district", "Kunduz police chief") is the province.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import random
import re
import sys
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kg import gazetteer as gazetteer_module  # noqa: E402
from kg.extraction import lexicon as lexicon_module  # noqa: E402
from kg.slug import fold  # noqa: E402

NAMES_FILE = Path(__file__).resolve().with_name("corpus_names.toml")
FIRST_DAY = dt.date(2021, 5, 1)  # publication dates fall in the offensive's season
LAST_DAY = dt.date(2021, 9, 15)

# ---------------------------------------------------------------------------------------------
# English the lexicon does not record. events.toml lists surface forms of trigger phrases, not their
# part of speech or what follows them; these closed-class facts let the generator put the lexicon's
# phrases into sentences. A lexicon phrase they do not mention is still used wherever its form
# (past tense, participle, noun) can be read from English morphology.

IRREGULAR_VERBS = {  # base: (past, past participle)
    "take": ("took", "taken"), "overrun": ("overran", "overrun"), "overthrow": ("overthrew", "overthrown"),
    "fall": ("fell", "fallen"), "give": ("gave", "given"), "lay": ("laid", "laid"), "fight": ("fought", "fought"),
    "shoot": ("shot", "shot"), "leave": ("left", "left"), "flee": ("fled", "fled"), "come": ("came", "come"),
    "withdraw": ("withdrew", "withdrawn"), "strike": ("struck", "struck"), "hit": ("hit", "hit"), "cut": ("cut", "cut"),
    "say": ("said", "said"),
}
IRREGULAR_PAST = {past for past, _ in IRREGULAR_VERBS.values()}
IRREGULAR_PARTICIPLE = {participle for _, participle in IRREGULAR_VERBS.values()}
PARTICIPLE_OF = {past: participle for past, participle in IRREGULAR_VERBS.values()}
# How a past-tense phrase takes its complement, where it is not a direct object ("clashed with the
# Taliban", "withdrew from the city"; None: nothing follows). Speech acts: "urged X to ...", "vowed to".
COMPLEMENTS = {
    "clashed": "with", "exchanged fire": "with", "engaged in combat": "with", "came under attack": None,
    "retreated": "from", "withdrew": "from", "withdrawn": "from", "pulled out": "from", "pulled back": "from",
    "died": None, "defected": None, "switched sides": None,
    "urged": "object+to", "called on": "object+to", "vowed": "to", "pledged": "to", "appealed": "for",
    "expressed shock": "over", "expressed concern": "over", "expressed alarm": "over",
    "raised alarm": "over", "raised the alarm": "over",
}
MASS_NOUNS = {"resistance"}  # nouns that take no article ("fighting" and other -ing nouns need none either)
PREPOSITIONS = {"of", "to", "on", "against", "over", "in", "into", "with", "from", "at", "for", "under"}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
AP_MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
SMALL_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def is_past(word: str) -> bool:
    return word in IRREGULAR_PAST or (word.endswith("ed") and len(word) > 3)


def is_participle(word: str) -> bool:
    return word in IRREGULAR_PARTICIPLE or (word.endswith("ed") and len(word) > 3)


def participle(phrase: str) -> str:
    """'took control of' -> 'taken control of'; 'fled their homes' -> 'fled their homes'."""
    head, _, rest = phrase.partition(" ")
    return " ".join(filter(None, (PARTICIPLE_OF.get(head, head), rest)))


def article(noun: str) -> str:
    """'air strike' -> 'an air strike'; 'fighting', 'clashes' -> as they are (mass and plural nouns)."""
    last = noun.split()[-1]
    if last.endswith(("s", "ing")) or noun in MASS_NOUNS:
        return noun
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def tidy(sentence: str) -> str:
    """Drop an apposition's closing comma where the sentence or another comma follows it: phrases
    such as "Taloqan, the capital of Takhar province," always carry it."""
    return re.sub(r",(?=[.,])", "", sentence)


# ---------------------------------------------------------------------------------------------
# The lexicon's phrases, sorted by grammatical form.

@dataclass
class Forms:
    """One trigger's phrases by form: past ('seized'), participle ('taken over'), base ('seize'),
    third person ('falls to'), nouns ('heavy fighting'), subject + verb ('warplanes struck'), phrases
    led by an auxiliary ('was handed over to') or a preposition ('in a statement', 'under siege')."""
    past: list[str] = field(default_factory=list)
    participle: list[str] = field(default_factory=list)
    base: list[str] = field(default_factory=list)
    third: list[str] = field(default_factory=list)
    nouns: list[str] = field(default_factory=list)
    subject_verb: list[str] = field(default_factory=list)
    auxiliary: list[str] = field(default_factory=list)
    prepositional: list[str] = field(default_factory=list)


AUXILIARIES = {"was", "were", "has", "had", "have", "is", "are"}


def classify(phrases: tuple[str, ...], all_phrases: set[str]) -> Forms:
    """Sort one trigger's phrases by form. A word is a base verb when its -ed form is a trigger word
    of the same trigger (or it is an irregular verb); a single -ing word is a noun only when the
    lexicon also has it after a modifier ("heavy fighting" -> "fighting", not "battling")."""
    firsts = {p.split()[0] for p in phrases}
    is_base = lambda w: w in IRREGULAR_VERBS or w + "d" in firsts or w + "ed" in firsts  # noqa: E731
    is_third = lambda w: w.endswith("s") and (is_base(w[:-1]) or (w.endswith("es") and is_base(w[:-2])))  # noqa: E731
    is_verb = lambda w: is_past(w) or is_participle(w) or is_base(w) or is_third(w)  # noqa: E731
    modified = {p.split()[-1] for p in all_phrases if len(p.split()) > 1 and not is_verb(p.split()[0])
                and not any(is_past(w) for w in p.split())}
    forms = Forms()
    for phrase in phrases:
        words = phrase.split()
        head = words[0]
        if head in AUXILIARIES:
            forms.auxiliary.append(phrase)
            continue
        if head in PREPOSITIONS:
            forms.prepositional.append(phrase)
            continue
        if is_past(head):
            forms.past.append(phrase)
        if is_participle(head):
            forms.participle.append(phrase)
        if is_base(head) and not is_participle(head):
            forms.base.append(phrase)
        if is_third(head):
            forms.third.append(phrase)
        if len(words) > 1 and not is_verb(head) and any(is_past(w) for w in words[1:]):
            forms.subject_verb.append(phrase)
        elif len(words) > 1:  # "heavy clashes", "air strike": a modifier, then a noun (that may also be a verb)
            if not is_verb(head) and words[-1] not in PREPOSITIONS:
                forms.nouns.append(phrase)
        elif not is_past(head) and (head in modified or not (is_verb(head) or head.endswith("ing"))):
            forms.nouns.append(phrase)
    return forms


# ---------------------------------------------------------------------------------------------
# The world the articles are about: read once from the data files.

@dataclass(frozen=True)
class Place:
    key: str
    kind: str
    name: str
    province: str | None  # province key
    is_capital: bool
    population: int | None
    direction: str | None  # "northern", "south-eastern" ... from the coordinates
    lat: float | None
    lon: float | None
    surfaces: tuple[str, ...]  # names usable in text: the canonical one first, then clean aliases
    bare: bool  # the name alone can only mean this place


@dataclass(frozen=True)
class Office:
    role: str
    level: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    former: tuple[str, ...]
    female: bool


@dataclass
class World:
    places: dict[str, Place]
    provinces: list[Place]
    cities_in: dict[str, list[Place]]  # province key -> its cities (capital first)
    districts_in: dict[str, list[Place]]
    country: Place
    capital: Place  # the national capital: a common dateline
    forms: dict[str, list[Forms]]  # event type -> one Forms per trigger
    triggers: dict[str, list]  # event type -> its triggers (parallel to forms)
    taliban: str
    taliban_plural: list[str]  # "insurgents", "militants" ... (descriptors of the lexicon)
    government_forces: list[str]  # "government forces", "security forces" ...
    foreign_forces: list[tuple[str, str]]  # (text, gazetteer name): "US forces" -> United States Armed Forces
    islamic_state: tuple[str, str] | None  # (text, gazetteer name)
    institutions: list[tuple[str, str]]  # speakers of statements: (text, gazetteer name)
    denial_verbs: list[str]
    male: list[str]
    female: list[str]
    family: list[str]
    honorifics: list[str]
    offices: list[Office]
    sources: list[tuple[str, str]]  # (label, role)
    plural_sources: list[str]
    institution_sources: list[str]
    groups: list[tuple[str, str | None]]  # (noun, role)
    outlets: list[tuple[str, str]]

    def phrases(self, event_type: str, form: str, where=lambda trigger: True) -> list[str]:
        """The lexicon's phrases of `event_type` in one form, from the triggers `where` accepts."""
        return [p for trigger, forms in zip(self.triggers[event_type], self.forms[event_type]) if where(trigger)
                for p in getattr(forms, form)]


def _direction(lat: float | None, lon: float | None, centre: tuple[float, float]) -> str | None:
    """Where a place lies in its country, as a reporter says it: 'northern', 'south-eastern'."""
    if lat is None or lon is None:
        return None
    dy, dx = lat - centre[0], (lon - centre[1]) * math.cos(math.radians(lat))
    if math.hypot(dx, dy) < 1.5:
        return "central"
    names = ("eastern", "north-eastern", "northern", "north-western", "western", "south-western", "southern", "south-eastern")
    return names[round(math.degrees(math.atan2(dy, dx)) / 45) % 8]


CLEAN_NAME = re.compile(r"^[A-Z][a-z]+(?:[ -][A-Za-z][a-z]+)*$")


def distance(a: Place, b: Place) -> tuple[int, str]:
    """How far `b` lies from `a`, in kilometres rounded to ten, and in which direction ('north-east')."""
    dy = (b.lat - a.lat) * 111.2
    dx = (b.lon - a.lon) * 111.2 * math.cos(math.radians((a.lat + b.lat) / 2))
    names = ("east", "north-east", "north", "north-west", "west", "south-west", "south", "south-east")
    return max(10, int(round(math.hypot(dx, dy), -1))), names[round(math.degrees(math.atan2(dy, dx)) / 45) % 8]


@cache
def nearest_capital(city_key: str) -> Place:
    """The provincial capital nearest to a city (not itself): for the geography of filler sentences."""
    w = world()
    city = w.places[city_key]
    capitals = [w.cities_in[p.key][0] for p in w.provinces]
    return min((c for c in capitals if c.key != city.key and c.lat is not None),
               key=lambda c: distance(c, city)[0] if city.lat is not None else 0)


def _surfaces(place, gaz) -> tuple[str, ...]:
    """The place's name and the aliases a reporter could use: plain Latin spelling, no 'Province', and
    naming no other place of the same kind (the text always says the kind, or uses a bare name only
    where it is unique)."""
    usable = [place.name]
    for alias in place.aliases:
        keys = gaz.place_names.get(fold(alias), set())
        if (CLEAN_NAME.match(alias) and alias not in usable and place.key in keys
                and not any(k != place.key and (k.split("/")[0] == place.kind or place.kind == "district") for k in keys)
                and not re.search(r"\b(Province|District|City|Wilayat|Airport)\b", alias)):
            usable.append(alias)
    return tuple(usable)


def _places(gaz, populations: dict[str, int]) -> dict[str, Place]:
    country = next(p for p in gaz.places.values() if p.kind == "country")
    centre = (country.lat, country.lon)
    places = {}
    for p in gaz.places.values():
        if p.kind == "facility" or not CLEAN_NAME.match(p.name):
            continue  # names with brackets or odd spellings are not what a reporter writes
        places[p.key] = Place(p.key, p.kind, p.name, p.province, p.is_capital, populations.get(p.key),
                              _direction(p.lat, p.lon, centre), p.lat, p.lon, _surfaces(p, gaz),
                              gaz.place_names.get(fold(p.name)) == {p.key})
    return places


def _populations() -> dict[str, int]:
    """Populations from places.csv (the gazetteer loader does not keep them)."""
    populations = {}
    with (gazetteer_module.data_dir() / "places.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row.get("population", "").strip().isdigit():
                key = gazetteer_module.place_key(row["kind"], row["name"], row["province"] or None)
                populations[key] = int(row["population"])
    return populations


def _actor_text(gaz, key: str, prefer: tuple[str, ...] = ()) -> tuple[str, str] | None:
    actor = gaz.actors.get(key)
    if actor is None:
        return None
    text = next((a for a in prefer if a in actor.aliases), actor.name)
    return text, actor.name


def _clean_names(names: list[str], gaz) -> list[str]:
    """Drop names that contain a word of a gazetteer place or actor name: they would be read as one."""
    taken = {w for surface in list(gaz.place_names) + list(gaz.actor_names) for w in surface.split()}
    return [n for n in names if not any(fold(w) in taken for w in n.split())]


@cache
def world() -> World:
    gaz = gazetteer_module.default()
    lex = lexicon_module.default()
    with NAMES_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    places = _places(gaz, _populations())
    provinces = sorted((p for p in places.values() if p.kind == "province"), key=lambda p: p.key)
    cities_in, districts_in = {}, {}
    for p in sorted(places.values(), key=lambda p: (not p.is_capital, p.key)):
        if p.kind == "city" and p.province:
            cities_in.setdefault(p.province, []).append(p)
        # a district named like a city or province is told by that name only with care; leave it out
        if p.kind == "district" and p.province and len(gaz.place_names.get(fold(p.name), ())) == 1:
            districts_in.setdefault(p.province, []).append(p)
    provinces = [p for p in provinces if p.key in cities_in and cities_in[p.key][0].is_capital and p.key in districts_in]
    all_phrases = {p.lower() for t in lex.triggers for p in t.phrases}
    forms: dict[str, list[Forms]] = {}
    triggers: dict[str, list] = {}
    for trigger in lex.triggers:
        triggers.setdefault(trigger.type, []).append(trigger)
        forms.setdefault(trigger.type, []).append(classify(tuple(p for p in trigger.phrases), all_phrases))
    taliban_key = lex.armed_group_default
    refers_to = lex.descriptor_refers_to
    people = data["people"]
    return World(
        places=places,
        provinces=provinces,
        cities_in=cities_in,
        districts_in=districts_in,
        country=next(p for p in places.values() if p.kind == "country"),
        capital=places.get(gazetteer_module.place_key("city", "Kabul", None)) or cities_in[provinces[0].key][0],
        forms=forms,
        triggers=triggers,
        taliban=gaz.actors[taliban_key].name,
        taliban_plural=[d for d in lex.armed_group_descriptors if d.endswith("s") and "Taliban" not in d],
        government_forces=[d for d in refers_to if d.endswith(("forces", "troops", "soldiers"))],
        foreign_forces=[t for t in (_actor_text(gaz, "actor/united-states-armed-forces", ("US forces", "American troops")),) if t],
        islamic_state=_actor_text(gaz, "actor/islamic-state-khorasan-province", ("ISIS-K",)),
        institutions=[t for t in (_actor_text(gaz, "actor/unama", ("UN mission in Afghanistan",)),
                                  _actor_text(gaz, "actor/unicef")) if t],
        denial_verbs=[w for w in sorted(lex.denial_words) if is_past(w)],
        male=_clean_names(people["male"], gaz),
        female=_clean_names(people["female"], gaz),
        family=_clean_names(people["family"], gaz),
        honorifics=[h for h in people["honorifics"] if h in lex.honorifics],
        offices=[Office(o["role"], o["level"], tuple(o.get("before", ())), tuple(o.get("after", ())),
                        tuple(o.get("former", ())), bool(o.get("female"))) for o in data["office"]],
        sources=[(s["label"], s["role"]) for s in data["source"]],
        plural_sources=list(data["sources"]["plural"]),
        institution_sources=list(data["sources"]["institutions"]),
        groups=[(g["noun"], g.get("role")) for g in data["group"]],
        outlets=[(o["name"], o["tag"]) for o in data["outlet"]],
    )


# ---------------------------------------------------------------------------------------------
# Phrases that are not trigger words: sentence furniture a reporter uses. (Event words come from the
# lexicon; these carry no event of their own.)

QUOTES = (
    "The situation in the city is very bad. People are afraid to go out",
    "We asked for reinforcements many times, but nobody listened to us",
    "Shops are closed and the streets are empty",
    "Nobody knows what will happen tomorrow",
    "The enemy is spreading rumours. Our forces are in their positions",
    "Most of the people who could afford it have already gone to the capital",
    "There is no electricity and the hospital is running out of medicine",
    "We are waiting for orders from the capital",
)
# What each side says, by how the speech act takes it (see COMPLEMENTS: "" an object, "object+to"
# "urged X to ...", "to" a vow, "over" a concern, "for" an appeal, "that" a released statement).
SAYINGS = {
    "taliban": {
        "": ("the violence against civilians", "the destruction of public property"),
        "object+to": ("government forces to {surrender}", "the remaining defenders of {city} to {surrender}",
                      "government employees to return to work"),
        "to": ("{capture} {city}", "protect the lives and property of residents"),
        "that": ("its fighters would not harm civilians or government employees", "traders and residents had nothing to fear",
                 "the group remained committed to the talks in Doha"),
    },
    "government": {
        "": ("the targeting of public servants", "the violence against civilians"),
        "object+to": ("residents to stay in their homes", "elders to help keep the peace in {city}"),
        "to": ("defend {city}", "rebuild the schools of the province"),
        "over": ("the safety of civilians",),
        "for": ("calm", "reinforcements"),
        "that": ("reinforcements were on their way", "security forces were in control of the situation"),
    },
    "international": {
        "": ("the violence against civilians", "the targeting of aid workers"),
        "object+to": ("all parties to protect civilians", "both sides to return to the negotiating table",
                      "the warring sides to respect international humanitarian law"),
        "to": ("keep delivering aid", "stay and deliver aid"),
        "over": ("the rising number of civilian casualties", "the safety of children", "reports of abuses against civilians"),
        "for": ("an immediate ceasefire", "humanitarian access", "restraint"),
        "that": ("aid deliveries had been disrupted", "more than half of the country's children needed assistance"),
    },
}
ATTACK_TARGETS = ("a police checkpoint", "an army outpost", "a security post", "a police station", "an army convoy")
STRIKE_TARGETS = ("Taliban positions", "Taliban hideouts", "a Taliban gathering", "insurgent positions")
BASES = ("an army base outside the city", "the airport", "the army base near the airport", "a nearby military base")
DISPLACED = ("families", "people", "residents", "civilians")
APPROXIMATORS = ("", "", "about ", "at least ", "more than ", "nearly ", "some ")
SPEECH = ("said", "told reporters", "said by telephone", "told", "said")  # "told" is followed by the outlet


# ---------------------------------------------------------------------------------------------
# One article in the making: the text as paragraphs of sentences, and its gold.

@dataclass
class When:
    text: str  # "on Sunday", "a day earlier", "" (not said)
    date: dt.date | None
    day: bool = True  # a date to the day (not "since June")


@dataclass
class Person:
    name: str | None
    label: str | None
    role: str
    place: str | None
    female: bool = False

    @property
    def short(self) -> str:
        return self.name.split()[-1] if self.name else self.label

    @property
    def pronoun(self) -> str:
        return "she" if self.female else "he"


class Writer:
    """Writes one article: each method adds sentences and the gold records they state."""

    def __init__(self, w: World, rng: random.Random, published: dt.date, outlet: tuple[str, str]):
        self.w, self.rng, self.published, self.outlet = w, rng, published, outlet
        self.places: dict[str, None] = {}  # gold place keys, in order of mention
        self.events: list[dict] = []
        self.denied: list[dict] = []
        self.persons: list[dict] = []
        self.told: set[tuple[str, str | None]] = set()  # (type, place) of events and denials told
        self.names_used: set[str] = set()
        self.last_date: dt.date | None = None  # the last day-precise date the text gave
        self.group_named = False
        self.last_speaker: Person | None = None  # who the last sentence quoted, for "he said"
        self.violence_told = False
        self.seats: dict[tuple[str, str | None], Person] = {}  # (role, jurisdiction) -> who holds it
        self.focus: Place | None = None  # the province the passage is about (sources hold offices there)

    # --- choices ---------------------------------------------------------------------------------
    def pick(self, options):
        return options[self.rng.randrange(len(options))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    # --- numbers ---------------------------------------------------------------------------------
    def count(self, low: int, high: int) -> tuple[str, int]:
        """A count as a reporter writes it ('at least 12', 'four', '1,200') and its value."""
        n = self.rng.randint(low, high)
        if n >= 100:
            n = round(n, -1 if n < 1000 else -2)
        if n < 10:  # "four", "at least 4"; never "about 4"
            return ("at least " if self.chance(0.3) else "") + (SMALL_NUMBERS[n] if self.chance(0.6) else str(n)), n
        return self.pick(APPROXIMATORS) + f"{n:,}", n

    # --- dates -----------------------------------------------------------------------------------
    def when(self, *, anchored: bool = True, undated: float = 0.2) -> When:
        """A time for an event: a weekday, 'yesterday', an explicit date, 'a day earlier' (from the last
        date the text gave), or nothing."""
        r = self.rng.random()
        if r < undated:
            return When(self.pick(("", "", "", "recently", "earlier this week", "in recent days")), None)
        if anchored and self.last_date and r < undated + 0.12:
            step, phrase = self.pick(((-1, "a day earlier"), (-1, "the day before"), (-1, "the previous day"),
                                      (-2, "two days earlier"), (1, "a day later"), (1, "the next day")))
            day = self.last_date + dt.timedelta(days=step)
            if day <= self.published:
                return When(phrase, day)
        if r < undated + 0.24:
            back = self.rng.randint(0, 1)
            phrase = self.pick(("today", "earlier today", "this morning") if back == 0 else ("yesterday", "last night"))
            return When(phrase, self.published - dt.timedelta(days=back))
        if r < undated + 0.40:
            day = self.published - dt.timedelta(days=self.rng.randint(0, 20))
            month, weekday = MONTHS[day.month - 1], WEEKDAYS[day.weekday()]
            text = self.pick((f"on {month} {day.day}", f"on {day.day} {month}", f"on {AP_MONTHS[day.month - 1]} {day.day}",
                              f"on {weekday}, {month} {day.day}"))
            return When(text, day)
        day = self.published - dt.timedelta(days=self.rng.randint(0, 6))
        name = WEEKDAYS[day.weekday()]
        text = self.pick((f"on {name}", f"on {name}", f"on {name} morning", f"on {name} night", f"late on {name}",
                          f"early on {name}", f"on {name} evening", name))
        return When(text, day)

    def since(self) -> When:
        """'since Wednesday' (that day) or 'since June' / 'since early July' (the month's first day)."""
        if self.chance(0.6):
            day = self.published - dt.timedelta(days=self.rng.randint(1, 6))
            return When(f"since {WEEKDAYS[day.weekday()]}", day)
        month_start = (self.published.replace(day=1) - dt.timedelta(days=self.rng.randint(0, 70))).replace(day=1)
        return When(self.pick(("since ", "since early ", "since mid-")) + MONTHS[month_start.month - 1], month_start, day=False)

    def note_time(self, when: When) -> None:
        """Called once the time is in the text, in text order: later 'a day earlier' counts from it."""
        if when.date and when.day:
            self.last_date = when.date

    # --- places ----------------------------------------------------------------------------------
    def mention(self, *places: Place) -> None:
        for p in places:
            self.places.setdefault(p.key)

    def surface(self, place: Place) -> str:
        return place.surfaces[0] if len(place.surfaces) == 1 or self.chance(0.9) else self.pick(place.surfaces[1:])

    def province_name(self, key: str) -> str:
        province = self.w.places[key]
        self.mention(province)
        return self.surface(province)

    def place(self, place: Place, *, short: bool = False) -> str:
        """The place as a noun phrase that says its kind ('Taloqan, the capital of Takhar province,',
        'the Nad Ali district of Helmand', 'Kunduz province'); a bare name only where it is unique.
        An apposition ends with its comma (see `tidy`)."""
        self.mention(place)
        name = self.surface(place)
        bare = place.bare and name == place.name
        direction = place.direction if place.direction != "central" else None
        if place.kind == "country":
            return name
        if place.kind == "province":
            forms = ["{name} province", "the province of {name}", "{name} province"]
            forms += ["{direction} {name} province", "the {direction} province of {name}"] if direction else []
            forms += ["{name}"] if bare else []
        elif place.kind == "district":
            forms = ["{name} district"] if short else [
                "{name} district", "the {name} district of {province} province", "{province}'s {name} district",
                "{name} district in {province} province", "the district of {name} in {province}"]
        elif short:
            forms = ["{name}"] if bare else ["the city of {name}", "{name} city"]
        elif place.is_capital:
            forms = ["{name}, the capital of {province} province,", "the city of {name}", "{name} city",
                     "{name}, the provincial capital of {province},"]
            if direction:
                forms += ["the {direction} city of {name}", "{name}, the capital of {direction} {province} province,"]
            forms += ["{name}", "{name}"] if bare else []
        else:
            forms = ["the town of {name}", "the town of {name} in {province} province", "{name}, a town in {province} province,"]
        form = self.pick(forms)
        province = self.province_name(place.province) if "{province}" in form else None
        return form.format(name=name, province=province, direction=direction)

    def anaphor(self, place: Place) -> str:
        """'the city', 'the district', 'the province': for a place the sentence has just named."""
        return {"city": "the city", "district": "the district", "province": "the province"}.get(place.kind, place.name)

    # --- actors ----------------------------------------------------------------------------------
    def taliban(self, *, subject: bool = True) -> str:
        """The Taliban on first mention; later also 'the insurgents' and the lexicon's other descriptors."""
        if self.group_named and self.chance(0.4):
            return "the " + self.pick(self.w.taliban_plural)
        self.group_named = True
        return self.pick(("the Taliban", "the Taliban", "Taliban fighters") if subject else ("the Taliban",))

    def government(self) -> str:
        return self.pick(self.w.government_forces)

    def new_name(self, female: bool = False) -> str:
        for _ in range(20):
            given = self.pick(self.w.female if female else self.w.male)
            name = f"{given} {self.pick(self.w.family)}"
            if self.chance(0.08) and not female:
                name = f"{self.pick(self.w.honorifics)} {name}"
            if name.split()[-1] not in self.names_used:
                self.names_used.add(name.split()[-1])
                return name
        return name

    def person(self, levels: tuple[str, ...], place: Place | None = None, *, former: bool = False) -> tuple[Person, str]:
        """A named official with an office of one of `levels`, introduced as reporters introduce people
        ('Governor NAME', 'NAME, a member of the Takhar provincial council,'); returns the person and
        the phrase (an apposition ends with its comma; `tidy` drops it at a sentence's end). The
        office belongs to the province (or district) of `place`. An office already held in this
        article is the same person, named again by the family name."""
        office = self.pick([o for o in self.w.offices if o.level in levels and (not former or o.former)])
        district = place if place and place.kind == "district" else None
        province_key = place.key if place and place.kind == "province" else place.province if place else None
        if office.level == "district" and district is None:
            district = self.pick(self.w.districts_in[province_key or self.pick(self.w.provinces).key])
            province_key = district.province
        province_key = province_key or self.pick(self.w.provinces).key
        role = ("former " if former else "") + office.role
        seat = (role, district.key if office.level == "district" else province_key if office.level == "province" else None)
        if seat in self.seats:
            who = self.seats[seat]
            return who, who.short
        before = not former and office.before and self.chance(len(office.before) / (len(office.before) + len(office.after)))
        form = self.pick(office.former if former else office.before if before else office.after)
        jurisdiction = None
        if "{province}" in form:
            jurisdiction = province_key
            form = form.replace("{province}", self.province_name(province_key))
        if "{district}" in form:
            self.mention(district)
            jurisdiction = district.key
            form = form.replace("{district}", self.surface(district))
        female = office.female and self.chance(0.3)
        name = self.new_name(female)
        phrase = f"{form} {name}" if before else self.pick((f"{name}, {form},", f"{form}, {name},"))
        who = Person(name, None, role, jurisdiction, female)
        self.seats[seat] = who
        self.add_person(who)
        return who, phrase

    def unnamed_source(self) -> Person:
        label, role = self.pick(self.w.sources)
        return Person(None, label, role, None)

    def add_person(self, who: Person) -> None:
        record = {"name": who.name} if who.name else {"label": who.label}
        record["roles"] = [who.role]
        if who.place:
            record["place"] = who.place
        if record not in self.persons:
            self.persons.append(record)

    def group(self, low: int = 5, high: int = 300, *, roles_only: bool = False) -> tuple[str, int, str | None]:
        """'about 150 soldiers': the phrase, its count, the office its noun names (if any)."""
        options = [g for g in self.w.groups if g[1] or not roles_only]
        noun, role = self.pick(options)
        text, n = self.count(low, high)
        return f"{text} {noun}", n, role

    # --- attribution -----------------------------------------------------------------------------
    def source(self) -> tuple[str, str | None, str, Person | None]:
        """Who says so: (phrase, according_to, kind, person). Plural sources ('officials') give no
        according_to."""
        r = self.rng.random()
        if r < 0.3:
            return self.pick(self.w.plural_sources), None, "plural", None
        if r < 0.5:
            who = self.unnamed_source()
            self.add_person(who)
            return who.label, who.label, "person", who
        if r < 0.6:
            text = self.pick(self.w.institution_sources)
            return text, text.removeprefix("the "), "institution", None
        who, phrase = self.person(("province", "district", "ministry", "civil"), self.focus)
        return phrase, who.name, "person", who

    def attributed(self, clause: str, event_records: list[dict], *, allow_prefix: bool = True) -> str:
        """The clause as a sentence, perhaps with who said it; sets `according_to` on its events."""
        r = self.rng.random()
        self.last_speaker = None
        if r < 0.3:
            return cap(clause) + "."
        phrase, according_to, kind, self.last_speaker = self.source()
        for record in event_records:
            if according_to and record.get("modality") == "asserted":
                record["according_to"] = according_to
        said = self.pick(SPEECH)
        if said == "told":
            said = f"told {self.outlet[1]}"
        if self.chance(0.15):  # the date of the report is not the date of the event
            said += f" on {WEEKDAYS[self.published.weekday()]}"
            self.last_date = None  # "a day earlier" after this would be ambiguous even to a reader
        if r < 0.55:
            return f"{cap(clause)}, {phrase} {said}."
        if r < 0.7 and kind == "person":
            return f"{cap(clause)}, said {phrase}."
        if r < 0.85 or not allow_prefix:
            return f"{cap(clause)}, according to {phrase}."
        that = "that " if clause.startswith("in ") or self.chance(0.5) else ""  # "told reporters in X" misleads
        return f"{cap(phrase)} {said} {that}{clause}."

    # --- gold records ----------------------------------------------------------------------------
    def event(self, event_type: str, place: Place | None, when: When | None, *, participants=(),
              modality: str = "asserted", according_to: str | None = None, **counts) -> dict:
        record = {"type": event_type}
        if place is not None:
            record["place"] = place.key
        if when is not None and when.date is not None:
            record["date"] = when.date.isoformat()
        record["evidence"] = []
        record["modality"] = modality
        if according_to:
            record["according_to"] = according_to
        if participants:
            record["participants"] = [{"role": role, "actor": actor} for role, actor in participants]
        for name, value in counts.items():
            if value is not None:
                record[name] = value
        self.events.append(record)
        self.told.add((event_type, place.key if place else None))
        return record

    def free(self, event_type: str, place: Place | None) -> bool:
        return (event_type, place.key if place else None) not in self.told

    @staticmethod
    def evidence(sentence: str, *records: dict) -> str:
        """Record the sentence as the evidence of `records`; returns it as it goes into the text."""
        sentence = tidy(sentence)
        for record in records:
            record["evidence"].append(sentence.rstrip(".").rstrip(","))
        return sentence

    @staticmethod
    def timed(clause: str, when: When) -> str:
        return f"{clause} {when.text}" if when.text else clause

    # --- events ----------------------------------------------------------------------------------

    def capture(self, place: Place) -> list[str]:
        w = self.w
        when = self.when()
        agent = [("agent", w.taliban)]
        variant = self.rng.random()
        if variant < 0.28:
            verb = self.pick(w.phrases("CaptureOfTerritory", "past", lambda t: t.agent == "before" and t.place == "after"))
            record = self.event("CaptureOfTerritory", place, when, participants=agent)
            clause = self.timed(f"{self.taliban()} {verb} {self.place(place)}", when)
            if self.chance(0.3) and place.kind in ("city", "district") and self.free("Withdrawal", place):
                return [self._capture_after_withdrawal(clause, record, place, when)]
            if self.chance(0.25) and self.free("Surrender", place):
                return [self._capture_after_surrender(clause, record, place, when)]
            self.note_time(when)
            return [self.evidence(self.attributed(clause, [record]), record)]
        if variant < 0.45:
            # "fell to", "was handed over to": a regular -ed form here could be a participle that
            # lacks its auxiliary ("handed over to"), so only irregular pasts and "was ..." are used
            verb = self.pick([v for v in w.phrases("CaptureOfTerritory", "past", lambda t: t.agent == "after")
                              if v.split()[0] in IRREGULAR_PAST]
                             + [v for v in w.phrases("CaptureOfTerritory", "auxiliary", lambda t: t.agent == "after")
                                if v.startswith("was ")])
            record = self.event("CaptureOfTerritory", place, when, participants=agent)
            clause = self.timed(f"{self.place(place)} {verb} {self.taliban(subject=False)}", when)
        elif variant < 0.58:
            verb = self.pick([p for p in w.phrases("CaptureOfTerritory", "participle", lambda t: t.agent == "before" and t.passive)
                              if len(p.split()) <= 2 and p.split()[-1] not in PREPOSITIONS - {"over"}])
            record = self.event("CaptureOfTerritory", place, when, participants=agent)
            clause = self.timed(f"{self.place(place)} was {verb} by {self.taliban(subject=False)}", when)
        elif variant < 0.66:
            verb = self.pick(w.phrases("CaptureOfTerritory", "participle", lambda t: t.agent == "before" and t.place == "after"))
            record = self.event("CaptureOfTerritory", place, None, participants=agent)
            return [self.evidence(self.attributed(f"{self.taliban()} have {verb} {self.place(place)}", [record]), record)]
        elif variant < 0.76:
            return self._capture_claimed(place, when)
        elif variant < 0.84:
            return self._capture_reported(place)
        elif variant < 0.92:
            # idioms of the trade that name no trigger word of their own
            record = self.event("CaptureOfTerritory", place, when, participants=agent)
            clause = self.timed(self.pick((
                lambda: f"{self.place(place)} came under Taliban control",
                lambda: f"{self.taliban()} raised their flag over the governor's compound in {self.place(place)}",
                lambda: f"{self.taliban()} walked into {self.place(place)} unopposed"))(), when)
        else:
            return self._capture_two_districts(place, when)
        self.note_time(when)
        return [self.evidence(self.attributed(clause, [record]), record)]

    def _capture_after_withdrawal(self, clause: str, record: dict, place: Place, when: When) -> str:
        # An event in an "after" clause is not dated by its main clause (tests/gold/README.md).
        verb = self.pick(self.w.phrases("Withdrawal", "past", lambda t: t.agent == "before" and t.place == "any"))
        forces = self.government()
        complement = COMPLEMENTS.get(verb, "")
        where = self.anaphor(place)
        tail = f"{verb} from {where}" if complement == "from" else f"{verb} {where}"
        withdrawal = self.event("Withdrawal", place, None, participants=[("agent", forces)])
        self.note_time(when)
        sentence = self.attributed(f"{clause} after {forces} {tail}", [record, withdrawal])
        return self.evidence(sentence, record, withdrawal)

    def _capture_after_surrender(self, clause: str, record: dict, place: Place, when: When) -> str:
        level = ("district",) if place.kind == "district" else ("province",)
        who, phrase = self.person(level, place)
        surrender = self.event("Surrender", place, None, participants=[("affected", who.name), ("surrendered_to", self.w.taliban)])
        self.note_time(when)
        sentence = self.attributed(f"{clause} after {phrase} surrendered to the group", [record, surrender], allow_prefix=False)
        return self.evidence(sentence, record, surrender)

    def _capture_claimed(self, place: Place, when: When) -> list[str]:
        w = self.w
        who, phrase = self.person(("taliban",))
        verb = self.pick(w.phrases("CaptureOfTerritory", "participle", lambda t: t.agent == "before" and t.place == "after"))
        channel = self.pick([""] + [" " + c for c in w.phrases("Statement", "prepositional", lambda t: t.frame)])
        record = self.event("CaptureOfTerritory", place, when, modality="claimed", according_to=who.name,
                            participants=[("agent", w.taliban)])
        self.group_named = True
        clause = self.timed(f"the group's fighters had {verb} {self.place(place)}", when)
        sentence = f"{cap(phrase)} claimed{channel} that {clause}."
        self.note_time(when)
        out = [self.evidence(sentence, record)]
        if self.chance(0.6):
            out.append(self.pick(("The claim could not be independently verified.",
                                  f"{self.outlet[1]} could not independently confirm the claim.")))
        return out

    def _capture_reported(self, place: Place) -> list[str]:
        w = self.w
        record = self.event("CaptureOfTerritory", place, None, modality="reported", participants=[("agent", w.taliban)])
        verb = self.pick(w.phrases("CaptureOfTerritory", "participle", lambda t: t.agent == "before" and t.place == "after"))
        past = self.pick(w.phrases("CaptureOfTerritory", "past", lambda t: t.agent == "before" and t.place == "after"))
        sentence = self.pick((  # (lambdas: only the phrase chosen may name its places)
            lambda: f"{cap(self.place(place))} is said to have fallen to {self.taliban(subject=False)}.",
            lambda: f"Unconfirmed reports said {self.taliban()} had {verb} {self.place(place)}.",
            lambda: f"{cap(self.taliban())} reportedly {past} {self.place(place)}."))()
        return [self.evidence(sentence, record)]

    def _capture_two_districts(self, place: Place, when: When) -> list[str]:
        province = place if place.kind == "province" else self.w.places[place.province]
        districts = [d for d in self.w.districts_in.get(province.key, []) if self.free("CaptureOfTerritory", d)]
        if len(districts) < 2:
            return self.capture_simple(place, when)
        first, second = self.rng.sample(districts, 2)
        verb = self.pick(self.w.phrases("CaptureOfTerritory", "past", lambda t: t.agent == "before" and t.place == "after"))
        records = [self.event("CaptureOfTerritory", d, when, participants=[("agent", self.w.taliban)]) for d in (first, second)]
        self.mention(first, second)
        clause = self.timed(f"{self.taliban()} also {verb} the {self.surface(first)} and {self.surface(second)} districts "
                            f"of {self.province_name(province.key)} province", when)
        self.note_time(when)
        return [self.evidence(self.attributed(clause, records), *records)]

    def capture_simple(self, place: Place, when: When) -> list[str]:
        verb = self.pick(self.w.phrases("CaptureOfTerritory", "past", lambda t: t.agent == "before" and t.place == "after"))
        record = self.event("CaptureOfTerritory", place, when, participants=[("agent", self.w.taliban)])
        clause = self.timed(f"{self.taliban()} {verb} {self.place(place)}", when)
        self.note_time(when)
        return [self.evidence(self.attributed(clause, [record]), record)]

    def surrender(self, place: Place) -> list[str]:
        w = self.w
        when = self.when()
        phrases = w.phrases("Surrender", "past")
        def to(verb: str) -> str:  # "surrendered to the Taliban"; "laid down their arms to the Taliban" is not said
            return f" to {self.taliban(subject=False)}" if len(verb.split()) == 1 or verb.endswith(" up") else ""

        if self.chance(0.45):
            text, n, role = self.group(10, 400, roles_only=True)
            verb = self.pick([p for p in phrases if not re.search(r"\b(himself|herself|his|her)\b", p)])
            receiver = to(verb)
            participants = [("affected", text)] + ([("surrendered_to", w.taliban)] if receiver else [])
            record = self.event("Surrender", place, when, participants=participants)
            self.add_person(Person(None, text, role, None))
            clause = self.timed(f"{text} {verb}{receiver} in {self.place(place)}", when)
        else:
            level = ("district",) if place.kind == "district" else ("province", "district")
            who, phrase = self.person(level, place)
            own = "herself" if who.female else "himself"
            verb = self.pick([p for p in phrases if not re.search(r"\b(themselves|their|herself|himself)\b", p) or own in p])
            receiver = to(verb)
            participants = [("affected", who.name)] + ([("surrendered_to", w.taliban)] if receiver else [])
            record = self.event("Surrender", place, when, participants=participants)
            company = ""
            if self.chance(0.4):
                text, _, role = self.group(5, 80, roles_only=True)
                company = f" along with {text}"
                record["participants"].append({"role": "affected", "actor": text})
                self.add_person(Person(None, text, role, None))
            if self.chance(0.5):
                clause = self.timed(f"in {self.place(place)}, {phrase} {verb}{receiver}{company}", when)
            else:
                clause = self.timed(f"{phrase} {verb}{receiver} in {self.place(place)}{company}", when)
        self.note_time(when)
        return [self.evidence(self.attributed(clause, [record]), record)]

    def defection(self, place: Place) -> list[str]:
        w = self.w
        when = self.when(undated=0.4)
        phrases = [p for p in w.phrases("Defection", "past") if "their" not in p.split()
                   and (not any(c.isupper() for c in p) or w.taliban in p)]
        verb = self.pick(phrases)
        receiver = f" to {self.taliban(subject=False)}" if COMPLEMENTS.get(verb, "") is None and self.chance(0.5) else ""
        former = self.chance(0.35)
        who, phrase = self.person(("district",) if former else ("militia",), place, former=former)
        count, _ = self.count(10, 200)
        men, role = self.pick((("men", None), ("fighters", "fighter"), ("militiamen", "militiaman")))
        text = f"{count} of {'her' if who.female else 'his'} {men}"
        company = f" with {text}"
        participants = [("affected", who.name), ("affected", text)]
        if receiver or verb.startswith("joined"):
            participants.append(("surrendered_to", w.taliban))
        if role:
            self.add_person(Person(None, text, role, None))
        claimed = self.chance(0.4)
        record = self.event("Defection", place, when, participants=participants, modality="claimed" if claimed else "asserted",
                            according_to=w.taliban if claimed else None)
        where = self.place(place)
        clause = self.timed(f"{phrase} {verb}{receiver}{company} in {where}", when)
        if not when.text and self.chance(0.5):
            clause = f"{phrase} has {participle(verb)}{receiver}{company} in {where}"
            record.pop("date", None)
        self.note_time(when)
        if claimed:
            group = "the group" if self.group_named and self.chance(0.5) else "the Taliban"
            sentence = f"{cap(clause)}, {group} said{self.pick(('', ' in a statement'))}."
            self.group_named = True
        else:
            sentence = self.attributed(clause, [record])
        return [self.evidence(sentence, record)]

    def clash(self, place: Place) -> list[str]:
        w = self.w
        when = self.when()
        nouns = w.phrases("ArmedClash", "nouns")
        killed = injured = None
        variant = self.rng.random()
        if variant < 0.25:
            noun = self.pick(nouns)
            verb = self.pick(("broke out", "erupted", "raged", "was reported") if not noun.endswith("s")
                             else ("broke out", "erupted", "raged", "were reported"))
            record = self.event("ArmedClash", place, when)
            clause = self.timed(f"{article(noun)} {verb} in {self.place(place)}", when)
        elif variant < 0.5:
            noun = self.pick(nouns)
            k_text, killed = self.count(2, 40)
            i_text, injured = self.count(3, 60) if self.chance(0.6) else ("", None)
            victims, role = self.pick(w.groups)
            record = self.event("ArmedClash", place, when, killed=killed, injured=injured,
                                participants=[("affected", f"{k_text} {victims}")])
            if role:
                self.add_person(Person(None, f"{k_text} {victims}", role, None))
            wounded = f" and wounded {i_text}" if injured else ""
            clause = f"{self.timed(f'{article(noun)} in {self.place(place)}', when)} killed {k_text} {victims}{wounded}"
        elif variant < 0.75:
            noun = self.pick(nouns)
            k_text, killed = self.count(2, 40)
            i_text, injured = self.count(3, 60) if self.chance(0.6) else ("", None)
            wounded = f" and {i_text} wounded" if injured else ""
            record = self.event("ArmedClash", place, when, killed=killed, injured=injured)
            clause = self.timed(f"{k_text} people were killed{wounded} in {article(noun)} in {self.place(place)}", when)
        else:
            verb = self.pick(w.phrases("ArmedClash", "past"))
            forces, enemy = self.government(), self.taliban(subject=False)
            agent = forces
            if self.chance(0.5):
                forces, enemy = self.taliban(), self.government()
                agent = w.taliban
            complement = COMPLEMENTS.get(verb, "")
            record = self.event("ArmedClash", place, when, participants=[("agent", agent)])
            if complement is None:
                core = f"{forces} {verb}"
            elif complement:
                core = f"{forces} {verb} {complement} {enemy}"
            else:
                core = f"{forces} {verb} {enemy}"
            where = self.pick(("in", "on the outskirts of", "in")) if place.kind == "city" else "in"
            clause = self.timed(f"{core} {where} {self.place(place)}", when)
        self.violence_told = True
        self.note_time(when)
        return [self.evidence(self.attributed(clause, [record]), record)]

    def airstrike(self, place: Place) -> list[str]:
        w = self.w
        when = self.when()
        k_text, killed = self.count(3, 60)
        target = self.pick(STRIKE_TARGETS)
        victims = f"{k_text} {self.pick(('Taliban fighters', 'insurgents', 'civilians', 'people'))}"
        variant = self.rng.random()
        if variant < 0.45:
            # "Afghan warplanes struck ...", "the Afghan air force bombed ..."
            verb = self.pick(w.phrases("Airstrike", "subject_verb") + w.phrases("Airstrike", "past"))
            if verb.startswith("air force"):
                subject = "the Afghan " + verb
            elif is_past(verb.split()[0]):
                subject = "the Afghan air force " + verb
            else:
                subject = "Afghan " + verb
            record = self.event("Airstrike", place, when, killed=killed,
                                participants=[("agent", "Afghan air force"), ("affected", victims)])
            clause = self.timed(f"{subject} {target} in {self.place(place)}", when) + f", killing {victims}"
        elif variant < 0.75:
            noun = self.pick([n for n in w.phrases("Airstrike", "nouns") if not n.endswith("s")])
            record = self.event("Airstrike", place, when, killed=killed, participants=[("affected", victims)])
            clause = self.timed(f"{victims} were killed in {article(noun)} in {self.place(place)}", when)
        else:
            noun = self.pick([n for n in w.phrases("Airstrike", "nouns") if n.endswith("s")])
            record = self.event("Airstrike", place, when, killed=killed, participants=[("affected", victims)])
            clause = f"{noun} on {target} in {self.place(place)}{' ' + when.text if when.text else ''} killed {victims}"
        self.violence_told = True
        self.note_time(when)
        return [self.evidence(self.attributed(clause, [record]), record)]

    def killing(self, place: Place) -> list[str]:
        w = self.w
        when = self.when()
        variant = self.rng.random()
        if variant < 0.4:
            who, phrase = self.person(("province", "district", "civil"), place, former=False) if self.chance(0.7) \
                else self.person(("district",), place, former=True)
            event_type = "Assassination" if self.chance(0.25) and self.free("Assassination", place) else "Killing"
            gunmen = self.pick(("gunmen", "unknown gunmen", "armed men"))
            if self.chance(0.5):
                verb = self.pick(w.phrases(event_type, "past", lambda t: t.agent == "before"))
                verb = verb if COMPLEMENTS.get(verb, "") == "" else "killed"
                record = self.event(event_type, place, when, participants=[("agent", gunmen), ("affected", who.name)])
                clause = self.timed(f"{gunmen} {verb} {phrase} in {self.place(place)}", when)
            else:
                verb = self.pick([p for p in w.phrases(event_type, "participle", lambda t: t.agent == "before")
                                  if COMPLEMENTS.get(p, "") == ""])
                record = self.event(event_type, place, when, participants=[("affected", who.name)])
                clause = self.timed(f"{phrase} was {verb} in {self.place(place)}", when)
        elif variant < 0.75:
            k_text, killed = self.count(2, 50)
            injured_word = self.pick(w.phrases("Injury", "participle"))
            i_text, injured = self.count(2, 80) if self.chance(0.6) else ("", None)
            record = self.event("Killing", place, when, killed=killed, injured=injured)
            wounded = f" and {i_text} {injured_word}" if injured else ""
            if self.chance(0.3):
                clause = self.timed(f"in {self.place(place)}, {k_text} people were killed{wounded}", when)
            else:
                clause = self.timed(f"{k_text} people were killed{wounded} in {self.place(place)}", when)
        else:
            text, n, role = self.group(3, 40, roles_only=True)
            verb = self.pick([p for p in w.phrases("Killing", "past", lambda t: t.agent == "before")
                              if COMPLEMENTS.get(p, "") == ""])
            record = self.event("Killing", place, when, killed=n, participants=[("agent", w.taliban), ("affected", text)])
            self.add_person(Person(None, text, role, None))
            clause = self.timed(f"{self.taliban()} {verb} {text} in {self.place(place)}", when)
        self.violence_told = True
        self.note_time(when)
        return [self.evidence(self.attributed(clause, [record]), record)]

    def attack(self, place: Place) -> list[str]:
        w = self.w
        when = self.when()
        k_text, killed = self.count(2, 30)
        if self.chance(0.5):
            verb = self.pick([p for p in w.phrases("Attack", "past", lambda t: t.agent == "before")
                              if p.split()[-1] not in PREPOSITIONS])
            if w.islamic_state and self.chance(0.3):
                attacker, actor = w.islamic_state[0] + " militants", w.islamic_state[1]
            else:
                attacker, actor = self.taliban(), w.taliban
            victims = self.pick(("policemen", "soldiers", "members of the security forces"))
            role = dict(w.groups).get(victims)
            record = self.event("Attack", place, when, killed=killed,
                                participants=[("agent", actor), ("affected", f"{k_text} {victims}")])
            if role:
                self.add_person(Person(None, f"{k_text} {victims}", role, None))
            clause = self.timed(f"{attacker} {verb} {self.pick(ATTACK_TARGETS)} in {self.place(place)}", when)
            clause += f", killing {k_text} {victims}"
        else:
            noun = self.pick([n for n in w.phrases("Attack", "nouns") if not n.endswith("s")])
            i_text, injured = self.count(2, 60) if self.chance(0.6) else ("", None)
            wounding = f" and wounding {i_text}" if injured else ""
            record = self.event("Attack", place, when, killed=killed, injured=injured)
            clause = self.timed(f"{article(noun)} {self.pick(('exploded', 'went off'))} in {self.place(place)}", when) \
                + f", killing {k_text} people{wounding}"
        self.violence_told = True
        self.note_time(when)
        return [self.evidence(self.attributed(clause, [record]), record)]

    def injury(self, place: Place) -> list[str]:
        when = self.when()
        text, n = self.count(3, 90)
        verb = self.pick(self.w.phrases("Injury", "participle"))
        noun = self.pick(("people", "civilians"))
        record = self.event("Injury", place, when, injured=n)
        clause = self.timed(f"{text} {noun} were {verb} in {self.place(place)}", when)
        self.note_time(when)
        return [self.evidence(self.attributed(clause, [record]), record)]

    def displacement(self, place: Place) -> list[str]:
        w = self.w
        noun = self.pick(DISPLACED)
        counted = self.chance(0.6)
        text, n = self.count(100, 20000) if counted else (self.pick(("hundreds of", "thousands of")), None)
        subject = f"{text} {noun}"
        variant = self.rng.random()
        if variant < 0.35:
            when = self.since()
            verb = self.pick([participle(p) for p in w.phrases("Displacement", "past") if p.split()[0] in IRREGULAR_PAST]
                             + ["been displaced"])
            clause = f"{subject} have {verb} in {self.place(place)} {when.text}"
        elif variant < 0.6:
            when = self.when()
            verb = self.pick([p for p in w.phrases("Displacement", "past") if "their" in p]
                             + [p for p in w.phrases("Displacement", "auxiliary") if p.startswith("were ")])
            clause = self.timed(f"{subject} {verb} in {self.place(place)}", when)
        elif variant < 0.8:
            when = self.when()
            # the place left, then where they went (not the event's place): the nearest provincial capital
            home = place if place.kind == "city" else w.cities_in[place.province or place.key][0]
            origin = self.place(place, short=True)
            clause = self.timed(f"{subject} fled {origin} for {self.city_name(self.nearest_capital(home))}", when)
        else:
            when = self.when()
            verb = self.pick([p for p in w.phrases("Displacement", "participle") if p.split()[-1] not in PREPOSITIONS
                              and "their" not in p and p.startswith("forced")] or ["displaced"])
            clause = self.timed(f"{subject} were {verb} {self.place(place)}", when)
        record = self.event("Displacement", place, when, displaced=n, participants=[("affected", subject)])
        self.note_time(when)
        return [self.evidence(self.attributed(clause, [record]), record)]

    def withdrawal(self, place: Place) -> list[str]:
        w = self.w
        when = self.when()
        if place.kind == "country":
            noun = self.pick(w.phrases("Withdrawal", "nouns"))
            text, actor = self.pick(w.foreign_forces)
            record = self.event("Withdrawal", place, when, participants=[("agent", actor)])
            clause = self.timed(f"{text} completed their {noun} from {self.place(place)}", when)
        else:
            verb = self.pick(w.phrases("Withdrawal", "past", lambda t: t.agent == "before" and t.place in ("any", "after")))
            forces = self.government()
            complement = COMPLEMENTS.get(verb, "")
            where = self.place(place)
            core = f"{forces} {verb} from {where}" if complement == "from" else f"{forces} {verb} {where}"
            if self.chance(0.3):
                core += f" to {self.pick(BASES)}"
            record = self.event("Withdrawal", place, when, participants=[("agent", forces)])
            clause = self.timed(core, when)
        self.note_time(when)
        return [self.evidence(self.attributed(clause, [record]), record)]

    def arrest(self, place: Place) -> list[str]:
        w = self.w
        when = self.when()
        verb = self.pick([p for p in w.phrases("Arrest", "past") if len(p.split()) == 1])
        if self.chance(0.5):
            forces = self.government()
            text, n = self.count(2, 30)
            suspects = f"{text} suspected {self.pick((w.taliban,) + ((w.islamic_state[0],) if w.islamic_state else ()))} members"
            record = self.event("Arrest", place, when, participants=[("agent", forces), ("affected", suspects)])
            clause = self.timed(f"{forces} {verb} {suspects} in {self.place(place)}", when)
        else:
            who, phrase = self.person(("province", "district"), place)
            record = self.event("Arrest", place, when, participants=[("agent", w.taliban), ("affected", who.name)])
            clause = self.timed(f"{self.taliban()} {verb} {phrase} in {self.place(place)}", when)
        self.note_time(when)
        return [self.evidence(self.attributed(clause, [record]), record)]

    def siege(self, place: Place) -> list[str]:
        w = self.w
        if self.chance(0.5):
            when = self.since()
            besieged = [p for p in w.phrases("Siege", "participle", lambda t: t.agent == "before") if " " not in p]
            state = self.pick(w.phrases("Siege", "prepositional") + besieged)  # "under siege", "encircled"
            if state in besieged:
                state += f" by {self.taliban(subject=False)}"
            record = self.event("Siege", place, when, participants=[("agent", w.taliban)])
            clause = f"{self.place(place)} has been {state} {when.text}"
        else:
            when = When("", None)
            verb = self.pick([p for p in w.phrases("Siege", "participle", lambda t: t.agent == "before") if " " not in p])
            record = self.event("Siege", place, None, participants=[("agent", w.taliban)])
            span = self.pick(("for weeks", "for more than a month", "for days"))
            clause = f"{self.taliban()} have {verb} {self.place(place)} {span}"
        self.note_time(when)
        return [self.evidence(self.attributed(clause, [record]), record)]

    def statement(self) -> list[str]:
        """A speech act that is an event of its own (a condemnation, an appeal, a vow, a released
        statement); it has no place (where it was issued is not said)."""
        w = self.w
        when = self.when(undated=0.35)
        side = self.pick(("taliban", "government", "international"))
        if side == "international" and w.institutions:
            speaker, actor = self.pick(w.institutions)
            if w.country.name in speaker:
                self.mention(w.country)
            speaker = ("the " if not speaker.isupper() else "") + speaker
        elif side == "taliban" and self.chance(0.5):
            speaker, actor = "the Taliban", w.taliban
            self.group_named = True
        else:
            who, speaker = self.person(("taliban",) if side == "taliban" else ("province", "ministry"), self.focus)
            actor = who.name
        says = SAYINGS[side]
        channels = w.phrases("Statement", "prepositional", lambda t: t.frame)
        if channels and self.chance(0.25):
            content = self.fill(self.pick(says["that"]))
            sentence = self.timed(f"{cap(speaker)} said {self.pick(channels)}", when) + f" that {content}."
        else:
            act = self.pick([a for a in w.phrases("Statement", "past", lambda t: not t.frame) if says.get(COMPLEMENTS.get(a, ""))])
            complement = COMPLEMENTS.get(act, "")
            content = self.fill(self.pick(says[complement]))
            joiner = {"": " ", "object+to": " ", "to": " to ", "over": " over ", "for": " for "}[complement]
            # the time stands before the act: after it, "vowed to take the city on Sunday" would date the vow's object
            if when.text and self.chance(0.5):
                sentence = f"{cap(when.text)}, {speaker} {act}{joiner}{content}."
            else:
                sentence = cap(f"{speaker} {when.text} {act}{joiner}{content}".replace("  ", " ")) + "."
        record = self.event("Statement", None, when, participants=[("agent", actor)])
        self.told.discard(("Statement", None))  # several statements may be told
        self.note_time(when)
        return [self.evidence(sentence, record)]

    def fill(self, text: str) -> str:
        """Fill a saying's slots: {city} (a provincial capital of the article's region), {capture} and
        {surrender} (base forms of the lexicon's phrases: what is only wanted or vowed is no event)."""
        if "{city}" in text:
            text = text.replace("{city}", self.place(self.w.cities_in[self.focus.province or self.focus.key][0]))
        if "{capture}" in text:
            text = text.replace("{capture}", self.pick(self.w.phrases(
                "CaptureOfTerritory", "base", lambda t: t.agent == "before" and t.place == "after")))
        if "{surrender}" in text:
            text = text.replace("{surrender}", self.pick(self.w.phrases("Surrender", "base")))
        return text

    # --- not events ------------------------------------------------------------------------------
    def denial(self, place: Place) -> list[str]:
        """A capture or surrender the text denies: [[denied]] in the gold, never an event."""
        who, phrase = self.person(("province",), place)
        verb = self.pick(self.w.denial_verbs)
        if self.chance(0.6) or place.kind == "country":
            record = {"type": "CaptureOfTerritory", "place": place.key}
            claim = f"{verb} that {self.place(place)} had fallen" if verb == "denied" else \
                f"{verb} reports that {self.place(place)} had fallen to {self.taliban(subject=False)}"
        else:
            record = {"type": "Surrender", "place": place.key}
            text, _, role = self.group(20, 300, roles_only=True)
            self.add_person(Person(None, text, role, None))  # a denied claim's participants count as taking part
            claim = f"{verb} reports that {text} had surrendered in {self.place(place)}"
        sentence = tidy(f"{cap(phrase)} {claim}.")
        record["evidence"] = [tidy(claim).rstrip(",")]
        self.denied.append(record)
        self.told.add((record["type"], place.key))
        return [sentence]

    def filler(self, place: Place) -> list[str]:
        """Background with no event: size and geography (from the gazetteer's figures and coordinates),
        roads, the state of a city, a hypothetical fall."""
        w = self.w
        city = place if place.kind == "city" else w.cities_in[place.province or place.key][0]
        province = w.places[city.province]
        neighbour = self.nearest_capital(city)
        options = [
            lambda: f"Residents fear {self.place(city)} could fall within days.",
            lambda: f"The highway between {self.city_name(city)} and {self.city_name(neighbour)} has been closed for days, "
                    f"traders said.",
            lambda: f"Phone and internet services in {self.place(province)} were down, making it difficult to verify reports.",
            lambda: f"{self.outlet[1]} could not independently verify the accounts.",
            lambda: f"Shops and government offices in {self.place(city)} remained closed, and many residents stayed indoors.",
            lambda: f"If {self.city_name(city)} falls, the road to {self.city_name(neighbour)} will be open to the insurgents, "
                    f"officials warned.",
        ]
        if city.population and city.population > 5000 and city.lat is not None and neighbour.lat is not None:
            people = f"{round(city.population, -3 if city.population > 20000 else -2):,}"
            km, bearing = distance(neighbour, city)
            options.append(lambda: f"{cap(self.city_name(city))}, home to some {people} people, lies about {km} kilometres "
                                   f"{bearing} of {self.city_name(neighbour)}.")
        if province.direction:
            region = "centre" if province.direction == "central" else province.direction.replace("ern", "")
            options.append(lambda: f"{self.province_name(province.key)} province lies in the {region} of {self.place(w.country)}.")
        return [self.pick(options)()]

    def city_name(self, city: Place) -> str:
        """A city named again, briefly: its name where that is unique, else 'the city of X'."""
        self.mention(city)
        return self.surface(city) if city.bare else self.pick((f"{city.name} city", f"the city of {city.name}"))

    def nearest_capital(self, city: Place) -> Place:
        return nearest_capital(city.key)

    def quote(self) -> list[str]:
        """A quote from the last person named (or a new one); it states no event."""
        text = self.pick(QUOTES)
        if self.last_speaker is not None and self.chance(0.6):
            return [f"\"{text},\" {self.last_speaker.pronoun} said."]
        who, phrase = self.person(("province", "district", "civil"), self.focus)
        self.last_speaker = who
        return [f"\"{text},\" said {phrase}."]


# ---------------------------------------------------------------------------------------------
# Composing an article.

EVENT_WEIGHTS = {  # how often each kind of paragraph follows the lede
    "capture": 14, "surrender": 8, "defection": 4, "clash": 10, "airstrike": 6, "killing": 7, "attack": 5,
    "injury": 2, "displacement": 6, "withdrawal": 5, "arrest": 3, "siege": 3, "statement": 5,
    "denial": 3, "filler": 10, "quote": 6,
}
PLACE_KINDS = {  # where each event happens: (city, district, province) weights
    "capture": (6, 4, 1), "surrender": (5, 4, 1), "defection": (0, 5, 2), "clash": (4, 5, 2), "airstrike": (2, 5, 3),
    "killing": (5, 4, 2), "attack": (5, 4, 1), "injury": (4, 3, 2), "displacement": (6, 2, 3), "withdrawal": (6, 4, 0),
    "arrest": (5, 3, 2), "siege": (8, 2, 0), "denial": (8, 0, 0), "filler": (1, 0, 0),
}
EVENT_TYPE = {"capture": "CaptureOfTerritory", "surrender": "Surrender", "defection": "Defection", "clash": "ArmedClash",
              "airstrike": "Airstrike", "killing": "Killing", "attack": "Attack", "injury": "Injury",
              "displacement": "Displacement", "withdrawal": "Withdrawal", "arrest": "Arrest", "siege": "Siege"}


def _choose_place(writer: Writer, kind: str, provinces: list[Place]) -> Place | None:
    """A place of the article's provinces where `kind` has not been told yet."""
    w = writer.w
    weights = PLACE_KINDS[kind]
    for _ in range(8):
        province = writer.pick(provinces)
        which = writer.rng.choices(("city", "district", "province"), weights)[0]
        if which == "city":
            cities = w.cities_in[province.key]
            place = cities[0] if writer.chance(0.75) else writer.pick(cities)
        elif which == "district":
            place = writer.pick(w.districts_in[province.key])
        else:
            place = province
        if kind == "denial":  # a denial's place has no capture or surrender told (nor may it later)
            if writer.free("CaptureOfTerritory", place) and writer.free("Surrender", place):
                return place
        elif kind not in EVENT_TYPE or writer.free(EVENT_TYPE[kind], place):
            return place
    return None


def _headline(writer: Writer, lede: dict | None, provinces: list[Place]) -> str:
    """A headline restating the lede event (it joins the event's evidence), or one with no event.
    Headlines speak in the present tense: the lexicon's base and third-person forms."""
    w = writer.w
    text = None
    if lede and "place" in lede and not lede["place"].startswith("country/") and lede["modality"] == "asserted":
        place = w.places[lede["place"]]
        name = place.name + {"district": " district", "province": " province"}.get(place.kind, "")
        affected = next((p["actor"] for p in lede.get("participants", []) if p["role"] == "affected"), None)
        role = next((p["roles"][0] for p in writer.persons if p.get("name") == affected), None)
        if lede["type"] == "CaptureOfTerritory":
            take = writer.pick(w.phrases("CaptureOfTerritory", "base", lambda t: t.agent == "before" and t.place == "after"))
            falls = writer.pick(w.phrases("CaptureOfTerritory", "third", lambda t: t.agent == "after"))
            text = writer.pick((f"Taliban {take} {name}", f"{name} {falls} Taliban", f"Taliban {take} {name} as offensive widens"))
        elif lede["type"] == "Surrender" and affected:
            if role is None:  # a group: "300 soldiers surrender in Kunduz"
                text = f"{cap(affected)} {writer.pick(w.phrases('Surrender', 'base'))} in {name}"
            elif "former" not in role:  # "District governor surrenders to Taliban in Kunduz"
                text = f"{cap(role)} {writer.pick(w.phrases('Surrender', 'third'))} to Taliban in {name}"
        elif lede["type"] in ("ArmedClash", "Airstrike", "Killing") and "killed" in lede:
            noun = {"ArmedClash": "clashes", "Airstrike": "air strike", "Killing": ""}[lede["type"]]
            text = f"{lede['killed']} killed in {name}" + (f" {noun}" if noun else "")
    if text:
        lede["evidence"].insert(0, text)
        return text
    city = w.cities_in[writer.pick(provinces).key][0]
    writer.mention(city)
    return writer.pick((f"Fear grips {city.name} as Taliban advance", f"Residents of {city.name} brace for the worst",
                        f"Taliban pressure mounts on {city.name}"))


def _dateline(writer: Writer, city: Place) -> str:
    writer.mention(city)
    tag = writer.outlet[1]
    day = writer.published
    if writer.chance(0.4):
        writer.mention(writer.w.country)
        return f"{city.name.upper()}, {writer.w.country.name} ({tag}) — "
    if writer.chance(0.5):
        writer.last_date = None  # the dateline's date is the report's, not an event's
        return f"{city.name.upper()}, {AP_MONTHS[day.month - 1].rstrip('.')} {day.day} ({tag}) - "
    return f"{city.name.upper()} ({tag}) - "


def compose(index: int, seed: int) -> tuple[dict, dict]:
    """Article `index` of the corpus of `seed`: its record (kg.articles fields) and its gold."""
    w = world()
    rng = random.Random(f"{seed}:{index}")  # per article, so article i does not depend on N
    span = (LAST_DAY - FIRST_DAY).days
    published = FIRST_DAY + dt.timedelta(days=rng.randrange(span + 1))
    outlet = w.outlets[rng.randrange(len(w.outlets))]
    writer = Writer(w, rng, published, outlet)
    provinces = rng.sample(w.provinces, rng.choice((1, 1, 2, 2, 3)))
    writer.focus = provinces[0]

    paragraphs: list[list[str]] = []
    lede_kind = rng.choices(("capture", "clash", "surrender", "airstrike", "killing"), (10, 3, 2, 2, 2))[0]
    lede_place = _choose_place(writer, lede_kind, provinces[:1]) or w.cities_in[provinces[0].key][0]
    dateline_city = w.cities_in[provinces[0].key][0] if rng.random() < 0.6 else w.capital
    dateline = _dateline(writer, dateline_city)
    first = len(writer.events)
    lede = getattr(writer, lede_kind)(lede_place)
    lede_event = writer.events[first] if len(writer.events) > first else None
    paragraphs.append([dateline + lede[0]] + lede[1:])

    kinds = list(EVENT_WEIGHTS)
    weights = list(EVENT_WEIGHTS.values())
    for _ in range(rng.randint(2, 7)):
        kind = rng.choices(kinds, weights)[0]
        if kind != "quote":
            writer.last_speaker = None  # "he said" only right after the sentence that named him
        dated = writer.last_date
        if kind == "quote":
            sentences = writer.quote()
        elif kind == "statement":
            sentences = writer.statement()
        elif kind == "withdrawal" and w.foreign_forces and rng.random() < 0.15:
            sentences = writer.withdrawal(w.country) if writer.free("Withdrawal", w.country) else []
        else:
            place = _choose_place(writer, kind, provinces)
            if place is None:
                continue
            writer.focus = place if place.kind == "province" else w.places[place.province]
            sentences = getattr(writer, kind)(place)
        if writer.last_date == dated:
            writer.last_date = None  # "a day earlier" only right after the passage that gave the date
        if not sentences:
            continue
        if paragraphs and rng.random() < 0.3 and len(paragraphs[-1]) < 3:
            paragraphs[-1].extend(sentences)
        else:
            paragraphs.append(sentences)

    headline = _headline(writer, lede_event, provinces)
    body = "\n\n".join(" ".join(tidy(s) for s in p) for p in paragraphs)
    text = f"{headline}\n\n{body}\n"
    article_id = f"gen-{seed}-{index:07d}"
    record = {"id": article_id, "published": published.isoformat(), "outlet": outlet[0], "title": headline,
              "text": text, "language": "en", "note": f"synthetic: bench/generate_corpus.py seed {seed}, article {index}"}
    gold = {"places": list(writer.places), "event": writer.events, "person": writer.persons, "denied": writer.denied}
    return record, gold


def generate(n: int, seed: int = 0) -> Iterator[tuple[dict, dict]]:
    """Yield `n` (article record, gold record) pairs. The gold has the keys of tests/gold/README.md
    except `article` (where the article lives depends on how it is written)."""
    for index in range(n):
        yield compose(index, seed)


# ---------------------------------------------------------------------------------------------
# Writing TOML by hand (tomllib only reads). Strings are basic strings with every character TOML
# does not allow raw escaped.

_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f"}
_TOML_SPECIAL = re.compile(r'["\\\x00-\x1f\x7f]')  # what a basic string may not hold raw


def toml_string(text: str) -> str:
    if _TOML_SPECIAL.search(text) is None:  # the common case, and the fast one
        return f'"{text}"'
    return '"' + _TOML_SPECIAL.sub(lambda m: _TOML_ESCAPES.get(m.group(), f"\\u{ord(m.group()):04X}"), text) + '"'


def toml_value(value) -> str:
    kind = type(value)
    if kind is str:
        return toml_string(value)
    if kind is int:
        return str(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is list:
        return "[" + ", ".join(map(toml_value, value)) + "]"
    if kind is dict:
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {kind.__name__} as TOML")


def gold_toml(gold: dict, article_path: str, comment: str = "") -> str:
    """The gold record in the format of tests/gold/README.md (top-level keys before the tables)."""
    lines = [f"article = {toml_string(article_path)}"]
    lines += [f"# {line}" for line in comment.splitlines()]
    lines.append(f"places = {toml_value(gold['places'])}")
    for table in ("event", "person", "denied"):
        for record in gold.get(table, []):
            lines.append("")
            lines.append(f"[[{table}]]")
            lines += [f"{key} = {toml_value(value)}" for key, value in record.items()]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Output.

def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))  # (binary mode: no text-layer set-up for a small file)


def write_corpus(out_dir: Path, n: int, seed: int = 0, *, fmt: str = "jsonl", gold: bool = False,
                 per_file: int = 1000) -> int:
    """Write the corpus as it is generated (constant memory); returns the number of articles."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if fmt == "txt":
        (out_dir / "articles").mkdir(exist_ok=True)
    if fmt == "jsonl" and gold:
        (out_dir / "gold").mkdir(exist_ok=True)
    handle = None
    written = 0
    try:
        for index, (record, gold_record) in enumerate(generate(n, seed)):
            article_id = record["id"]
            comment = f"Published {WEEKDAYS[dt.date.fromisoformat(record['published']).weekday()]} {record['published']}. " \
                      f"Generated by bench/generate_corpus.py (seed {seed}, article {index})."
            if fmt == "jsonl":
                if index % per_file == 0:
                    if handle:
                        handle.close()
                    shard = f"articles-{index // per_file:05d}.jsonl"
                    handle = (out_dir / shard).open("w", encoding="utf-8")
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                if gold:
                    where = f"\nIn a jsonl corpus: line {index % per_file + 1} of ../{shard} (article id {article_id})."
                    _write(out_dir / "gold" / f"{article_id}.toml", gold_toml(gold_record, f"{article_id}.txt", comment + where))
            else:
                text = record.pop("text")
                _write(out_dir / "articles" / f"{article_id}.txt", text)
                _write(out_dir / "articles" / f"{article_id}.json", json.dumps(record, ensure_ascii=False))
                if gold:
                    _write(out_dir / f"{article_id}.toml", gold_toml(gold_record, f"articles/{article_id}.txt", comment))
            written += 1
    finally:
        if handle:
            handle.close()
    return written


def score(out_dir: Path):
    """Run the extraction pipeline on a written corpus and score it with kg.evaluate: txt corpora
    through kg.evaluate.evaluate itself, jsonl corpora by article id from the shards."""
    from kg.articles import Article, read_articles
    from kg.evaluate import GoldFile, Report, evaluate, score_article
    from kg.extraction import pipeline

    if not (out_dir / "gold").is_dir():
        return evaluate([out_dir])
    articles = {a.id: a for a in read_articles(sorted(out_dir.glob("articles-*.jsonl"))) if isinstance(a, Article)}
    report, nlp = Report(), pipeline.default()
    for path in sorted((out_dir / "gold").glob("*.toml")):
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        article_obj = articles[path.stem]
        score_article(GoldFile(path, article_obj, data), pipeline.extract(article_obj, nlp), report)
        report.articles += 1
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--articles", type=int, required=True, help="how many articles")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--format", choices=("jsonl", "txt"), default="jsonl")
    parser.add_argument("--gold", action="store_true", help="also write the gold annotations")
    parser.add_argument("--per-file", type=int, default=1000, help="articles per .jsonl file")
    parser.add_argument("--score", action="store_true", help="then score the extraction against the gold (implies --gold)")
    args = parser.parse_args(argv)
    if args.articles < 0 or args.per_file < 1:
        parser.error("--articles must be >= 0 and --per-file >= 1")
    if args.out_dir.exists() and any(args.out_dir.iterdir()):
        # shards of an earlier, longer run would stay behind and be built with this corpus
        parser.error(f"{args.out_dir} is not empty: give a new or empty directory")
    start = time.perf_counter()
    n = write_corpus(args.out_dir, args.articles, args.seed, fmt=args.format, gold=args.gold or args.score,
                     per_file=args.per_file)
    elapsed = time.perf_counter() - start
    print(f"wrote {n} articles to {args.out_dir} in {elapsed:.1f} s ({n / elapsed if elapsed else 0:,.0f} articles/s)",
          file=sys.stderr)
    if args.score:
        report = score(args.out_dir)
        print(report.table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
