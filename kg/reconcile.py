"""Online reconciliation (optional): Wikidata candidates for a name the gazetteer lacks.

Nothing in the build calls this module: the pipeline links only through the gazetteer, offline.
`kg reconcile NAME` asks Wikidata's `wbsearchentities` API for candidates and says which one, if
any, is safe to add to the gazetteer. A candidate is accepted only when its score reaches
ACCEPT_THRESHOLD and no other candidate comes within MARGIN of it; scores are documented in
`score`. Answers are cached on disk (one JSON file per query), requests carry a descriptive
User-Agent, are spaced by at least `min_interval` seconds and time out.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kg import __version__
from kg.atomic import write_text_atomically
from kg.errors import KGError
from kg.slug import fold

API = "https://www.wikidata.org/w/api.php"
# Wikimedia asks clients to say who they are and how to reach them: KG_CONTACT adds an address
USER_AGENT = f"kg/{__version__} (news knowledge-graph builder; contact: {os.environ.get('KG_CONTACT', 'unset')}) python-urllib"
ACCEPT_THRESHOLD = 0.9
MARGIN = 0.2
# Words a Wikidata description uses for each kind of place ("province of Afghanistan", "city in Afghanistan")
KIND_WORDS = {
    "province": ("province",),
    "city": ("city", "town", "capital"),
    "district": ("district",),
    "country": ("country", "state"),
}


class ReconcileError(KGError):
    code = "reconcile_failed"


@dataclass(frozen=True)
class Candidate:
    qid: str
    label: str
    description: str
    score: float


@dataclass(frozen=True)
class Proposal:
    name: str
    candidates: tuple[Candidate, ...]
    accepted: Candidate | None  # None: nothing is safe to link

    def as_json(self) -> dict:
        return {"name": self.name, "accepted": self.accepted.qid if self.accepted else None,
                "candidates": [c.__dict__ for c in self.candidates]}


def score(name: str, hit: dict, kind: str | None, country: str | None) -> float:
    """0.5 when the label or an alias is the name (case and accents aside), else 0.2 when the name
    is part of the label; +0.25 when the description's head names the expected kind ("city in
    Zabul Province" is a city, not a province); +0.25 when the description names the expected country. A candidate reaches the 0.9 threshold only with an exact name, the right
    kind and the right country."""
    wanted = fold(name)
    names = {fold(hit.get("label", ""))} | {fold(a) for a in hit.get("aliases", [])}
    match = hit.get("match", {})
    if match.get("type") in ("label", "alias"):
        names.add(fold(match.get("text", "")))
    value = 0.5 if wanted in names else 0.2 if wanted in fold(hit.get("label", "")) else 0.0
    description = hit.get("description", "").lower()
    # the kind is the description's head, before "in"/"of": "city in Zabul Province" is a city
    head = description.split(" in ", 1)[0].split(" of ", 1)[0].split(",", 1)[0]
    if kind and any(word in head.split() for word in KIND_WORDS.get(kind, (kind,))):
        value += 0.25
    if country and country.lower() in description:
        value += 0.25
    return round(value, 2)


@dataclass
class WikidataSearch:
    """A polite client for `wbsearchentities`, with an on-disk cache."""

    cache_dir: Path
    user_agent: str = USER_AGENT
    min_interval: float = 1.0  # seconds between two requests
    timeout: float = 10.0
    language: str = "en"
    fetch: Callable[[urllib.request.Request, float], bytes] | None = None  # for tests: recorded answers
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _last: float | None = field(default=None, repr=False)

    def search(self, name: str, limit: int = 7) -> list[dict]:
        params = {"action": "wbsearchentities", "search": name, "language": self.language, "uselang": self.language,
                  "type": "item", "limit": str(limit), "format": "json"}
        url = API + "?" + urllib.parse.urlencode(params)
        cached = self.cache_dir / (hashlib.sha256(url.encode()).hexdigest() + ".json")
        if cached.exists():
            return json.loads(cached.read_text(encoding="utf-8")).get("search", [])
        body = self._get(url)
        try:
            answer = json.loads(body)
        except ValueError as exc:
            raise ReconcileError(f"Wikidata answered with something that is not JSON for {name!r}") from exc
        if "error" in answer:
            raise ReconcileError(f"Wikidata refused the search for {name!r}: {answer['error'].get('info', answer['error'])}")
        write_text_atomically(cached, json.dumps(answer))  # another run may read the cache meanwhile
        return answer.get("search", [])

    def _get(self, url: str) -> bytes:
        if self._last is not None:
            wait = self.min_interval - (self.clock() - self._last)
            if wait > 0:
                self.sleep(wait)
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent, "Accept": "application/json"})
        try:
            if self.fetch is not None:
                return self.fetch(request, self.timeout)
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (a fixed https URL)
                return response.read()
        except OSError as exc:
            raise ReconcileError(f"cannot reach Wikidata: {exc}",
                                 hint="check the network, or add the place to kg/data/gazetteer by hand") from exc
        finally:
            self._last = self.clock()

    def propose(self, name: str, kind: str | None = None, country: str | None = None) -> Proposal:
        candidates = sorted((Candidate(hit["id"], hit.get("label", ""), hit.get("description", ""),
                                       score(name, hit, kind, country)) for hit in self.search(name)),
                            key=lambda c: -c.score)
        best = candidates[0] if candidates else None
        runner_up = candidates[1].score if len(candidates) > 1 else 0.0
        accepted = best if best and best.score >= ACCEPT_THRESHOLD and best.score - runner_up >= MARGIN else None
        return Proposal(name, tuple(candidates), accepted)
