"""Which remote endpoints a query may call through SERVICE, checked before it runs.

pyoxigraph evaluates SERVICE itself, so an open endpoint would make HTTP requests to any host a
client names: to internal services too (server-side request forgery). Only the endpoints on the
allow-list (by default Wikidata's) may be called; a SERVICE whose target is a variable, or one
not on the list, is refused with 403 before anything runs.

The check reads the query's tokens (strings, comments and IRIs skipped as wholes), not its
algebra: it must refuse what it cannot understand rather than miss a SERVICE inside it.
"""

from __future__ import annotations

import os
import re

from kg.server.http import Forbidden

WIKIDATA_ENDPOINT = "https://query.wikidata.org/sparql"
DEFAULT_ALLOWED = (WIKIDATA_ENDPOINT,)
ENVIRONMENT = "KG_SERVICE_ALLOW"  # space- or comma-separated endpoint IRIs; "none" allows none

_TOKEN = re.compile(
    r'''(?P<skip>\s+|\#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')'''
    r'''|(?P<iri><[^<>"{}|^`\\\s]*>)'''
    r'''|(?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)'''
    r'''|(?P<pname>(?P<name>[A-Za-z_][A-Za-z0-9_.\-\u00B7-\uFFFF]*)?:(?P<local>[A-Za-z0-9_\-.%\u00B7-\uFFFF]*))'''
    r'''|(?P<word>[A-Za-z_][A-Za-z0-9_\-]*)'''
    r'''|(?P<other>.)''',
    re.S,
)


def allowed_endpoints(configured: list[str] | None = None) -> tuple[str, ...]:
    """The allow-list: `configured` (from --allow-service), else $KG_SERVICE_ALLOW, else Wikidata."""
    values = configured if configured else os.environ.get(ENVIRONMENT, "").replace(",", " ").split()
    if not values:
        return DEFAULT_ALLOWED
    return () if [v.lower() for v in values] == ["none"] else tuple(values)


def service_targets(query: str, prefixes: dict[str, str] | None = None) -> list[str | None]:
    """The endpoint IRI of every SERVICE in `query`, in order (None for a variable target)."""
    known = dict(prefixes or {})
    tokens = [m for m in _TOKEN.finditer(query) if m.lastgroup != "skip"]
    targets: list[str | None] = []
    for index, token in enumerate(tokens):
        if token.lastgroup == "word" and token.group().upper() == "PREFIX":
            # PREFIX name: <iri> - the name token is "name:" (a prefixed name with an empty local part)
            if index + 2 < len(tokens) and tokens[index + 2].lastgroup == "iri":
                known[tokens[index + 1].group("name") or ""] = tokens[index + 2].group()[1:-1]
        if not (token.lastgroup == "word" and token.group().upper() == "SERVICE"):
            continue
        following = tokens[index + 1:index + 3]
        if following and following[0].lastgroup == "word" and following[0].group().upper() == "SILENT":
            following = following[1:]
        target = following[0] if following else None
        if target is not None and target.lastgroup == "iri":
            targets.append(target.group()[1:-1])
        elif target is not None and target.lastgroup == "pname" and (target.group("name") or "") in known:
            targets.append(known[target.group("name") or ""] + target.group("local"))
        else:
            targets.append(None)  # a variable, or a target this reader cannot resolve
    return targets


def check_services(query: str, allowed: tuple[str, ...], prefixes: dict[str, str] | None = None) -> None:
    """Raise Forbidden (403) when `query` calls an endpoint that is not on `allowed`."""
    if "service" not in query.lower():
        return  # most queries: one scan of the text
    for target in service_targets(query, prefixes):
        if target is None:
            raise Forbidden("SERVICE with a variable or unresolved endpoint is not allowed on this server",
                            hint=f"name the endpoint as an IRI; allowed: {', '.join(allowed) or 'none'}")
        if target not in allowed:
            raise Forbidden(f"SERVICE <{target}> is not on this server's allow-list",
                            hint=f"allowed: {', '.join(allowed) or 'none'} (set with `kg serve --allow-service` "
                                 f"or ${ENVIRONMENT})")
