"""Turns the binary's JSON into the report dataclasses, by their type hints.

A field's JSON key is its name in camelCase (``from_version`` is ``fromVersion``) unless the field's
metadata names it (``field(metadata={"json": "_type"})``). Lenient by default, so a newer binary that adds
keys still decodes; ``strict=True`` refuses a key no field takes, which is how the tests keep the
dataclasses honest about every shape the binary prints.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, TypeVar, Union

T = TypeVar("T")


class ShapeError(ValueError):
    """The JSON does not have the shape a report dataclass describes."""


def json_key(field: dataclasses.Field[Any]) -> str:
    """The JSON key of a dataclass field."""
    named = field.metadata.get("json")
    if isinstance(named, str):
        return named
    head, *rest = field.name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def decode(cls: type[T], value: Any, *, strict: bool = False, path: str = "$") -> T:
    """Decodes `value` (parsed JSON) as the dataclass `cls`."""
    result: T = _decode(cls, value, strict, path)
    return result


def _decode(hint: Any, value: Any, strict: bool, path: str) -> Any:
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        arguments = [argument for argument in typing.get_args(hint) if argument is not type(None)]
        if value is None:
            if len(arguments) < len(typing.get_args(hint)):
                return None
            raise ShapeError(f"{path}: null where {hint} was expected")
        return _decode(arguments[0], value, strict, path)
    if origin is list:
        (item,) = typing.get_args(hint)
        return [
            _decode(item, element, strict, f"{path}[{index}]") for index, element in enumerate(_is(list, value, path))
        ]
    if origin is dict:
        _, item = typing.get_args(hint)
        return {key: _decode(item, element, strict, f"{path}.{key}") for key, element in _is(dict, value, path).items()}
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _decode_dataclass(hint, _is(dict, value, path), strict, path)
    if hint is Any:
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ShapeError(f"{path}: {value!r} is not a number")
        return float(value)
    if hint is int and isinstance(value, float) and value.is_integer():
        return int(value)
    if hint in (str, int, bool):
        if isinstance(value, bool) != (hint is bool) or not isinstance(value, hint):
            raise ShapeError(f"{path}: {value!r} is not a {hint.__name__}")
        return value
    raise ShapeError(f"{path}: no decoder for {hint}")


def _decode_dataclass(cls: type[Any], value: dict[str, Any], strict: bool, path: str) -> Any:
    hints = typing.get_type_hints(cls)
    arguments: dict[str, Any] = {}
    known = set()
    for field in dataclasses.fields(cls):
        key = json_key(field)
        known.add(key)
        if key in value:
            arguments[field.name] = _decode(hints[field.name], value[key], strict, f"{path}.{key}")
        elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            raise ShapeError(f"{path}: no {key!r}")
    unknown = sorted(set(value) - known)
    if strict and unknown:
        raise ShapeError(f"{path}: {cls.__name__} has no field for {', '.join(map(repr, unknown))}")
    return cls(**arguments)


def _is(kind: type[T], value: Any, path: str) -> T:
    if not isinstance(value, kind):
        raise ShapeError(f"{path}: {value!r} is not a JSON {'array' if kind is list else 'object'}")
    return value
