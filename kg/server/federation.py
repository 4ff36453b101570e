"""Which remote endpoints a query may call through SERVICE, checked before it runs.

pyoxigraph evaluates SERVICE itself, so an open endpoint would make HTTP requests to any host a
client names: to internal services too (server-side request forgery). Only the endpoints on the
allow-list (by default Wikidata's) may be called; a SERVICE whose target is a variable, or one
not on the list, is refused with 403 before anything runs.

The check reads the query's tokens (kg.server.sparql_text), not its algebra: it must refuse what it
cannot understand rather than miss a SERVICE inside it.
"""

from __future__ import annotations

import os

from kg.server.http import Forbidden
from kg.server.sparql_text import service_targets

WIKIDATA_ENDPOINT = "https://query.wikidata.org/sparql"
DEFAULT_ALLOWED = (WIKIDATA_ENDPOINT,)
ENVIRONMENT = "KG_SERVICE_ALLOW"  # space- or comma-separated endpoint IRIs; "none" allows none


def allowed_endpoints(configured: list[str] | None = None) -> tuple[str, ...]:
    """The allow-list: `configured` (from --allow-service), else $KG_SERVICE_ALLOW, else Wikidata."""
    values = configured if configured else os.environ.get(ENVIRONMENT, "").replace(",", " ").split()
    if not values:
        return DEFAULT_ALLOWED
    return () if [v.lower() for v in values] == ["none"] else tuple(values)


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
