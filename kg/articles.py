"""Reading articles: `.txt` files with an optional `NAME.json` sidecar, and `.jsonl` files.

Input formats (see README):
- `NAME.txt` — the article text (UTF-8). Optional `NAME.json` beside it with metadata.
- `FILE.jsonl` — one JSON object per line.
Metadata fields: id, url, title, outlet, published (ISO date), language, text. Only `text` is
required (for .txt files the text is the file). A bad article yields an ArticleError naming its file
(and line, for .jsonl) and the reader goes on with the rest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import ArticleError

SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
VALID_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
FIELDS = {"id", "url", "title", "outlet", "published", "language", "text", "note"}


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    source: str  # the file it came from
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    language: str = "en"
    line: int | None = None  # its line, for .jsonl files

    @property
    def location(self) -> str:
        """Where the article is: `path`, or `path:line` inside a .jsonl file."""
        return f"{self.source}:{self.line}" if self.line else self.source

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def article_from_record(record: dict, *, source: str, default_id: str | None = None, line: int | None = None) -> Article:
    """Validate one metadata record (dict) and build an Article; raises ArticleError."""
    if not isinstance(record, dict):
        raise ArticleError(source, "expected a JSON object", line=line, hint='write {"text": "..."} with optional id, published, ...')
    unknown = set(record) - FIELDS
    if unknown:
        raise ArticleError(source, f"unknown field(s) {sorted(unknown)}", line=line, hint=f"allowed fields: {sorted(FIELDS)}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ArticleError(source, "the article has no text", line=line, hint='give a non-empty "text"')
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # JSON allows lone surrogates ("\ud800"); no text can contain them
        raise ArticleError(source, f"the text holds an invalid character at offset {exc.start}", line=line,
                           hint="fix the encoding of the source; JSON escapes must form whole characters") from exc
    for name in ("url", "title", "outlet", "language"):
        if record.get(name) is not None and not isinstance(record[name], str):
            raise ArticleError(source, f'"{name}" must be a string', line=line)
    url = record.get("url")
    if url and not VALID_URL.match(url):
        raise ArticleError(source, f'"url" is not a valid absolute URL: {url!r}', line=line,
                           hint="write it with its scheme and percent-encode spaces, e.g. https://example.org/a%20b")
    article_id = record.get("id") or default_id or "sha256-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    if not isinstance(article_id, str) or not SAFE_ID.match(article_id):
        raise ArticleError(
            source, f"invalid id {article_id!r}", line=line,
            hint="ids are 1-128 characters of letters, digits, '.', '_' or '-', starting with a letter or digit",
        )
    return Article(
        id=article_id,
        text=text,
        source=source,
        url=record.get("url"),
        title=record.get("title"),
        outlet=record.get("outlet"),
        published=_parse_date(record.get("published"), source, line),
        language=record.get("language") or "en",
        line=line,
    )


def _parse_date(value, source: str, line: int | None) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10]) if len(value) > 10 and value[10] in "T " else dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ArticleError(source, f'"published" is not an ISO date: {value!r}', line=line, hint='write e.g. "2021-08-09"')


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(str(path), f"not UTF-8 text (byte {exc.start})", hint="convert the file to UTF-8") from exc
    except OSError as exc:
        raise ArticleError(str(path), f"cannot read: {exc.strerror}") from exc


def read_txt(path: Path) -> Article:
    record: dict = {}
    sidecar = path.with_suffix(".json")
    if sidecar.exists():
        try:
            record = json.loads(_read_text(sidecar))
        except json.JSONDecodeError as exc:
            raise ArticleError(str(sidecar), f"invalid JSON: {exc.msg}", line=exc.lineno, hint="fix the sidecar or remove it") from exc
        if not isinstance(record, dict):
            raise ArticleError(str(sidecar), "a sidecar must be a JSON object", hint='e.g. {"published": "2021-08-09"}')
        if "text" in record:
            raise ArticleError(str(sidecar), 'a sidecar must not carry "text"', hint=f"the text is {path.name}")
        article_from_record({**record, "text": "-"}, source=str(sidecar), default_id=path.stem)  # errors name the sidecar
    text = _read_text(path)
    return article_from_record({**record, "text": text}, source=str(path), default_id=path.stem)


def read_jsonl(path: Path) -> Iterator[Article | ArticleError]:
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        yield ArticleError(str(path), f"cannot read: {exc.strerror}")
        return
    with handle:
        try:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                try:
                    yield article_from_record(json.loads(raw), source=str(path), line=number)
                except json.JSONDecodeError as exc:
                    yield ArticleError(str(path), f"invalid JSON: {exc.msg} (column {exc.colno})", line=number)
                except ArticleError as exc:
                    yield exc
        except UnicodeDecodeError as exc:
            yield ArticleError(str(path), f"not UTF-8 text (byte {exc.start})", hint="convert the file to UTF-8")


def discover(inputs: Iterable[Path | str]) -> list[Path]:
    """Expand directories into their .txt and .jsonl files, sorted, so builds are repeatable."""
    files: list[Path] = []
    for item in map(Path, inputs):
        if item.is_dir():
            files.extend(sorted(p for p in item.rglob("*") if p.suffix in (".txt", ".jsonl") and p.is_file()))
        else:
            files.append(item)
    return files


def read_articles(inputs: Iterable[Path | str]) -> Iterator[Article | ArticleError]:
    """Yield every article found in `inputs`, or an ArticleError for each one that cannot be read."""
    seen: dict[str, str] = {}
    for path in discover(inputs):
        if not path.exists():
            yield ArticleError(str(path), "no such file or directory")
            continue
        if path.suffix == ".jsonl":
            items: Iterable[Article | ArticleError] = read_jsonl(path)
        elif path.suffix == ".txt":
            try:
                items = [read_txt(path)]
            except ArticleError as exc:
                items = [exc]
        else:
            items = [ArticleError(str(path), f"unsupported file type {path.suffix!r}", hint="give .txt or .jsonl files, or a directory")]
        for item in items:
            if isinstance(item, Article):
                if item.id in seen:
                    item = ArticleError(item.source, f"duplicate article id {item.id!r} (first seen in {seen[item.id]})",
                                        line=item.line, hint="give each article a unique id")
                else:
                    seen[item.id] = item.location
            yield item
