"""A request that cannot be answered, with the status and message the client gets as JSON."""


class HTTPError(Exception):
    """A refused request: its status line, its message and whether the connection must close after it."""

    def __init__(self, status: str, message: str, close: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.close = close


def bad(message: str) -> HTTPError:
    """A 400: what the client sent cannot be read as rows."""
    return HTTPError("400 Bad Request", message)
