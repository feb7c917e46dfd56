"""Reading request bodies: bounded, never answered with a reset, and JSON without NaN or huge integers."""

from __future__ import annotations

import json
from typing import IO, TYPE_CHECKING, Any

from modelgate_serve.errors import HTTPError, bad

if TYPE_CHECKING:  # the WSGI types, new in Python 3.11; the server runs on 3.10 too
    from wsgiref.types import WSGIEnvironment


def drain(stream: IO[bytes], limit: int) -> bool:
    """Reads and discards up to `limit` bytes; whether the stream ended within them."""
    remaining = limit
    while remaining > 0:
        chunk = stream.read(min(65536, remaining))
        if not chunk:
            return True
        remaining -= len(chunk)
    return False


def read_body(environ: WSGIEnvironment, max_body: int, drain_limit: int) -> bytes:
    """The request body, at most `max_body` bytes with a Content-Length; anything else is refused after the
    body has been read (or the connection is marked to close), never with a reset."""
    stream: IO[bytes] = environ["wsgi.input"]
    if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
        drained = drain(stream, drain_limit)
        raise HTTPError(
            "411 Length Required",
            "a chunked body is not accepted: send the body with a Content-Length",
            close=not drained,
        )
    try:
        length = int(environ.get("CONTENT_LENGTH") or "0")
    except ValueError:
        raise bad("Content-Length is not a number") from None
    if length <= 0:
        raise bad("the request has no body")
    if length > max_body:
        raise HTTPError(
            "413 Content Too Large",
            f"the body is {length} bytes; at most {max_body} are accepted",
            close=not (length <= drain_limit and drain(stream, length)),
        )
    body = stream.read(length)
    if len(body) != length:
        raise bad("the body ended before its Content-Length")
    return body


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number this server accepts")


def _parse_int(text: str) -> int | float:
    # Integers beyond 18 digits are read as floats: Python's int parsing of huge numbers is quadratic.
    return int(text) if len(text) <= 18 else float(text)


def parse_json(body: bytes) -> Any:
    """The body as JSON; NaN and Infinity are refused."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise bad("the body is not UTF-8") from None
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_int=_parse_int)
    except RecursionError:
        raise bad("the JSON is nested too deeply") from None
    except ValueError as error:
        raise bad(f"invalid JSON: {error}") from None


def media_type(environ: WSGIEnvironment) -> str:
    """The request's media type, without parameters, in lower case."""
    content_type: str = environ.get("CONTENT_TYPE", "")
    return content_type.split(";", 1)[0].strip().lower()
