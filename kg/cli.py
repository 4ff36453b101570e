"""The `kg` command line.

    kg build INPUT... [--store DIR]        build or update the graph from articles (--jobs, --sync)
    kg remove ID... [--store DIR]          remove articles and the facts only they support
    kg query FILE.rq|- [--format ...]      run a SPARQL query (saved queries live in queries/)
    kg serve [--store DIR] [--host --port] serve /sparql and /graphql (builds seeds/ into an empty store)
    kg export [--format nquads|trig]       write the whole graph
    kg extract FILE                        show what the pipeline finds in one article (JSON)
    kg validate [--store DIR]              check the graph against the SHACL shapes
    kg evaluate GOLD... [--min-event-f1 F] score extraction against gold annotations
    kg import-wikidata --places F [--actors F] --out DIR [--trust]
                                           add places and actors from Wikidata query results to a gazetteer
    kg reconcile NAME... [--kind K]        (online) Wikidata candidates for names the gazetteer lacks

Exit codes: 0 success; 1 internal error; 2 usage; 3 some articles could not be read (the others were
built); 4 a data file is broken; 5 malformed query; 6 store error; 8 the graph does not conform to
the shapes; 9 evaluation below the targets given, or a denied event stated as a fact. (7 is reserved
for query timeouts.)
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from pathlib import Path

from kg.errors import KGError, UsageError
from kg.store import DEFAULT_STORE, GraphStore
from kg.terms import IRI, Literal

SEEDS = Path("seeds")
EXIT_NOT_CONFORMING = 8
EXIT_BELOW_TARGET = 9


def _store(args, *, read_only: bool = False):
    """The embedded store in a directory, or a remote one when --store is a URL with a scheme."""
    if "://" in args.store:
        from kg.remote_store import RemoteStore, layout_from

        layout = layout_from(args.store_layout, {"query": args.store_query, "update": args.store_update,
                                                 "data": args.store_data, "graph_parameter": args.store_graph_parameter,
                                                 "union": args.store_union, "auth": args.store_auth})
        return RemoteStore(args.store, layout)
    if read_only and not Path(args.store).exists():
        raise UsageError(f"no store at {args.store}", hint="build one first: kg build seeds/ (or pass --store DIR)")
    return GraphStore(Path(args.store), read_only=read_only)


def cmd_build(args) -> int:
    from kg.build import BATCH_SIZE, build
    from kg.workers import default_jobs

    store = _store(args)
    report = build(args.inputs, store, jobs=args.jobs or default_jobs(), batch_size=args.batch_size or BATCH_SIZE,
                   sync=args.sync, progress=None if not args.quiet else False, force=args.force)
    print(report.summary(), file=sys.stderr)
    for error in report.failed:
        print(f"  failed: {error}", file=sys.stderr)
    return 0 if report.ok else 3


def cmd_remove(args) -> int:
    from kg.build import remove

    removed = remove(_store(args), *args.ids)
    for article_id in args.ids:
        print(f"{'removed' if article_id in removed else 'not in the store'}: {article_id}", file=sys.stderr)
    return 0 if len(removed) == len(set(args.ids)) else 3


def _text(term) -> str:
    if isinstance(term, IRI):
        return term.value
    if isinstance(term, Literal):
        return term.lexical
    return "" if term is None else str(term)


def _table(variables: list[str], rows: list[dict], out) -> None:
    cells = [[_text(row.get(v)).replace("\n", " ") for v in variables] for row in rows]
    widths = [min(60, max([len(v)] + [len(c[i]) for c in cells])) for i, v in enumerate(variables)]
    clip = lambda text, width: text if len(text) <= width else text[: width - 1] + "…"  # noqa: E731
    print("  ".join(v.ljust(w) for v, w in zip(variables, widths)), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for c in cells:
        print("  ".join(clip(text, w).ljust(w) for text, w in zip(c, widths)), file=out)
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", file=out)


def cmd_query(args) -> int:
    if args.file == "-":
        sparql = sys.stdin.read()
    else:
        path = Path(args.file)
        if not path.is_file():
            raise UsageError(f"no such query file: {path}", hint="saved queries are in queries/, e.g. queries/officials_surrendered.rq")
        sparql = path.read_text(encoding="utf-8")
    store = _store(args, read_only=True)
    if args.format == "table":
        answer = store.solutions(sparql)
        if isinstance(answer, tuple):
            _table(*answer, sys.stdout)
            return 0
        if isinstance(answer, bool):
            print("true" if answer else "false")
            return 0
        args.format = "csv"  # a graph: written as Turtle below
    answer = store.execute(sparql, result_format=args.format, graph_format="turtle")
    sys.stdout.buffer.write(answer.body)
    if not answer.body.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")
    return 0


def cmd_serve(args) -> int:
    from kg.build import build
    from kg.server.app import serve
    from kg.server.settings import ServerSettings

    store = _store(args)
    if store.is_empty():
        if not SEEDS.exists():
            raise UsageError("the store is empty and there is no seeds/ directory here",
                             hint="run from the repository root, or build first: kg build ARTICLES --store DIR")
        print(f"store {args.store} is empty: building {SEEDS}/ first", file=sys.stderr)
        print(build([SEEDS], store).summary(), file=sys.stderr)
    print(f"serving {args.store} on http://{args.host}:{args.port}/ (SPARQL at /sparql, GraphQL at /graphql)", file=sys.stderr)
    settings = ServerSettings.from_environment(
        update_token=args.update_token, allowed_services=args.allow_service, query_timeout=args.query_timeout,
        max_rows=args.max_rows, max_body=args.max_body)
    serve(store, host=args.host, port=args.port, settings=settings)
    return 0


def cmd_export(args) -> int:
    store = _store(args, read_only=True)
    data = store.export(args.format)
    if args.output and args.output != "-":
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


def cmd_extract(args) -> int:
    from kg.articles import read_articles
    from kg.extraction.pipeline import extract

    status = 0
    for item in read_articles([args.file]):
        if isinstance(item, KGError):
            print(f"error: {item}", file=sys.stderr)
            status = 3
            continue
        print(json.dumps(dataclasses.asdict(extract(item)), indent=2, ensure_ascii=False))
    return status


def cmd_evaluate(args) -> int:
    from kg.evaluate import evaluate

    report = evaluate(args.gold)
    print(report.table())
    if args.show_misses:
        print("\n".join(report.misses))
    failures = []
    if report.events_overall.f1 < args.min_event_f1:
        failures.append(f"events F1 {report.events_overall.f1:.3f} < {args.min_event_f1}")
    if report.persons.f1 < args.min_person_f1:
        failures.append(f"persons-with-roles F1 {report.persons.f1:.3f} < {args.min_person_f1}")
    if report.denied_as_fact:
        failures.append(f"{report.denied_as_fact} denied event(s) stated as facts")
    for failure in failures:
        print(f"below target: {failure}", file=sys.stderr)
    return EXIT_BELOW_TARGET if failures else 0


def cmd_validate(args) -> int:
    from kg.validate import validate_store

    report = validate_store(_store(args, read_only=True))
    print(report.text if not report.conforms else "the graph conforms to ontology/shapes.ttl")
    return 0 if report.conforms else EXIT_NOT_CONFORMING


def cmd_reconcile(args) -> int:
    from kg.reconcile import WikidataSearch

    search = WikidataSearch(cache_dir=Path(args.cache), min_interval=args.interval, timeout=args.timeout)
    proposals = [search.propose(name, kind=args.kind, country=args.country).as_json() for name in args.names]
    print(json.dumps(proposals, ensure_ascii=False, indent=2))
    return 0


def cmd_import_wikidata(args) -> int:
    from kg.wikidata_import import import_wikidata

    print(import_wikidata(args.places, args.actors, args.out, trust=args.trust))
    return 0


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="kg", description="Build a knowledge graph from news articles and serve it.")
    main.add_argument("--version", action="version", version=f"kg {__import__('kg').__version__}")
    sub = main.add_subparsers(dest="command", required=True)
    store_default = os.environ.get("KG_STORE", str(DEFAULT_STORE))

    def with_store(p):
        p.add_argument("--store", default=store_default,
                       help=f"store directory, or the URL of a SPARQL server (default {store_default}; env KG_STORE)")
        remote = p.add_argument_group("external store (when --store is a URL; see README)")
        remote.add_argument("--store-layout", default=os.environ.get("KG_STORE_LAYOUT", "oxigraph"),
                            help="oxigraph (default), virtuoso, fuseki or generic; env KG_STORE_LAYOUT")
        remote.add_argument("--store-query", metavar="PATH", help="query endpoint, relative to the URL")
        remote.add_argument("--store-update", metavar="PATH", help="update endpoint, relative to the URL")
        remote.add_argument("--store-data", metavar="PATH", help="Graph Store Protocol endpoint, relative to the URL")
        remote.add_argument("--store-graph-parameter", metavar="NAME", help="how the Graph Store endpoint names a graph")
        remote.add_argument("--store-union", choices=["parameter", "native"],
                            help="parameter: ask for the union of graphs with union-default-graph; native: the "
                                 "server's default graph is already the union")
        remote.add_argument("--store-auth", choices=["none", "basic", "digest", "bearer"],
                            help="credentials from KG_STORE_USER/KG_STORE_PASSWORD or KG_STORE_TOKEN")
        return p

    p = with_store(sub.add_parser("build", help="build or update the graph from articles"))
    p.add_argument("inputs", nargs="+", help=".txt files (with optional NAME.json sidecars), .jsonl files, or directories")
    p.add_argument("--force", action="store_true", help="re-extract articles even when unchanged")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--jobs", type=_positive, help="worker processes that extract (default: one per core this process may use)")
    p.add_argument("--batch-size", type=_positive, help="articles per bulk write; memory grows with it (default 256)")
    p.add_argument("--sync", action="store_true",
                   help="also remove stored articles the inputs no longer hold (skipped if any input fails)")
    p.set_defaults(run=cmd_build)

    p = with_store(sub.add_parser("remove", help="remove articles and the facts only they support"))
    p.add_argument("ids", nargs="+", help="article ids (as in the article IRI .../id/article/ID)")
    p.set_defaults(run=cmd_remove)

    p = with_store(sub.add_parser("query", help="run a SPARQL query over the union of all graphs"))
    p.add_argument("file", help="a .rq file, or - for standard input")
    p.add_argument("--format", choices=["table", "csv", "tsv", "json", "xml"], default="table")
    p.set_defaults(run=cmd_query)

    p = with_store(sub.add_parser("serve", help="serve /sparql and /graphql over HTTP"))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--allow-service", action="append", metavar="ENDPOINT",
                   help="an endpoint SPARQL's SERVICE may call (repeat for more; default: $KG_SERVICE_ALLOW, "
                        "else https://query.wikidata.org/sparql; 'none' allows none)")
    p.add_argument("--update-token", metavar="TOKEN",
                   help="allow SPARQL Update and Graph Store writes with `Authorization: Bearer TOKEN` "
                        "(default: $KG_UPDATE_TOKEN; without one the store is read-only)")
    p.add_argument("--query-timeout", type=float, metavar="SECONDS",
                   help="abandon a query after this long (default: $KG_QUERY_TIMEOUT, else 30)")
    p.add_argument("--max-rows", type=int, metavar="N",
                   help="refuse answers longer than N rows or triples (default: $KG_MAX_ROWS, else 100000)")
    p.add_argument("--max-body", type=int, metavar="BYTES",
                   help="refuse request bodies larger than this (default: $KG_MAX_BODY, else 1000000)")
    p.set_defaults(run=cmd_serve)

    p = with_store(sub.add_parser("export", help="write the whole graph as N-Quads or TriG"))
    p.add_argument("--format", choices=["nquads", "trig"], default="nquads")
    p.add_argument("--output", "-o", help="file to write (default: standard output)")
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("extract", help="print what the pipeline extracts from an article, as JSON")
    p.add_argument("file")
    p.set_defaults(run=cmd_extract)

    p = sub.add_parser("reconcile", help="(online) ask Wikidata for candidates for names the gazetteer lacks")
    p.add_argument("names", nargs="+", help="place names, e.g. Sayedabad")
    p.add_argument("--kind", choices=["country", "province", "city", "district"], help="the kind of place expected")
    p.add_argument("--country", default="Afghanistan", help="the country the description must name (default Afghanistan)")
    p.add_argument("--cache", default=os.path.expanduser("~/.cache/kg/wikidata"), help="answers cache directory")
    p.add_argument("--interval", type=float, default=1.0, help="seconds between requests (default 1)")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds before a request fails (default 10)")
    p.set_defaults(run=cmd_reconcile)

    p = sub.add_parser("evaluate", help="score extraction against gold annotations (tests/gold/README.md)")
    p.add_argument("gold", nargs="+", help="gold .toml files or directories of them")
    p.add_argument("--min-event-f1", type=float, default=0.0, help="fail (exit 9) below this events F1")
    p.add_argument("--min-person-f1", type=float, default=0.0, help="fail (exit 9) below this persons-with-roles F1")
    p.add_argument("--show-misses", action="store_true", help="list every extra and missed item")
    p.set_defaults(run=cmd_evaluate)

    p = sub.add_parser("import-wikidata", help="add places and actors from Wikidata SPARQL JSON results to a gazetteer")
    p.add_argument("--places", type=Path, help="the result of queries/wikidata_places.rq, saved as SPARQL JSON")
    p.add_argument("--actors", type=Path, help="the result of queries/wikidata_actors.rq, saved as SPARQL JSON")
    p.add_argument("--out", type=Path, required=True,
                   help="gazetteer directory to merge into (a new one starts as a copy of kg/data/gazetteer); "
                        "build with KG_GAZETTEER=DIR to use it")
    p.add_argument("--trust", action="store_true",
                   help="put the imported Q-ids in `wikidata`, used for links (default: unverified, kept out of links)")
    p.set_defaults(run=cmd_import_wikidata)

    p = with_store(sub.add_parser("validate", help="validate the graph against the SHACL shapes"))
    p.set_defaults(run=cmd_validate)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except KGError as error:
        print(f"kg {args.command}: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("interrupted; the store holds every article finished so far, re-run to finish", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
