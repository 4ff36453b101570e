"""The SPARQL 1.1 Protocol endpoint (https://www.w3.org/TR/sparql11-protocol/): queries, and updates
when the server has an update token.

Queries run, and their answers are serialised, in a worker thread: pyoxigraph result iterators are
bound to the thread that created them, so nothing here iterates results on the event loop.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

from kg.errors import KGError, UsageError
from kg.server.description import iri_of, service_description
from kg.server.federation import check_services
from kg.server.http import (
    Forbidden,
    NotAcceptable,
    UnsupportedMediaType,
    absolute_iri,
    error_response,
    negotiate,
    read_body,
    require_update_token,
)
from kg.server.runner import StoreRunner
from kg.server.settings import ServerSettings
from kg.server.sparql_text import has_keyword, with_dataset
from kg.store import GraphStore, turtle_as
from kg.terms import IRI
from kg.vocab import PREFIXES

# Offered media types -> store format names, in order of preference (the first is the default).
RESULT_MEDIA = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
}
GRAPH_MEDIA = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/rdf+xml": "rdfxml",
    "application/ld+json": "jsonld",
    "application/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/json": "jsonld",
}
# `format=` names; the aliases cover what SPARQLWrapper sends (it adds format=<its return format>).
RESULT_NAMES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv"}
GRAPH_NAMES = {
    "turtle": "turtle", "ttl": "turtle", "n3": "turtle",
    "ntriples": "ntriples", "nt": "ntriples", "n-triples": "ntriples",
    "rdfxml": "rdfxml", "rdf+xml": "rdfxml", "xml": "rdfxml",
    "jsonld": "jsonld", "json-ld": "jsonld", "json": "jsonld",
}

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
ALLOW = "GET, HEAD, POST, OPTIONS"

# The query form is only known after parsing; this skips the prologue to pick the formats to
# negotiate before running anything. A wrong guess is harmless: the result kind is checked again.
_PROLOGUE = re.compile(r"(?:\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s*[^\s:]*:\s*<[^>]*>)*", re.I)
_FORM = re.compile(r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)


def query_form(query: str) -> str | None:
    """'results' for SELECT/ASK, 'graph' for CONSTRUCT/DESCRIBE, None when unsure."""
    match = _FORM.match(query, _PROLOGUE.match(query).end())
    if match is None:
        return None
    return "graph" if match.group(1).upper() in ("CONSTRUCT", "DESCRIBE") else "results"


def sparql_endpoint(store: GraphStore, settings: ServerSettings, runner: StoreRunner):
    """The Starlette endpoint for /sparql (GET, HEAD, POST, OPTIONS), within `settings`' limits."""

    async def endpoint(request: Request) -> Response:
        try:
            response = await _handle(store, settings, runner, request)
        except KGError as exc:
            response = error_response(exc)
        response.headers["Vary"] = "Accept"
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response

    return endpoint


async def _handle(store: GraphStore, settings: ServerSettings, runner: StoreRunner, request: Request) -> Response:
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={"Allow": ALLOW})
    params = await _read_params(request, settings.max_body)
    queries, updates = params.get("query", []), params.get("update", [])
    if queries and updates:
        raise UsageError("the request has both a query and an update", hint="send one operation per request")
    if updates:
        return await _update(store, settings, runner, request, params)
    accept = request.headers.get("accept")
    # format= may repeat or list several values (SPARQLWrapper sends "tsv" and its media type);
    # unknown ones are skipped as long as one is known.
    requested = [f.strip().lower() for v in params.get("format", []) for f in v.split(",") if f.strip()]
    formats = [f for f in requested if _pick(f, RESULT_NAMES, RESULT_MEDIA) or _pick(f, GRAPH_NAMES, GRAPH_MEDIA)]
    if requested and not formats:
        raise UsageError(f"unknown format={','.join(requested)}",
                         hint="use json, xml, csv or tsv for SELECT/ASK; turtle, ntriples, rdfxml or jsonld "
                              "for CONSTRUCT/DESCRIBE; or a media type")
    result_format = _choose(formats, accept, RESULT_NAMES, RESULT_MEDIA)
    graph_format = _choose(formats, accept, GRAPH_NAMES, GRAPH_MEDIA)

    if not queries:
        if request.method in ("GET", "HEAD"):
            return _service_description(settings, request, graph_format, accept, formats)
        raise UsageError("missing query",
                         hint="send the query as `query=` (form) or as an application/sparql-query body")
    if len(queries) > 1:
        raise UsageError("the query was given more than once",
                         hint="send exactly one query: in the URL for GET, in the body for POST")
    query = queries[0]
    if not query.strip():
        raise UsageError("empty query")

    check_services(query, settings.allowed_services, PREFIXES)
    form = query_form(query)
    if (form == "results" and result_format is None) or (form == "graph" and graph_format is None):
        raise _not_acceptable(form, accept, formats)
    answer = await runner.read(
        store.execute,
        query,
        result_format=result_format or "json",
        graph_format=graph_format or "turtle",
        default_graphs=_graphs(params, "default-graph-uri"),
        named_graphs=_graphs(params, "named-graph-uri"),
        base_iri=_endpoint_iri(request),
        max_rows=settings.max_rows,
    )
    kind = "graph" if answer.kind == "graph" else "results"
    if (kind == "results" and result_format is None) or (kind == "graph" and graph_format is None):
        raise _not_acceptable(kind, accept, formats)
    return Response(answer.body, media_type=answer.media_type)


async def _update(store: GraphStore, settings: ServerSettings, runner: StoreRunner, request: Request,
                  params: dict[str, list[str]]) -> Response:
    """A SPARQL 1.1 Update (https://www.w3.org/TR/sparql11-protocol/#update-operation)."""
    if request.method != "POST":
        raise UsageError("an update must be sent with POST", hint=f"POST it as {UPDATE} or as a form field `update=`")
    updates = params["update"]
    if len(updates) > 1:
        raise UsageError("the update was given more than once", hint="send one update; join operations with ';'")
    require_update_token(request, settings.update_token)
    update = updates[0]
    if has_keyword(update, "LOAD"):
        raise Forbidden("LOAD is not allowed on this server: it would fetch documents from other hosts",
                        hint="send the data itself, with INSERT DATA or a PUT/POST to /store")
    check_services(update, settings.allowed_services, PREFIXES)
    update = with_dataset(update, _iris(params, "using-graph-uri"), _iris(params, "using-named-graph-uri"))
    await runner.write(store.update, update, base_iri=_endpoint_iri(request))
    return Response(status_code=204)


async def _read_params(request: Request, max_body: int) -> dict[str, list[str]]:
    """All protocol parameters, from the URL and (for POST) the body."""
    params = _multi(request.query_params.multi_items())
    if request.method == "POST":
        content_type = request.headers.get("content-type", "")
        media, *options = (part.strip() for part in content_type.split(";"))
        media = media.lower()
        if media not in (FORM, QUERY, UPDATE):
            raise UnsupportedMediaType(
                f"cannot read a POST body of type {content_type or '(none)'!r}",
                hint=f"POST a query as {FORM} (query=...) or as {QUERY}; an update as {FORM} (update=...) or as {UPDATE}")
        charset = next((o.split("=", 1)[1].strip('"') for o in options if o.lower().startswith("charset=")), "utf-8")
        if charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
            raise UnsupportedMediaType(f"the body is in {charset}; the SPARQL protocol takes UTF-8 only",
                                       hint="send the body in UTF-8")
        try:
            text = (await read_body(request, max_body)).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UsageError(f"cannot decode the request body: {exc}", hint="send UTF-8") from exc
        direct = {QUERY: "query", UPDATE: "update"}.get(media)
        body = {direct: [text]} if direct else _multi(parse_qsl(text, keep_blank_values=True))
        for name in ("query", "update"):
            if name in params and name in body:
                raise UsageError(f"the {name} was given both in the URL and in the body",
                                 hint="send it in the body only")
        for name, values in body.items():
            params.setdefault(name, []).extend(values)
    return params


def _multi(pairs) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in pairs:
        out.setdefault(name, []).append(value)
    return out


def _pick(value: str, names: dict[str, str], media: dict[str, str]) -> str | None:
    return names.get(value) or media.get(value.split(";")[0].strip())


def _choose(formats: list[str], accept: str | None, names: dict[str, str], media: dict[str, str]) -> str | None:
    """The store format for one family: `format=` wins over Accept; None when nothing fits."""
    if formats:
        return next((name for f in formats if (name := _pick(f, names, media))), None)
    offer = negotiate(accept, list(media))
    return media[offer] if offer else None


def _not_acceptable(form: str | None, accept: str | None, formats: list[str]) -> NotAcceptable:
    what, media, names = (("SELECT/ASK", RESULT_MEDIA, "json, xml, csv, tsv") if form == "results"
                          else ("CONSTRUCT/DESCRIBE", GRAPH_MEDIA, "turtle, ntriples, rdfxml, jsonld"))
    asked = f"format={','.join(formats)}" if formats else f"Accept: {accept}"
    return NotAcceptable(f"no acceptable format for {what} answers ({asked})",
                         hint=f"accept one of {', '.join(media)}; or pass format= one of {names}")


def _iris(params: dict[str, list[str]], name: str) -> list[str]:
    return [absolute_iri(name, value) for value in params.get(name, [])]


def _graphs(params: dict[str, list[str]], name: str) -> list[IRI] | None:
    return [IRI(v) for v in _iris(params, name)] or None


def _endpoint_iri(request: Request) -> str:
    """This endpoint's URL: the base IRI of queries and updates (SPARQL 1.1 Protocol §2.2.3), and the
    sd:endpoint of the service description."""
    return iri_of(request.url.replace(query="", fragment=""))


def _service_description(settings: ServerSettings, request: Request, graph_format: str | None, accept: str | None,
                         formats: list[str]) -> Response:
    if graph_format is None:
        raise _not_acceptable("graph", accept, formats)
    endpoint = _endpoint_iri(request)
    turtle = service_description(endpoint, iri_of(request.url_for("void")),
                                 updates=settings.update_token is not None, federation=bool(settings.allowed_services))
    body, media_type = turtle_as(turtle, graph_format)
    return Response(body, media_type=media_type)
