"""One error hierarchy for the whole package.

Each error carries an exit code (for the CLI) and an HTTP status (for the server), and its message
names what went wrong, where, and how to fix it.
"""

from __future__ import annotations


class KGError(Exception):
    exit_code = 1
    http_status = 500
    code = "internal"

    def __init__(self, message: str, *, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message

    def __reduce__(self):
        # Errors cross process boundaries (extraction workers): rebuild them from their attributes,
        # since pickle's default would call __init__ with the wrong arguments.
        return _restore, (type(self), self.args, self.__dict__)

    def as_json(self) -> dict:
        body = {"error": self.code, "message": self.message}
        if self.hint:
            body["hint"] = self.hint
        return body


def _restore(cls, args, state):
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class UsageError(KGError):
    exit_code = 2
    http_status = 400
    code = "bad_request"


class ArticleError(KGError):
    """An article that cannot be read; the build reports it and goes on with the others."""

    exit_code = 3
    http_status = 400
    code = "bad_article"

    def __init__(self, source: str, message: str, *, line: int | None = None, hint: str | None = None):
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {message}", hint=hint)
        self.source = source
        self.line = line


class DataFileError(KGError):
    """A broken lexicon, gazetteer or ontology file shipped with or added to the project."""

    exit_code = 4
    code = "bad_data_file"


class QuerySyntaxError(KGError):
    exit_code = 5
    http_status = 400
    code = "malformed_query"


class StoreError(KGError):
    exit_code = 6
    http_status = 500
    code = "store"


class QueryTimeout(KGError):
    exit_code = 7
    http_status = 503
    code = "timeout"
