"""RDF terms as plain values, so the RDF layer needs no store library.

`kg.rdf` builds quads from these; `kg.store` turns them into pyoxigraph terms.
Keeping the two apart lets a later backend write the same quads elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True, slots=True)
class IRI:
    value: str

    def n3(self) -> str:
        return f"<{self.value}>"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Literal:
    lexical: str
    datatype: str | None = None  # full IRI; None means xsd:string (or rdf:langString with language)
    language: str | None = None

    def n3(self) -> str:
        escaped = (
            self.lexical.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
        if self.language:
            return f'"{escaped}"@{self.language}'
        if self.datatype and self.datatype != XSD + "string":
            return f'"{escaped}"^^<{self.datatype}>'
        return f'"{escaped}"'


def integer(value: int) -> Literal:
    return Literal(str(int(value)), XSD + "integer")


def non_negative(value: int) -> Literal:
    return Literal(str(int(value)), XSD + "nonNegativeInteger")


def date(iso: str) -> Literal:
    return Literal(iso, XSD + "date")


def decimal(value: float) -> Literal:
    return Literal(f"{value:.4f}".rstrip("0").rstrip(".") or "0", XSD + "decimal")


def boolean(value: bool) -> Literal:
    return Literal("true" if value else "false", XSD + "boolean")


Term = IRI | Literal
Quad = tuple[IRI, IRI, Term, IRI]
