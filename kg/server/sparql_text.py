"""Reading SPARQL text without a full parser: keywords, SERVICE targets and the dataset of an update.

The server must decide some things before pyoxigraph parses a request (is there a LOAD? which
endpoints does SERVICE call?) and must add `USING` clauses to updates, which pyoxigraph's API cannot
take as parameters. Strings, comments and IRIs are read as whole tokens, so a keyword inside a
literal never counts; anything this reader cannot follow is treated as the risky case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.errors import UsageError

_TOKEN = re.compile(
    r'''(?P<space>\s+|\#[^\n]*)'''
    r'''|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')'''
    r'''|(?P<iri><[^<>"{}|^`\\\s]*>)'''
    r'''|(?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)'''
    r'''|(?P<pname>(?P<name>[A-Za-z_][A-Za-z0-9_.\-\u00B7-\uFFFF]*)?:(?P<local>[A-Za-z0-9_\-.%\u00B7-\uFFFF]*))'''
    r'''|(?P<word>[A-Za-z_][A-Za-z0-9_\-]*)'''
    r'''|(?P<other>.)''',
    re.S,
)


@dataclass(frozen=True)
class Token:
    kind: str  # string, iri, var, pname, word, other
    text: str
    start: int
    end: int
    depth: int  # braces open before this token
    prefix: str | None = None  # pname only
    local: str | None = None

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.text.upper() in words


def tokens(text: str) -> list[Token]:
    """The tokens of `text`, comments and white space dropped, each with its brace depth."""
    out: list[Token] = []
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "space":
            continue
        value = match.group()
        if kind == "other" and value == "}":
            depth = max(depth - 1, 0)
        out.append(Token(kind, value, match.start(), match.end(), depth,
                         match.group("name") or "" if kind == "pname" else None,
                         match.group("local") if kind == "pname" else None))
        if kind == "other" and value == "{":
            depth += 1
    return out


def has_keyword(text: str, word: str) -> bool:
    """Whether `word` is used as a keyword (not inside a string, comment or IRI)."""
    if word.lower() not in text.lower():
        return False  # most requests: one scan of the text
    return any(t.is_word(word.upper()) for t in tokens(text))


def service_targets(query: str, prefixes: dict[str, str] | None = None) -> list[str | None]:
    """The endpoint IRI of every SERVICE in `query`, in order (None for a variable target)."""
    known = dict(prefixes or {})
    toks = [t for t in tokens(query) if t.kind != "string"]
    targets: list[str | None] = []
    for index, token in enumerate(toks):
        if token.is_word("PREFIX"):
            # PREFIX name: <iri> - the name token is "name:" (a prefixed name with an empty local part)
            if index + 2 < len(toks) and toks[index + 1].kind == "pname" and toks[index + 2].kind == "iri":
                known[toks[index + 1].prefix or ""] = toks[index + 2].text[1:-1]
        if not token.is_word("SERVICE"):
            continue
        following = toks[index + 1:index + 3]
        if following and following[0].is_word("SILENT"):
            following = following[1:]
        target = following[0] if following else None
        if target is not None and target.kind == "iri":
            targets.append(target.text[1:-1])
        elif target is not None and target.kind == "pname" and target.prefix in known:
            targets.append(known[target.prefix] + target.local)
        else:
            targets.append(None)  # a variable, or a target this reader cannot resolve
    return targets


def with_dataset(update: str, using: list[str], using_named: list[str]) -> str:
    """`update` with the protocol's using-graph-uri / using-named-graph-uri as USING clauses.

    SPARQL 1.1 Protocol §2.2.3: they set the dataset of every operation's WHERE clause, and a request
    that also says USING or WITH itself is an error. `DELETE WHERE { P }` cannot take USING, so it is
    written out as the equivalent `DELETE { P } USING ... WHERE { P }`.
    """
    if not using and not using_named:
        return update
    toks = tokens(update)
    top = [t for t in toks if t.depth == 0]
    if any(t.is_word("USING", "WITH") for t in top):
        raise UsageError("the update names its dataset (USING or WITH) and so does the request "
                         "(using-graph-uri / using-named-graph-uri)",
                         hint="give the dataset in one place only (SPARQL 1.1 Protocol §2.2.3)")
    clauses = "".join(f" USING <{g}>" for g in using) + "".join(f" USING NAMED <{g}>" for g in using_named) + " "
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), applied from the end
    for index, token in enumerate(top):
        if not token.is_word("WHERE"):
            continue
        previous = top[index - 1] if index else None
        if previous is not None and previous.is_word("DELETE"):
            body = _group_text(update, toks, token)
            edits.append((token.start, token.end, ""))  # DELETE { P } USING ... WHERE { P }
            end = _group_end(toks, token)
            edits.append((end, end, clauses + "WHERE " + body))
        else:
            edits.append((token.start, token.start, clauses))
    for start, end, text in sorted(edits, reverse=True):
        update = update[:start] + text + update[end:]
    return update


def _group_end(toks: list[Token], keyword: Token) -> int:
    """The offset just after the { ... } group that follows `keyword`."""
    index = toks.index(keyword) + 1
    if index >= len(toks) or toks[index].text != "{":
        raise UsageError(f"expected {{ after {keyword.text} at offset {keyword.start}")
    for token in toks[index + 1:]:
        if token.text == "}" and token.depth == keyword.depth:
            return token.end
    raise UsageError(f"unclosed {{ after {keyword.text} at offset {keyword.start}")


def _group_text(text: str, toks: list[Token], keyword: Token) -> str:
    start = toks[toks.index(keyword) + 1].start
    return text[start:_group_end(toks, keyword)]
