"""The SPARQL 1.1 Graph Store HTTP Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/) at /store.

A graph is named indirectly (`/store?graph=IRI`, `/store?default`) or directly (the request URL
`/store/some/path` is the graph's IRI). Reading is open like /sparql; PUT, POST and DELETE need the
update token. `?default` is the store's own default graph, not the union that queries see by
default (which could not be replaced or deleted as one graph). Each write is one transaction.
"""

from __future__ import annotations

import email
import email.policy
import uuid

from starlette.requests import Request
from starlette.responses import Response

from kg.errors import KGError, UsageError
from kg.server.http import (
    RDF_OFFERS,
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
from kg.store import GraphStore
from kg.terms import IRI

ALLOW = "GET, HEAD, PUT, POST, DELETE, OPTIONS"
_DEFAULT = object()  # the default graph; None means "no graph named"


class NotFound(KGError):
    http_status = 404
    code = "not_found"


def graph_store_endpoint(store: GraphStore, settings: ServerSettings, runner: StoreRunner):
    async def endpoint(request: Request) -> Response:
        try:
            return await _handle(store, settings, runner, request)
        except KGError as exc:
            return error_response(exc)

    return endpoint


async def _handle(store: GraphStore, settings: ServerSettings, runner: StoreRunner, request: Request) -> Response:
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={"Allow": ALLOW})
    target = _target(request)
    if request.method in ("GET", "HEAD"):
        if target is None:
            raise UsageError("name a graph", hint="use /store?graph=IRI, /store?default or /store/PATH")
        return await _get(store, settings, runner, request, target)
    require_update_token(request, settings.update_token)
    graph = None if target is _DEFAULT else target
    if request.method == "DELETE":
        if target is None:
            raise UsageError("name the graph to delete", hint="use /store?graph=IRI or /store?default")
        if not await runner.write(store.remove_graph, graph):
            raise NotFound(f"there is no graph {graph}")
        return Response(status_code=204)
    documents = await _documents(request, settings.max_body)
    headers = {}
    if target is None:  # POST to the store itself: a new graph, named by the server (GSP §5.5)
        if request.method != "POST":
            raise UsageError("name the graph to replace", hint="use /store?graph=IRI or /store?default")
        graph = IRI(f"{str(request.url.replace(query='', fragment='')).rstrip('/')}/{uuid.uuid4()}")
        headers["Location"] = graph.value
    created = graph is not None and not await runner.read(_exists, store, graph)
    await runner.write(store.write_graph, graph, documents, replace=request.method == "PUT")
    return Response(status_code=201 if created else 204, headers=headers)


def _exists(store: GraphStore, graph: IRI | None, *, deadline: float | None = None) -> bool:
    return store.has_graph(graph)


def _target(request: Request):
    """The graph a request names: an IRI, _DEFAULT, or None when it names none."""
    params = request.query_params
    named = params.getlist("graph")
    if len(named) > 1 or (named and "default" in params):
        raise UsageError("name one graph: either ?graph=IRI or ?default")
    if "default" in params:
        return _DEFAULT
    if named:
        return IRI(absolute_iri("graph", named[0]))
    if request.url.path.rstrip("/") != request.scope.get("root_path", "") + "/store":
        return IRI(str(request.url.replace(query="", fragment="")))  # direct identification
    return None


async def _get(store: GraphStore, settings: ServerSettings, runner: StoreRunner, request: Request, target) -> Response:
    offer = negotiate(request.headers.get("accept"), list(RDF_OFFERS))
    if offer is None:
        raise NotAcceptable("no acceptable RDF syntax for a graph", hint=f"accept one of {', '.join(RDF_OFFERS)}")
    graph = None if target is _DEFAULT else target
    if not await runner.read(_exists, store, graph):
        raise NotFound(f"there is no graph {graph}")
    body, media_type = await runner.read(store.graph_document, graph, RDF_OFFERS[offer], max_triples=settings.max_rows)
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})


async def _documents(request: Request, max_body: int) -> list[tuple[bytes, str]]:
    """The RDF documents of a PUT or POST body: the body itself, or each file of a multipart form."""
    content_type = request.headers.get("content-type", "")
    media = content_type.split(";")[0].strip().lower()
    if not media:
        raise UnsupportedMediaType("the body has no Content-Type", hint=f"send one of {', '.join(RDF_OFFERS)}")
    body = await read_body(request, max_body)
    if media != "multipart/form-data":
        return [(body, media)]
    message = email.message_from_bytes(b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body,
                                       policy=email.policy.HTTP)
    if not message.is_multipart():
        raise UsageError("cannot read the multipart/form-data body", hint="check its boundary")
    return [(part.get_payload(decode=True) or b"", part.get_content_type()) for part in message.iter_parts()]
