"""What an operator can configure about the HTTP service, from flags or the environment.

Every limit has a default safe for a public address; `kg serve --help` and the README list them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from kg.errors import UsageError
from kg.server.federation import allowed_endpoints

ENVIRONMENT = {
    "update_token": "KG_UPDATE_TOKEN",
    "query_timeout": "KG_QUERY_TIMEOUT",
    "max_rows": "KG_MAX_ROWS",
    "max_body": "KG_MAX_BODY",
    "max_concurrent_queries": "KG_MAX_CONCURRENT_QUERIES",
    "graphql_max_depth": "KG_GRAPHQL_MAX_DEPTH",
    "graphql_max_tokens": "KG_GRAPHQL_MAX_TOKENS",
    "graphql_max_aliases": "KG_GRAPHQL_MAX_ALIASES",
}


@dataclass(frozen=True)
class ServerSettings:
    """Limits and switches of one server. `update_token` None means the store is read-only."""

    update_token: str | None = None
    allowed_services: tuple[str, ...] = field(default_factory=allowed_endpoints)
    query_timeout: float = 30.0  # seconds, per SPARQL query or GraphQL request
    max_rows: int = 100_000  # solutions or triples in one answer; more is an error, never a cut answer
    max_body: int = 1_000_000  # bytes of a request body (queries, updates, uploaded graphs)
    max_concurrent_queries: int = 4  # queries running at once; a timed-out query keeps its slot until it ends
    graphql_max_depth: int = 10
    graphql_max_tokens: int = 2_000
    graphql_max_aliases: int = 30

    @classmethod
    def from_environment(cls, **overrides) -> ServerSettings:
        """Defaults, then $KG_* variables, then `overrides` whose value is not None (command-line flags)."""
        values: dict = {}
        for name, variable in ENVIRONMENT.items():
            raw = os.environ.get(variable)
            if raw is None or raw == "":
                continue
            values[name] = raw if name == "update_token" else _number(variable, raw, cls.__dataclass_fields__[name].type)
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "allowed_services" in values:
            values["allowed_services"] = allowed_endpoints(list(values["allowed_services"]))
        return cls(**values)

    def __post_init__(self):
        for name in ("query_timeout", "max_rows", "max_body", "max_concurrent_queries",
                     "graphql_max_depth", "graphql_max_tokens", "graphql_max_aliases"):
            if getattr(self, name) <= 0:
                raise UsageError(f"{name} must be positive, not {getattr(self, name)}")
        if self.update_token is not None and len(self.update_token) < 16:
            raise UsageError("the update token is too short",
                             hint="use at least 16 random characters, e.g. `python -c 'import secrets; "
                                  "print(secrets.token_urlsafe())'`")


def _number(variable: str, raw: str, kind: str):
    try:
        return float(raw) if kind == "float" else int(raw)
    except ValueError:
        raise UsageError(f"${variable} must be a number, not {raw!r}") from None
