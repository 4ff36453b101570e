"""Extraction speed in words per second on one core, against baselines measured in the same run:
(a) spaCy's bare English tokenizer, (b) kg's trained syntactic pipeline alone, parsing every
sentence, (c) the whole extraction pipeline (which parses only the sentences that may tell an event).

    python bench/extraction_speed.py [--repeat N]

Reports words/s of each and the ratios c/b and c/a; the texts are the gold sets' articles.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402

from kg import syntax  # noqa: E402
from kg.evaluate import gold_paths, load_gold  # noqa: E402
from kg.extraction import pipeline  # noqa: E402


def timed(run, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    articles = [load_gold(p).article for p in gold_paths([ROOT / "tests" / "gold" / s for s in
                                                            ("seeds", "own", "heldout", "unseen", "fresh")])]
    blank = spacy.blank("en")
    words = sum(len(blank.make_doc(a.text)) for a in articles)
    model, nlp = syntax.load(), pipeline.default()
    tokenizer = timed(lambda: [blank.make_doc(a.text) for a in articles], args.repeat)
    parser_alone = timed(lambda: list(model.pipe(a.text for a in articles)), args.repeat)
    whole = timed(lambda: [pipeline.extract(a, nlp) for a in articles], args.repeat)
    print(f"{len(articles)} articles, {words} words; best of {args.repeat}")
    for name, seconds in (("(a) tokenizer", tokenizer), ("(b) trained pipeline alone", parser_alone),
                          ("(c) whole extraction", whole)):
        print(f"  {name:28s} {words / seconds:10.0f} words/s")
    print(f"  c/b {parser_alone / whole:.2f}   c/a {tokenizer / whole:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
