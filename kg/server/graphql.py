"""GraphQL endpoint (placeholder until the schema lands)."""

from kg.store import GraphStore


def graphql_app(store: GraphStore):
    """Return an ASGI app serving the GraphQL schema over `store`."""
    raise NotImplementedError
