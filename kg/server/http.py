"""Shared HTTP helpers: the JSON error shape, HTTP-only errors, Accept negotiation, the update token
and the request-size limit."""

from __future__ import annotations

import hmac
import re
from collections.abc import Sequence

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from kg.errors import KGError, UsageError


class Forbidden(KGError):
    http_status = 403
    code = "forbidden"


class NotAcceptable(KGError):
    http_status = 406
    code = "not_acceptable"


class UnsupportedMediaType(KGError):
    http_status = 415
    code = "unsupported_media_type"


_STATUS_CODES = {404: "not_found", 405: "method_not_allowed"}

_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*")


def absolute_iri(parameter: str, value: str) -> str:
    """`value` of a request parameter naming a graph, refused (400) unless an absolute IRI."""
    if not _ABSOLUTE_IRI.fullmatch(value):
        raise UsageError(f"{parameter} is not an absolute IRI: {value!r}")
    return value


# The RDF syntaxes a whole graph is offered in (media type -> store format name), preferred first.
RDF_OFFERS = {"text/turtle": "turtle", "application/n-triples": "ntriples", "application/rdf+xml": "rdfxml",
              "application/ld+json": "jsonld"}


def error_response(exc: KGError, headers: dict[str, str] | None = None) -> JSONResponse:
    headers = {**getattr(exc, "headers", {}), **(headers or {})}
    return JSONResponse(exc.as_json(), status_code=exc.http_status, headers=headers or None)


async def kg_error_handler(request: Request, exc: KGError) -> JSONResponse:
    return error_response(exc)


async def http_error_handler(request: Request, exc: HTTPException) -> JSONResponse:
    """Starlette's own 404/405 answers, in the same shape as every other error."""
    error = KGError(exc.detail)
    error.http_status = exc.status_code
    error.code = _STATUS_CODES.get(exc.status_code, "http_error")
    return error_response(error, headers=exc.headers)


async def internal_error_handler(request: Request, exc: Exception) -> JSONResponse:
    return error_response(KGError("internal server error", hint="the server log has the traceback"))


# --- content negotiation (RFC 9110 §12.5.1) ---------------------------------------------
def parse_accept(header: str | None) -> list[tuple[str, str, float]]:
    """(type, subtype, q) per media range; a missing or empty header accepts anything."""
    if not header or not header.strip():
        return [("*", "*", 1.0)]
    ranges = []
    for part in header.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if "/" not in media:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0  # unreadable weight: ignore the range rather than guess
        major, _, minor = media.lower().partition("/")
        ranges.append((major, minor, q))
    return ranges


def _match(offer: str, ranges: list[tuple[str, str, float]]) -> tuple[float, int]:
    """q and specificity of the most specific range matching `offer` (specificity -1: none)."""
    major, _, minor = offer.lower().partition("/")
    best = (0.0, -1)
    for r_major, r_minor, q in ranges:
        if (r_major, r_minor) == (major, minor):
            specificity = 2
        elif (r_major, r_minor) == (major, "*"):
            specificity = 1
        elif (r_major, r_minor) == ("*", "*"):
            specificity = 0
        else:
            continue
        if specificity > best[1]:
            best = (q, specificity)
    return best


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer the client prefers, or None when it accepts none of them.

    Higher q wins; on a tie the offer named exactly beats one matched by a wildcard, then the
    earlier offer (the server's preference) wins.
    """
    ranges = parse_accept(accept)
    best, best_key = None, (0.0, -1, 0)
    for index, offer in enumerate(offers):
        q, specificity = _match(offer, ranges)
        key = (q, specificity, -index)
        if q > 0 and (best is None or key > best_key):
            best, best_key = offer, key
    return best


class Unauthorized(KGError):
    http_status = 401
    code = "unauthorized"
    headers = {"WWW-Authenticate": 'Bearer realm="kg"'}


class PayloadTooLarge(KGError):
    http_status = 413
    code = "payload_too_large"


def require_update_token(request: Request, token: str | None) -> None:
    """Let a write through only with `Authorization: Bearer <token>`; no token configured, no writes."""
    if token is None:
        raise Forbidden("updates are disabled on this server",
                        hint="the operator can enable them with `kg serve --update-token` or $KG_UPDATE_TOKEN")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise Unauthorized("updates need a bearer token", hint="send `Authorization: Bearer TOKEN`")
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise Forbidden("the bearer token is not this server's update token")


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 past `limit` bytes (before reading it, when the length is declared)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"the request body has {declared} bytes; this server takes at most {limit}",
                              hint="send a shorter request, or ask the operator to raise --max-body")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"the request body is over this server's limit of {limit} bytes",
                                  hint="send a shorter request, or ask the operator to raise --max-body")
        chunks.append(chunk)
    return b"".join(chunks)
