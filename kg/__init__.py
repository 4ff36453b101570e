"""kg: news articles in, a knowledge graph of events, actors, places and sources out.

The data flow is visible in the layout:
article (kg.articles) -> extraction (kg.extraction) -> linking (kg.linking)
-> RDF (kg.rdf) -> store (kg.store) -> SPARQL / GraphQL (kg.server).
"""

__version__ = "0.2.0"
