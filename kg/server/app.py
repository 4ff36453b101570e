"""The ASGI app: /sparql, /store, /void, /graphql, a tiny home page and /healthz, with one JSON error
shape."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Mount, Route

from kg.errors import KGError
from kg.server.description import void_endpoint
from kg.server.http import http_error_handler, internal_error_handler, kg_error_handler
from kg.server.runner import StoreRunner
from kg.server.settings import ServerSettings
from kg.server.sparql import ALLOW, sparql_endpoint
from kg.server.store_protocol import ALLOW as STORE_ALLOW
from kg.server.store_protocol import graph_store_endpoint
from kg.server.ui import ui_routes
from kg.store import GraphStore

HOME = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kg</title></head>
<body><h1>kg: a knowledge graph of news events</h1>
<ul>
<li><a href="/sparql">/sparql</a>: SPARQL 1.1 endpoint (GET for the service description)</li>
<li><a href="/void">/void</a>: VoID description of the dataset</li>
<li>/store: SPARQL 1.1 Graph Store Protocol (reading is open; writing needs the update token)</li>
{graphql}<li><a href="/ui/sparql">/ui/sparql</a>: SPARQL query UI (YASGUI) with example queries</li>
<li><a href="/ui/graphql">/ui/graphql</a>: GraphQL query UI (GraphiQL)</li>
</ul></body></html>
"""


def create_app(store: GraphStore, settings: ServerSettings | None = None) -> Starlette:
    """The whole HTTP service over `store`, with the limits in `settings` (default: from $KG_*)."""
    settings = settings or ServerSettings.from_environment()
    runner = StoreRunner(settings)
    graph_store = graph_store_endpoint(store, settings, runner)
    void = void_endpoint(store, runner)
    graphql = _graphql(store, settings, runner)
    graphql_item = '<li><a href="/graphql">/graphql</a>: GraphQL endpoint</li>\n' if graphql else ""

    async def home(request: Request) -> HTMLResponse:
        return HTMLResponse(HOME.format(graphql=graphql_item))

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    routes = [
        Route("/", home),
        Route("/healthz", healthz),
        Route("/sparql", sparql_endpoint(store, settings, runner), methods=_methods(ALLOW), name="sparql"),
        Route("/store", graph_store, methods=_methods(STORE_ALLOW)),
        Route("/store/{path:path}", graph_store, methods=_methods(STORE_ALLOW)),
        Route("/void", void, name="void"),
        Route("/.well-known/void", void),
    ]
    if graphql is not None:
        # The Route answers /graphql itself (a Mount alone would redirect it to /graphql/).
        routes += [Route("/graphql", graphql), Mount("/graphql", graphql)]
    routes += ui_routes()
    app = Starlette(
        routes=routes,
        middleware=[
            # YASGUI and other browser clients query from other origins.
            Middleware(CORSMiddleware, allow_origins=["*"], allow_headers=["*"], max_age=86400,
                       allow_methods=["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"]),
        ],
        exception_handlers={
            KGError: kg_error_handler,
            HTTPException: http_error_handler,
            Exception: internal_error_handler,
        },
    )
    app.state.store = store
    return app


def _methods(allow: str) -> list[str]:
    return [m.strip() for m in allow.split(",")]


def _graphql(store: GraphStore, settings: ServerSettings, runner: StoreRunner):
    from kg.server.graphql import graphql_app

    return graphql_app(store, settings, runner.pool)


def serve(store: GraphStore, host: str = "127.0.0.1", port: int = 8000,
          settings: ServerSettings | None = None) -> None:
    """Serve `store` over HTTP until interrupted."""
    import uvicorn

    uvicorn.run(create_app(store, settings), host=host, port=port)
