"""The query UIs (/ui/sparql: YASGUI, /ui/graphql and browser GETs of /graphql: GraphiQL), in real headless
Chromium against the real server over a socket, with every request off this machine blocked and recorded.

The browser tests skip when Chromium (/usr/bin/chromium), Playwright or the npm assets (`npm ci --prefix web`)
are missing, and fail instead when KG_REQUIRE_BROWSER=1 (CI sets it). `bash web/setup.sh --browser` installs
all of them.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from kg.server import ui
from kg.server.app import create_app
from kg.server.ui import GRAPHQL_ASSETS, SPARQL_ASSETS, VENDOR, graphiql_page, load_examples
from kg.store import GraphStore
from tests.servers import running_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REQUIRE = os.environ.get("KG_REQUIRE_BROWSER") == "1"
QUERIES = Path(__file__).resolve().parents[1] / "queries"
TIMEOUT_MS = 30_000  # the seed store answers in well under a second; this is slack for a busy 2-core CI


class Client:
    """A synchronous client calling the ASGI app in-process (starlette's TestClient is deprecated with httpx)."""

    def __init__(self, app):
        self.app = app

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        async def send():
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                return await client.request(method, url, **kwargs)

        return asyncio.run(send())

    def get(self, url: str, **kwargs) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs) -> httpx.Response:
        return self.request("POST", url, **kwargs)


@pytest.fixture
def fake_assets(tmp_path, monkeypatch) -> Path:
    """Empty stand-ins for the npm files, so the pages render without `npm ci` (content is not looked at)."""
    for rel in VENDOR.values():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("/* stand-in */")
    monkeypatch.setenv("KG_WEB_ASSETS", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="module")
def client() -> Client:
    return Client(create_app(GraphStore(None)))


# --- without a browser ------------------------------------------------------------------------
def test_missing_assets_answer_503_naming_the_fix_and_the_endpoints_keep_working(client, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_WEB_ASSETS", str(tmp_path / "nowhere"))
    for path in ("/ui/sparql", "/ui/graphql"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert "npm ci --prefix web" in response.text
    asset = client.get("/ui/assets/yasgui/yasgui.min.js")
    assert asset.status_code == 503 and "npm ci --prefix web" in asset.text
    # A browser GET of /graphql is the same GraphiQL page, so it degrades the same way.
    assert client.get("/graphql", headers={"Accept": "text/html"}).status_code == 503
    assert client.get("/healthz").json() == {"status": "ok"}
    ask = client.post("/sparql", data={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"})
    assert ask.status_code == 200 and ask.json()["boolean"] is True
    assert client.post("/graphql", json={"query": "{ surrenders { id } }"}).json() == {"data": {"surrenders": []}}


def test_pages_reference_only_this_origin_and_forbid_others_by_csp(client, fake_assets):
    for path in ("/ui/sparql", "/ui/graphql"):
        response = client.get(path)
        assert response.status_code == 200, path
        urls = re.findall(r'(?:src|href)="([^"]*)"', response.text)
        assert urls and all(u.startswith("/") and not u.startswith("//") for u in urls), urls
        for url in urls:  # every file the page loads is served
            assert client.get(url).status_code == 200, url
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "connect-src 'self'" in csp and "script-src 'self';" in csp


def test_assets_serve_only_the_listed_files(client, fake_assets):
    (fake_assets / "graphiql" / "package.json").write_text("{}")
    assert client.get("/ui/assets/graphiql/graphiql.min.js").status_code == 200
    assert client.get("/ui/assets/kg/sparql.js").status_code == 200
    for path in ("/ui/assets/", "/ui/assets/graphiql", "/ui/assets/graphiql/package.json",
                 "/ui/assets/%2e%2e/pyproject.toml", "/ui/assets/kg/%2e%2e/%2e%2e/ui.py"):
        assert client.get(path).status_code == 404, path


def test_graphiql_page_embeds_the_surrenders_example(fake_assets):
    from starlette.requests import Request

    request = Request({"type": "http", "method": "GET", "path": "/graphql", "headers": [], "query_string": b""})
    response = graphiql_page(request)
    page = response.body.decode()
    assert response.status_code == 200 and response.media_type == "text/html"
    for field in ("surrenders", "participants", "... on Person", "positions", "provinces", "evidence", "headline"):
        assert field in page, field
    assert '"endpoint": "/graphql"' in page


def test_graphql_example_query_is_valid_against_the_schema():
    from graphql import build_schema, parse, validate

    schema = build_schema((QUERIES.parent / "schema.graphql").read_text())
    assert validate(schema, parse(ui.GRAPHQL_EXAMPLE)) == []


def test_examples_come_from_the_saved_queries_with_titles_and_labels():
    examples = {e.name: e for e in load_examples(QUERIES)}
    assert set(examples) == {p.stem for p in QUERIES.glob("*.rq")}
    assert examples["officials_surrendered"].title == "Which officials surrendered in which provinces?"
    assert examples["officials_surrendered"].description.startswith("One row per person or group")
    assert not examples["officials_surrendered"].federated
    assert examples["province_population_federated"].federated
    assert examples["wikidata_places"].foreign and not examples["capitals_captured"].foreign


def test_example_json_cannot_close_its_script_element(tmp_path, fake_assets):
    from starlette.applications import Starlette

    (tmp_path / "x.rq").write_text("# A </script><script>alert(1)</script> title\nASK {}")
    response = Client(Starlette(routes=ui.ui_routes(tmp_path))).get("/ui/sparql")
    assert response.status_code == 200
    assert "</script><script>alert" not in response.text and "<\\/script>" in response.text


# --- in headless Chromium ---------------------------------------------------------------------
def _browser_unavailable() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed: pip install -e '.[test]'"
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        return "Chromium is missing: bash web/setup.sh --browser (apt-get install chromium)"
    missing = [VENDOR[n] for n in SPARQL_ASSETS + GRAPHQL_ASSETS if not (ui.assets_dir() / VENDOR[n]).is_file()]
    if missing:
        return f"npm assets missing under {ui.assets_dir()} ({', '.join(missing)}): npm ci --prefix web"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = _browser_unavailable()
    if reason:
        if REQUIRE:
            pytest.fail(f"KG_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        executable = CHROMIUM if CHROMIUM.exists() else Path(shutil.which("chromium"))
        browser = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def base_url(seed_store) -> str:
    with running_server(create_app(seed_store)) as url:
        yield url


class Visit:
    """A fresh browser context (no stored tabs) that lets only this server through and records the rest."""

    def __init__(self, browser, base_url: str):
        self.base = urlsplit(base_url)
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.blocked: list[str] = []
        self.local: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))

    def _route(self, route) -> None:
        url = urlsplit(route.request.url)
        if url.hostname in ("127.0.0.1", "localhost") and url.port == self.base.port:
            self.local.append((route.request.method, url.path))
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def check_clean(self) -> None:
        assert self.blocked == [], f"requests off this machine were attempted: {self.blocked}"
        assert self.errors == [], self.errors


@pytest.fixture
def visit(browser, base_url):
    visit = Visit(browser, base_url)
    yield visit
    visit.context.close()


@pytest.mark.slow
def test_yasgui_runs_an_example_query_against_our_endpoint(visit, base_url):
    from playwright.sync_api import expect

    page = visit.page
    page.goto(base_url + "/ui/sparql")
    expect(page.locator(".yasqe .CodeMirror")).to_be_visible()  # the editor rendered
    buttons = page.locator("#kg-examples button")
    expect(buttons).to_have_count(len(list(QUERIES.glob("*.rq"))))
    federated = page.locator("#kg-examples li", has=page.locator("button[data-example=province_population_federated]"))
    expect(federated).to_contain_text("calls Wikidata")

    page.click("button[data-example=officials_surrendered]")
    expect(page.locator(".tabsList .tab.active")).to_contain_text("Which officials surrendered")
    assert "kg:Surrender" in page.locator(".yasqe .CodeMirror").last.inner_text()
    assert page.locator(".tabPanel.active input.autocomplete").input_value() == base_url + "/sparql"
    page.locator(".tabPanel.active .yasqe_queryButton").click()

    table = page.locator(".tabPanel.active .yasr tbody")
    expect(table).to_contain_text("Samangan")  # a province of the seed articles
    expect(table).to_contain_text("Asif Azimi")  # the warlord who surrendered there
    assert ("POST", "/sparql") in visit.local

    # Typing a property or class asks YASGUI's default completers for suggestions from a public
    # vocabulary service; ours must stay offline.
    page.locator(".tabsList .addTab").click()
    page.locator(".tabPanel.active .CodeMirror").last.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT * WHERE { ?s a rdfs:Cla")
    page.keyboard.press("Control+Space")
    page.keyboard.type(" ; rdfs:lab")
    page.keyboard.press("Control+Space")
    page.wait_for_timeout(1000)  # completers fetch asynchronously; give a fetch time to be attempted
    visit.check_clean()


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/ui/graphql", "/graphql"])
def test_graphiql_runs_its_example_and_shows_a_surrendered_official(visit, base_url, path):
    from playwright.sync_api import expect

    page = visit.page
    page.goto(base_url + path)
    editor = page.locator(".graphiql-query-editor")
    expect(editor).to_contain_text("surrenders")
    page.locator(".graphiql-execute-button").click()
    # The first surrender in the pane (on screen, so in the DOM) is in Samangan ...
    expect(page.locator(".graphiql-response")).to_contain_text('"name": "Samangan"')
    # ... and a named official comes further down: CodeMirror renders only the lines in view, so read
    # the whole result from the result editor itself.
    result = page.wait_for_function(
        "() => { const cm = document.querySelector('.graphiql-response .CodeMirror');"
        " const text = cm && cm.CodeMirror.getValue(); return text && text.includes('Asif Azimi') && text; }")
    assert '"errors"' not in result.json_value()
    assert ("POST", "/graphql") in visit.local
    visit.check_clean()
