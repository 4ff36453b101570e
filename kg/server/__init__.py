"""HTTP layer: one uvicorn/Starlette app serving /sparql and /graphql over a GraphStore."""
