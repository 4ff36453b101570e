"""Reading articles: .txt files with optional NAME.json sidecars, .jsonl files, directories."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kg.articles import Article, discover, read_articles, read_jsonl, read_txt
from kg.errors import ArticleError

CAPTURE = "The Taliban captured Ghazni, the capital of Ghazni province, on Thursday, officials said.\n"
SURRENDER = "A district governor in Samangan province surrendered to the Taliban on Sunday, a police officer said.\n"
WITHDRAWAL = "Army units withdrew from the Lashkar Gah airport on Friday, a local elder said.\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def split(items) -> tuple[list[Article], list[ArticleError]]:
    items = list(items)
    good = [i for i in items if isinstance(i, Article)]
    bad = [i for i in items if isinstance(i, ArticleError)]
    assert len(good) + len(bad) == len(items)
    return good, bad


# --- .txt ------------------------------------------------------------------------------------
def test_articles_txt_alone_takes_id_from_stem(tmp_path):
    path = write(tmp_path / "ghazni-falls.txt", CAPTURE)
    article = read_txt(path)
    assert article.id == "ghazni-falls"
    assert article.text == CAPTURE
    assert article.source == str(path)
    assert article.published is None
    assert article.url is None and article.title is None and article.outlet is None
    assert article.language == "en"


def test_articles_txt_with_sidecar_metadata(tmp_path):
    path = write(tmp_path / "ghazni.txt", CAPTURE)
    write(tmp_path / "ghazni.json", json.dumps({
        "id": "wire-0042",
        "published": "2021-08-13",
        "outlet": "Example Wire",
        "url": "https://news.example.org/ghazni",
        "title": "Ghazni falls",
        "language": "en",
    }))
    article = read_txt(path)
    assert article.id == "wire-0042"
    assert article.published == dt.date(2021, 8, 13)
    assert article.outlet == "Example Wire"
    assert article.url == "https://news.example.org/ghazni"
    assert article.title == "Ghazni falls"
    assert article.text == CAPTURE


@pytest.mark.parametrize("value", ["2021-08-13T09:30:00Z", "2021-08-13T09:30:00+04:30", "2021-08-13 09:30"])
def test_articles_sidecar_accepts_iso_datetime_as_date(tmp_path, value):
    path = write(tmp_path / "ghazni.txt", CAPTURE)
    write(tmp_path / "ghazni.json", json.dumps({"published": value}))
    assert read_txt(path).published == dt.date(2021, 8, 13)


def test_articles_sidecar_invalid_json_names_sidecar_and_line(tmp_path):
    path = write(tmp_path / "ghazni.txt", CAPTURE)
    sidecar = write(tmp_path / "ghazni.json", '{\n  "outlet": "Example Wire",\n  "published": 2021-08-13\n}\n')
    with pytest.raises(ArticleError) as info:
        read_txt(path)
    assert info.value.source == str(sidecar)
    assert info.value.line == 3
    assert f"{sidecar}:3" in str(info.value)
    assert "invalid JSON" in str(info.value)


def test_articles_sidecar_with_text_is_refused(tmp_path):
    path = write(tmp_path / "ghazni.txt", CAPTURE)
    sidecar = write(tmp_path / "ghazni.json", json.dumps({"text": "something else", "outlet": "Example Wire"}))
    with pytest.raises(ArticleError) as info:
        read_txt(path)
    assert info.value.source == str(sidecar)
    assert '"text"' in str(info.value)


def test_articles_sidecar_bad_date_is_an_error_naming_the_sidecar(tmp_path):
    path = write(tmp_path / "ghazni.txt", CAPTURE)
    sidecar = write(tmp_path / "ghazni.json", json.dumps({"published": "13/08/2021"}))
    good, bad = split(read_articles([path]))
    assert good == []
    assert len(bad) == 1 and str(bad[0]).startswith(str(sidecar)) and "13/08/2021" in str(bad[0])


def test_articles_empty_txt_has_no_text(tmp_path):
    path = write(tmp_path / "empty.txt", "  \n\n")
    with pytest.raises(ArticleError, match="no text"):
        read_txt(path)


def test_articles_non_utf8_txt_is_an_error(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Les talibans ont pris Hérat jeudi.".encode("latin-1"))
    good, bad = split(read_articles([path]))
    assert good == []
    assert len(bad) == 1
    assert bad[0].source == str(path)
    assert "UTF-8" in str(bad[0])


def test_articles_non_utf8_jsonl_is_an_error(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_bytes(json.dumps({"text": "Les talibans ont pris Hérat."}, ensure_ascii=False).encode("latin-1") + b"\n")
    good, bad = split(read_articles([path]))
    assert good == []
    assert len(bad) == 1 and bad[0].source == str(path) and "UTF-8" in str(bad[0])


# --- .jsonl ----------------------------------------------------------------------------------
def test_articles_jsonl_good_and_bad_lines(tmp_path):
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "one", "text": CAPTURE, "published": "2021-08-13"}),     # 1 good
        '{"id": "two", "text": "unterminated',                                      # 2 invalid JSON
        json.dumps({"id": "three", "title": "no text here"}),                       # 3 missing text
        "",                                                                         # 4 blank: skipped
        json.dumps({"id": "four", "text": SURRENDER, "published": "2021-02-30"}),   # 5 bad date
        json.dumps({"id": "five", "text": SURRENDER, "author": "someone"}),         # 6 unknown field
        json.dumps({"id": "../six", "text": SURRENDER}),                            # 7 bad id
        json.dumps({"id": "seven", "text": WITHDRAWAL, "outlet": "Example Wire"}),  # 8 good
        json.dumps(["not", "an", "object"]),                                        # 9 not an object
        json.dumps({"text": SURRENDER}),                                            # 10 good, id from hash
    ]
    write(path, "\n".join(lines) + "\n")
    good, bad = split(read_jsonl(path))

    assert [a.id for a in good[:2]] == ["one", "seven"]
    assert good[0].published == dt.date(2021, 8, 13)
    assert good[1].outlet == "Example Wire" and good[1].published is None
    assert good[2].id.startswith("sha256-") and good[2].text == SURRENDER
    assert all(a.source == str(path) for a in good)

    assert [e.line for e in bad] == [2, 3, 5, 6, 7, 9]
    for error in bad:
        assert error.source == str(path)
        assert str(error).startswith(f"{path}:{error.line}: ")
    messages = {e.line: str(e) for e in bad}
    assert "invalid JSON" in messages[2]
    assert "no text" in messages[3]
    assert "2021-02-30" in messages[5]
    assert "author" in messages[6]
    assert "../six" in messages[7]
    assert "JSON object" in messages[9]


def test_articles_jsonl_through_read_articles_keeps_going(tmp_path):
    path = write(tmp_path / "batch.jsonl", "\n".join([
        "{broken",
        json.dumps({"id": "ok", "text": CAPTURE}),
    ]) + "\n")
    good, bad = split(read_articles([path]))
    assert [a.id for a in good] == ["ok"]
    assert [(e.source, e.line) for e in bad] == [(str(path), 1)]


# --- several files ---------------------------------------------------------------------------
def test_articles_duplicate_id_names_first_source(tmp_path):
    first = write(tmp_path / "a.jsonl", json.dumps({"id": "ghazni", "text": CAPTURE}) + "\n")
    second = write(tmp_path / "ghazni.txt", SURRENDER)
    good, bad = split(read_articles([first, second]))
    assert [a.id for a in good] == ["ghazni"] and good[0].text == CAPTURE
    assert len(bad) == 1
    assert bad[0].source == str(second)
    assert "duplicate article id 'ghazni'" in str(bad[0])
    assert str(first) in str(bad[0])


def test_articles_duplicate_id_across_txt_files_in_subdirectories(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    first = write(tmp_path / "x" / "story.txt", CAPTURE)
    second = write(tmp_path / "y" / "story.txt", SURRENDER)
    good, bad = split(read_articles([tmp_path]))
    assert [a.source for a in good] == [str(first)]
    assert len(bad) == 1 and bad[0].source == str(second) and str(first) in str(bad[0])


def test_articles_duplicate_id_inside_jsonl_names_the_lines(tmp_path):
    path = write(tmp_path / "batch.jsonl", "\n".join([
        json.dumps({"id": "dup", "text": CAPTURE}),
        json.dumps({"id": "other", "text": SURRENDER}),
        json.dumps({"id": "dup", "text": WITHDRAWAL}),
    ]) + "\n")
    good, bad = split(read_articles([path]))
    assert [a.id for a in good] == ["dup", "other"]
    assert len(bad) == 1
    assert bad[0].line == 3
    assert str(bad[0]).startswith(f"{path}:3: ")
    assert f"{path}:1" in str(bad[0])


def test_articles_sidecar_unknown_field_is_refused(tmp_path):
    path = write(tmp_path / "ghazni.txt", CAPTURE)
    write(tmp_path / "ghazni.json", json.dumps({"author": "someone"}))
    good, bad = split(read_articles([path]))
    assert good == []
    assert len(bad) == 1 and "author" in str(bad[0]) and "ghazni" in str(bad[0])


def test_articles_txt_stem_that_is_not_a_safe_id_is_an_error(tmp_path):
    path = write(tmp_path / "my story.txt", CAPTURE)
    good, bad = split(read_articles([path]))
    assert good == []
    assert len(bad) == 1 and bad[0].source == str(path) and "invalid id 'my story'" in str(bad[0])
    # a sidecar id rescues it
    write(tmp_path / "my story.json", json.dumps({"id": "my-story"}))
    good, bad = split(read_articles([path]))
    assert [a.id for a in good] == ["my-story"] and bad == []


def test_articles_directory_discovery_is_sorted_and_filters_suffixes(tmp_path):
    write(tmp_path / "b.txt", SURRENDER)
    write(tmp_path / "b.json", json.dumps({"published": "2021-08-09"}))
    write(tmp_path / "a.jsonl", json.dumps({"id": "from-jsonl", "text": CAPTURE}) + "\n")
    write(tmp_path / "notes.md", "# not an article\n")
    write(tmp_path / "c.csv", "text\nnot an article\n")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "c.txt", WITHDRAWAL)
    (tmp_path / "folder.txt").mkdir()  # a directory named like an article is not a file

    files = discover([tmp_path])
    assert files == [tmp_path / "a.jsonl", tmp_path / "b.txt", tmp_path / "sub" / "c.txt"]
    good, bad = split(read_articles([tmp_path]))
    assert bad == []
    assert [a.id for a in good] == ["from-jsonl", "b", "c"]
    assert good[1].published == dt.date(2021, 8, 9)


def test_articles_discovery_is_repeatable(tmp_path):
    for name in ["zeta", "alpha", "mid", "Beta"]:
        write(tmp_path / f"{name}.txt", CAPTURE)
    assert discover([tmp_path]) == discover([tmp_path]) == sorted(discover([tmp_path]))


def test_articles_unsupported_suffix_given_explicitly_is_an_error(tmp_path):
    path = write(tmp_path / "story.md", CAPTURE)
    good, bad = split(read_articles([path]))
    assert good == []
    assert len(bad) == 1
    assert bad[0].source == str(path)
    assert "unsupported file type '.md'" in str(bad[0])


def test_articles_missing_file_is_an_error_and_others_go_on(tmp_path):
    ok = write(tmp_path / "ok.txt", CAPTURE)
    missing = tmp_path / "missing.txt"
    good, bad = split(read_articles([missing, ok]))
    assert [a.id for a in good] == ["ok"]
    assert len(bad) == 1 and bad[0].source == str(missing)


def test_articles_content_hash_depends_on_text_only(tmp_path):
    a = Article(id="a", text=CAPTURE, source="x")
    b = Article(id="b", text=CAPTURE, source="y", published=dt.date(2021, 8, 13))
    c = Article(id="a", text=SURRENDER, source="x")
    assert a.content_hash == b.content_hash != c.content_hash


def test_articles_lone_surrogate_in_jsonl_text_is_a_bad_article_not_a_crash(tmp_path):
    path = write(tmp_path / "broken.jsonl", '{"id": "a", "text": "Ghazni fell \\ud800 today."}\n{"id": "b", "text": "Fine."}\n')
    good, bad = split(read_articles([path]))
    assert [a.id for a in good] == ["b"]
    assert len(bad) == 1 and str(bad[0]).startswith(f"{path}:1: ") and "invalid character" in str(bad[0])
