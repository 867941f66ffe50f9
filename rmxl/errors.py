"""The one exception of the query stage: a bad question, said in one readable line."""

from __future__ import annotations


class QueryError(ValueError):
    """A question the ledger cannot answer as asked (unknown bucket, bad period, empty
    period, zero total…). ``code`` is stable (kebab-case); ``str(e)`` is a one-line
    message that says what was wrong and what is accepted."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
