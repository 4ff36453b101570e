"""kg's own syntactic pipeline: a spaCy tagger, lemmatizer and dependency parser trained on
Universal Dependencies English-EWT (`python -m kg.syntax.train`), shipped in kg/data/syntax/model/.

The trained pipeline carries the treebank's licence, CC BY-SA 4.0, and its accuracy on the
treebank's test split in its meta.json; the code that loads it is under kg's licence.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from kg.errors import DataFileError

MODEL = Path(__file__).resolve().parents[1] / "data" / "syntax" / "model"


@cache
def load(path: Path = MODEL):
    """The trained pipeline (tok2vec, morphologizer, trainable_lemmatizer, parser), from the package:
    nothing is downloaded."""
    import spacy

    if not (path / "meta.json").exists():
        raise DataFileError(f"{path}: no trained syntactic pipeline",
                            hint="reinstall kg, or train one: python -m kg.syntax.train --ud ../shared/ud --install")
    try:
        return spacy.load(path)
    except (OSError, ValueError) as exc:
        raise DataFileError(f"{path}: the syntactic pipeline does not load: {exc}",
                            hint="retrain it with python -m kg.syntax.train --install") from exc


def meta(path: Path = MODEL) -> dict:
    """The shipped pipeline's metadata: name, version, licence, sources, accuracy on the test split."""
    return json.loads((path / "meta.json").read_text(encoding="utf-8"))
