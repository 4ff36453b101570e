"""The recipe for kg's syntactic pipeline: convert UD English-EWT, train, evaluate on its test split,
and install the result into the package.

    python -m kg.syntax.train --ud ../shared/ud [--work DIR] [--install]

1. convert the three CoNLL-U files to spaCy's binary format, one sentence per document (kg parses
   one sentence at a time, so the parser never has to find sentence ends);
2. train `kg/syntax/config.cfg` (tok2vec, morphologizer, trainable lemmatizer, parser; seed fixed
   in the config) on train, choosing the best model on dev;
3. evaluate the best model on the test split, which training never sees;
4. with `--install`, copy it to `kg/data/syntax/model/` with its test accuracy, sources and
   licence (CC BY-SA 4.0, that of the treebank) in its `meta.json`.

Training takes about two hours on two cores; the same seed and data give the same model up to the
floating-point order of the machine's BLAS.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import time
from pathlib import Path

CONFIG = Path(__file__).resolve().parent / "config.cfg"
INSTALLED = Path(__file__).resolve().parents[1] / "data" / "syntax" / "model"
SPLITS = ("train", "dev", "test")
TREEBANK = "UD English-EWT"
LICENCE = "CC BY-SA 4.0"
# what the shipped model keeps of spaCy's scores, named as the README reports them
REPORTED = {"pos_acc": "UPOS", "morph_acc": "morphological features", "lemma_acc": "lemmas",
            "dep_uas": "UAS", "dep_las": "LAS"}


def convert(ud: Path, work: Path) -> dict[str, Path]:
    """The CoNLL-U files of `ud` as spaCy DocBins in `work`, one sentence per document."""
    from spacy.tokens import DocBin
    from spacy.training.converters import conllu_to_docs

    paths = {}
    for split in SPLITS:
        source = next(ud.glob(f"*-ud-{split}.conllu"), None)
        if source is None:
            raise SystemExit(f"{ud}: no *-ud-{split}.conllu (expected the UD English-EWT files there)")
        target = work / f"{split}.spacy"
        docs = conllu_to_docs(source.read_text(encoding="utf-8"), n_sents=1, no_print=True)
        DocBin(docs=docs, store_user_data=False).to_disk(target)
        paths[split] = target
        print(f"converted {source.name}: {target}", flush=True)
    return paths


def train(paths: dict[str, Path], work: Path, config: Path = CONFIG) -> Path:
    from spacy.cli.train import train as spacy_train

    output = work / "training"
    spacy_train(config, output, overrides={"paths.train": str(paths["train"]), "paths.dev": str(paths["dev"])})
    return output / "model-best"


def evaluate(model: Path, data: Path) -> dict:
    from spacy.cli.evaluate import evaluate as spacy_evaluate

    return spacy_evaluate(str(model), data, silent=True)


def install(model: Path, test_scores: dict, ud: Path, config: Path = CONFIG, target: Path = INSTALLED) -> Path:
    """Copy the trained pipeline into the package with what a user must know in its meta.json."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(model, target)
    meta_path = target / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    dev = meta.get("performance", {})
    meta.update({
        "name": "kg_en_ewt",
        "description": "kg's syntactic pipeline: a CNN tok2vec shared by a morphologizer (UPOS and "
                       "features), a trainable lemmatizer and a dependency parser, trained on UD English-EWT "
                       "without pretrained vectors (python -m kg.syntax.train).",
        "license": LICENCE,
        "sources": [{"name": f"{TREEBANK} v2.15", "url": "https://github.com/UniversalDependencies/UD_English-EWT",
                     "license": LICENCE,
                     "author": "The Board of Trustees of The Leland Stanford Junior University; UD contributors"}],
        "performance": {key: test_scores.get(key) for key in REPORTED},
        "performance_split": "test (en_ewt-ud-test.conllu, gold tokens, one sentence per document)",
        "dev_performance": {key: dev.get(key) for key in REPORTED},
        "recipe": {"config_sha256": hashlib.sha256(config.read_bytes()).hexdigest(),
                   "treebank_files": sorted(p.name for p in ud.glob("*-ud-*.conllu"))},
    })
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    licence = ud / "LICENSE.txt"
    if licence.exists():
        shutil.copy(licence, target / "LICENSE")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train kg's syntactic pipeline on UD English-EWT.")
    parser.add_argument("--ud", type=Path, default=Path("../shared/ud"), help="folder with en_ewt-ud-{train,dev,test}.conllu")
    parser.add_argument("--work", type=Path, default=Path("build/syntax"), help="scratch folder for data and checkpoints")
    parser.add_argument("--config", type=Path, default=CONFIG)
    parser.add_argument("--install", action="store_true", help=f"copy the best model to {INSTALLED}")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    paths = convert(args.ud, args.work)
    best = train(paths, args.work, args.config)
    scores = evaluate(best, paths["test"])
    print(f"trained in {(time.monotonic() - started) / 60:.0f} min; on the test split:")
    for key, name in REPORTED.items():
        print(f"  {name:24s} {scores.get(key, float('nan')):.4f}")
    if args.install:
        print(f"installed: {install(best, scores, args.ud, args.config)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
