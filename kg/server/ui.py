"""The browser query UIs: YASGUI at /ui/sparql and GraphiQL at /ui/graphql (and browser GETs of /graphql).

Both run from files this server serves itself (/ui/assets/...), never from a CDN: the npm packages
pinned in web/package-lock.json (`npm ci --prefix web`) and the small page scripts in templates/.
Every page carries a Content-Security-Policy that lets the browser fetch from this origin only.
"""

from __future__ import annotations

import html
import json
import os
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from kg.server.sparql_text import has_keyword
from kg.vocab import KG

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = Path(__file__).resolve().parent / "templates"
FIX = "npm ci --prefix web"

# URL name under /ui/assets/ -> path under node_modules. Only these files are served: no listing.
VENDOR = {
    "yasgui/yasgui.min.js": "@zazuko/yasgui/build/yasgui.min.js",
    "yasgui/yasgui.min.css": "@zazuko/yasgui/build/yasgui.min.css",
    "graphiql/graphiql.min.js": "graphiql/graphiql.min.js",
    "graphiql/graphiql.min.css": "graphiql/graphiql.min.css",
    "react/react.production.min.js": "react/umd/react.production.min.js",
    "react-dom/react-dom.production.min.js": "react-dom/umd/react-dom.production.min.js",
}
# Our own page scripts and styles, from templates/.
OWN = {"kg/ui.css": "ui.css", "kg/sparql.js": "sparql.js", "kg/graphql.js": "graphql.js"}
SPARQL_ASSETS = ("yasgui/yasgui.min.js", "yasgui/yasgui.min.css")
GRAPHQL_ASSETS = ("react/react.production.min.js", "react-dom/react-dom.production.min.js",
                  "graphiql/graphiql.min.js", "graphiql/graphiql.min.css")

# The browser may fetch from this origin only; styles may be inline (CodeMirror and GraphiQL set them).
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'")

GRAPHQL_EXAMPLE = """\
# Which officials surrendered in which provinces?
# Press the run button (or Ctrl-Enter). Each surrender comes with the people or groups that gave up
# (role AFFECTED), whom they surrendered to, the offices they hold, and the sentence that says so.
query OfficialsSurrendered {
  surrenders {
    date
    provinces { name }
    participants {
      role
      actor {
        name
        label
        ... on Person {
          positions { title place { name } }
        }
      }
    }
    evidence {
      text
      article { headline }
    }
  }
}
"""


def assets_dir() -> Path:
    """Where the npm packages are: $KG_WEB_ASSETS, else <repo>/web/node_modules."""
    configured = os.environ.get("KG_WEB_ASSETS")
    return Path(configured) if configured else REPO / "web" / "node_modules"


def _missing(names) -> list[str]:
    root = assets_dir()
    return [VENDOR[name] for name in names if not (root / VENDOR[name]).is_file()]


def _unavailable(missing: list[str]) -> HTMLResponse:
    items = "".join(f"<li><code>{html.escape(m)}</code></li>" for m in missing)
    body = (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>UI unavailable</title></head>"
            f"<body><h1>Query UI unavailable: its browser files are not installed</h1>"
            f"<p>Missing under <code>{html.escape(str(assets_dir()))}</code>:</p><ul>{items}</ul>"
            f"<p>Fix: run <code>{FIX}</code> in the repository (or set <code>$KG_WEB_ASSETS</code> to a "
            f"<code>node_modules</code> holding them), then reload. The /sparql and /graphql endpoints "
            f"work without them.</p></body></html>")
    return HTMLResponse(body, status_code=503, headers={"Retry-After": "3600"})


def _page(template: str, **values: str) -> HTMLResponse:
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    return HTMLResponse(text, headers={"Content-Security-Policy": CSP, "Cache-Control": "no-cache"})


def _json_for_script(value) -> str:
    # Inside <script type="application/json">, "</" would end the element early.
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


@dataclass(frozen=True)
class Example:
    """A saved query of queries/*.rq, as the SPARQL page offers it."""

    name: str
    title: str
    description: str
    query: str
    federated: bool  # calls Wikidata through SERVICE
    foreign: bool  # written for another endpoint (uses no kg: term): finds little in this store

    def as_json(self) -> dict:
        return {"name": self.name, "title": self.title, "description": self.description, "query": self.query,
                "federated": self.federated, "foreign": self.foreign}


def load_examples(queries_dir: Path) -> list[Example]:
    r"""The queries of `queries_dir`/*.rq. Their leading comment lines are the title (up to the first
    line ending a sentence) and the description (up to a blank or "Columns:" line).

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "a.rq").write_text("# Who is\n# where?\n# People.\n# Columns: ?p\nSELECT * { SERVICE <x> {} }")
    >>> [(e.name, e.title, e.description, e.federated, e.foreign) for e in load_examples(d)]
    [('a', 'Who is where?', 'People.', True, True)]
    """
    examples = []
    for path in sorted(queries_dir.glob("*.rq")) if queries_dir.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        comments = []
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            comments.append(line.lstrip("#").strip())
        title_lines = next((i + 1 for i, line in enumerate(comments[:3]) if line.endswith(("?", ".", "!", ")"))), 1)
        title = " ".join(comments[:title_lines]) or path.stem
        description = []
        for line in comments[title_lines:]:
            if not line or line.startswith("Columns:"):
                break
            description.append(line)
        examples.append(Example(path.stem, title, " ".join(description), text,
                                federated=has_keyword(text, "SERVICE"), foreign=KG.iri not in text))
    return examples


async def sparql_page(request: Request, queries_dir: Path | None = None) -> Response:
    """YASGUI against this server's /sparql, with the saved queries as examples to load."""
    missing = _missing(SPARQL_ASSETS)
    if missing:
        return _unavailable(missing)
    examples = load_examples(queries_dir or REPO / "queries")
    config = {"endpoint": "/sparql", "examples": [e.as_json() for e in examples]}
    return _page("sparql.html", CONFIG=_json_for_script(config))


def graphiql_page(request: Request) -> Response:
    """GraphiQL against this server's /graphql, opened on the "which officials surrendered" example."""
    missing = _missing(GRAPHQL_ASSETS)
    if missing:
        return _unavailable(missing)
    config = {"endpoint": "/graphql", "query": GRAPHQL_EXAMPLE}
    return _page("graphql.html", CONFIG=_json_for_script(config))


async def _graphiql(request: Request) -> Response:
    return graphiql_page(request)


async def _asset(request: Request) -> Response:
    name = request.path_params["name"]
    if name in OWN:
        return FileResponse(TEMPLATES / OWN[name], headers={"Cache-Control": "no-cache"})
    if name not in VENDOR:
        return PlainTextResponse("not found", status_code=404)
    path = assets_dir() / VENDOR[name]
    if not path.is_file():
        return PlainTextResponse(f"{VENDOR[name]} is not installed: run `{FIX}`", status_code=503)
    # The files are pinned by package-lock.json; an hour of caching is safe and spares reloads.
    return FileResponse(path, headers={"Cache-Control": "public, max-age=3600"})


def ui_routes(queries_dir: Path | None = None) -> list[BaseRoute]:
    """/ui/sparql, /ui/graphql and /ui/assets/{name}; examples from `queries_dir` (default <repo>/queries)."""

    async def sparql(request: Request) -> Response:
        return await sparql_page(request, queries_dir)

    return [
        Route("/ui/sparql", sparql, methods=["GET", "HEAD"], name="sparql_ui"),
        Route("/ui/graphql", _graphiql, methods=["GET", "HEAD"], name="graphql_ui"),
        Route("/ui/assets/{name:path}", _asset, methods=["GET", "HEAD"], name="ui_asset"),
    ]
