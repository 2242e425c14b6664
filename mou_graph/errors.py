"""The errors the core raises; front ends turn them into messages and exit codes."""

from __future__ import annotations

from typing import Protocol

__all__ = ["InputError", "MouGraphError", "Report", "UsageError", "ValidationFailed"]


class MouGraphError(Exception):
    """Base class of every error the package raises on purpose."""

    exit_code = 2


class InputError(MouGraphError):
    """Input that cannot be read: a missing file, a syntax error, a wrong format.

    >>> str(InputError("bad token", path="x.ttl", line=3, column=7))
    'x.ttl:3:7: bad token'
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 column: int | None = None) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        where = ":".join(str(p) for p in (path, line, column) if p is not None)
        super().__init__(f"{where}: {message}" if where else message)


class UsageError(MouGraphError):
    """A wrong parameter or option value."""


class Report(Protocol):
    """What a validation report offers the front ends (:class:`mou_graph.validation.validate.Report` is one)."""

    @property
    def conforms(self) -> bool: ...

    def to_text(self, lang: str = ...) -> str: ...


class ValidationFailed(MouGraphError):
    """The graph does not conform to the shapes; carries the report."""

    exit_code = 1

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__("the graph does not conform to the shapes")
