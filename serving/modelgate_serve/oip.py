"""The Open Inference Protocol (KServe v2): infer requests as JSON or with the binary tensor data extension,
their answers, and the model's metadata."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from modelgate_serve.bodies import media_type, parse_json, read_body
from modelgate_serve.config import Config
from modelgate_serve.errors import HTTPError, bad
from modelgate_serve.rows import RowReader

if TYPE_CHECKING:  # the WSGI types, new in Python 3.11; the server runs on 3.10 too
    from wsgiref.types import WSGIEnvironment

V2_TYPES = {
    "double": "FP64",
    "float": "FP32",
    "long": "INT64",
    "integer": "INT32",
    "boolean": "BOOL",
    "string": "BYTES",
}
# The binary tensor data extension: each datatype's little-endian layout (BYTES: 4-byte length, then the bytes).
BINARY_LAYOUT = {
    "BOOL": "?",
    "INT8": "<i1",
    "INT16": "<i2",
    "INT32": "<i4",
    "INT64": "<i8",
    "UINT8": "<u1",
    "UINT16": "<u2",
    "UINT32": "<u4",
    "UINT64": "<u8",
    "FP16": "<f2",
    "FP32": "<f4",
    "FP64": "<f8",
}
DATATYPES = frozenset(BINARY_LAYOUT) | {"BYTES"}


def tensor_values(tensor: Any, index: int) -> tuple[list[int], list[Any]]:
    """An input tensor's shape (1 or 2 sizes) and its values, flattened row-major."""
    if not isinstance(tensor, dict):
        raise bad("every input tensor must be an object with name, shape, datatype and data")
    for key in ("name", "shape", "datatype", "data"):
        if key not in tensor:
            raise bad(f"input tensor {index} has no {key!r}")
    shape, data = tensor["shape"], tensor["data"]
    if (
        not isinstance(shape, list)
        or not shape
        or len(shape) > 2
        or not all(isinstance(size, int) and not isinstance(size, bool) and size >= 0 for size in shape)
    ):
        raise bad(f"input {tensor['name']!r}: shape must be a list of 1 or 2 sizes")
    if tensor["datatype"] not in DATATYPES:
        raise bad(f"input {tensor['name']!r}: unknown datatype {str(tensor['datatype'])[:20]!r}")
    flat = []
    stack = [data]
    while stack:  # flattens row-major without recursion
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        else:
            flat.append(item)
    count = 1
    for size in shape:
        count *= size
    if count != len(flat) or count == 0:
        raise bad(f"input {tensor['name']!r}: {len(flat)} values do not fill shape {shape}")
    return shape, flat


def rows(payload: Any, reader: RowReader) -> list[list[Any]]:
    """The rows of an infer request: one 2-D tensor `[rows, columns]`, or one 1-D tensor per input column."""
    if not isinstance(payload, dict) or not isinstance(payload.get("inputs"), list) or not payload["inputs"]:
        raise bad('expected {"inputs": [{"name", "shape", "datatype", "data"}]}')
    tensors = payload["inputs"]
    if len(tensors) == 1:
        shape, flat = tensor_values(tensors[0], 0)
        if len(shape) == 2:
            width = shape[1]
            return reader.check([flat[start : start + width] for start in range(0, len(flat), width)])
        columns = reader.columns()
        if reader.width() not in (None, 1) or (columns and len(columns) != 1):
            raise bad("one 1-D input: send one 2-D tensor [rows, columns] or one 1-D tensor per input column")
        return reader.check([[value] for value in flat])
    names, lists = [], []
    for index, tensor in enumerate(tensors):
        shape, flat = tensor_values(tensor, index)
        if len(shape) == 2 and shape[1] != 1:
            raise bad(f"input {tensor['name']!r}: with one tensor per column, each is 1-D")
        names.append(str(tensor["name"]))
        lists.append(flat)
    if len({len(values) for values in lists}) != 1:
        raise bad("every input tensor must have the same number of rows")
    return reader.check(reader.reorder(names, [list(row) for row in zip(*lists, strict=True)]))


def output(name: str, values: list[Any]) -> dict[str, Any]:
    """The output tensor of `values` (one per row, or one list per row), typed by what they hold."""
    if values and isinstance(values[0], list):
        shape = [len(values), len(values[0])]
        flat = [item for row in values for item in row]
    else:
        shape, flat = [len(values)], values
    if all(isinstance(value, bool) for value in flat):
        datatype = "BOOL"
    elif all(isinstance(value, int) and not isinstance(value, bool) for value in flat):
        datatype = "INT64"
    elif all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in flat):
        datatype = "FP64"
    else:
        datatype, flat = "BYTES", [str(value) for value in flat]
    return {"name": name, "shape": shape, "datatype": datatype, "data": flat}


def request(environ: WSGIEnvironment, config: Config) -> Any:
    """The infer request's JSON, with the tensors the binary extension carries after it decoded into `data`:
    `Inference-Header-Content-Length` bytes of JSON, then each input's `binary_data_size` bytes in order."""
    kind = media_type(environ)
    header: str | None = environ.get("HTTP_INFERENCE_HEADER_CONTENT_LENGTH")
    if header is None:
        if kind not in ("application/json", ""):
            raise HTTPError(
                "415 Unsupported Media Type",
                f"send application/json, or binary tensors after an Inference-Header-Content-Length "
                f"header of JSON, not {kind[:60]}",
            )
        return parse_json(read_body(environ, config.max_body_bytes, config.drain_limit))
    if kind not in ("application/json", "application/octet-stream", ""):
        raise HTTPError("415 Unsupported Media Type", f"send application/octet-stream, not {kind[:60]}")
    body = read_body(environ, config.max_body_bytes, config.drain_limit)
    if not header.isdigit() or not 0 < int(header) <= len(body):
        raise bad(f"Inference-Header-Content-Length {header[:20]!r} is not a length within the {len(body)}-byte body")
    size = int(header)
    payload = parse_json(body[:size])
    if not isinstance(payload, dict) or not isinstance(payload.get("inputs"), list):
        raise bad('expected {"inputs": [{"name", "shape", "datatype", "parameters": {"binary_data_size"}}]}')
    data, offset = memoryview(body)[size:], 0
    for index, tensor in enumerate(payload["inputs"]):
        parameters = tensor.get("parameters") if isinstance(tensor, dict) else None
        length = parameters.get("binary_data_size") if isinstance(parameters, dict) else None
        if length is None:
            continue
        name = str(tensor.get("name", index))[:64]
        if not isinstance(length, int) or isinstance(length, bool) or length < 0 or offset + length > len(data):
            raise bad(f"input {name!r}: binary_data_size {str(length)[:20]} runs past the body")
        if "data" in tensor:
            raise bad(f"input {name!r} has both data and binary_data_size")
        tensor["data"] = decode_binary(tensor.get("datatype"), bytes(data[offset : offset + length]), name)
        offset += length
    if offset != len(data):
        raise bad(f"{len(data) - offset} bytes follow the binary tensors that no input claims")
    return payload


def decode_binary(datatype: Any, raw: bytes, name: str) -> list[Any]:
    """One tensor's values from its bytes in the binary extension."""
    import numpy

    if datatype == "BYTES":
        values, offset = [], 0
        while offset < len(raw):
            if offset + 4 > len(raw):
                raise bad(f"input {name!r}: a BYTES element's length is cut off")
            length = int.from_bytes(raw[offset : offset + 4], "little")
            if offset + 4 + length > len(raw):
                raise bad(f"input {name!r}: a BYTES element runs past its tensor")
            try:
                values.append(raw[offset + 4 : offset + 4 + length].decode("utf-8"))
            except UnicodeDecodeError:
                raise bad(f"input {name!r}: a BYTES element is not UTF-8") from None
            offset += 4 + length
        return values
    if datatype not in BINARY_LAYOUT:
        raise bad(f"input {name!r}: unknown datatype {str(datatype)[:20]!r}")
    layout = numpy.dtype(BINARY_LAYOUT[datatype])
    if len(raw) % layout.itemsize:
        raise bad(f"input {name!r}: {len(raw)} bytes are not whole {datatype} values")
    decoded: list[Any] = numpy.frombuffer(raw, dtype=layout).tolist()
    return decoded


def wants_binary(payload: dict[str, Any], output_name: str) -> bool:
    """Whether the client asked for the output as binary data (tritonclient does by default)."""
    parameters = payload.get("parameters")
    if isinstance(parameters, dict) and parameters.get("binary_data_output") is True:
        return True
    outputs = payload.get("outputs")
    if outputs is None:
        return False
    if not isinstance(outputs, list) or not all(isinstance(item, dict) for item in outputs):
        raise bad('"outputs" must be a list of {"name", "parameters"}')
    for item in outputs:
        if item.get("name") != output_name:
            raise bad(f"no output {str(item.get('name'))[:64]!r}; this model's output is {output_name!r}")
    return any(
        isinstance(item.get("parameters"), dict) and item["parameters"].get("binary_data") is True for item in outputs
    )


class Binary:
    """An infer answer in the binary extension: the JSON header, then the output tensor's bytes."""

    def __init__(self, answer: dict[str, Any]) -> None:
        import numpy

        tensor = answer["outputs"][0]
        flat = tensor.pop("data")
        if tensor["datatype"] == "BYTES":
            encoded = [str(value).encode("utf-8") for value in flat]
            raw = b"".join(len(item).to_bytes(4, "little") + item for item in encoded)
        else:
            raw = numpy.asarray(flat, dtype=BINARY_LAYOUT[tensor["datatype"]]).tobytes()
        tensor["parameters"] = {"binary_data_size": len(raw)}
        self.header = json.dumps(answer).encode("utf-8")
        self.data = self.header + raw


def metadata(config: Config, estimator: Any, width: int | None) -> dict[str, Any]:
    """The model metadata: name, versions, platform, inputs and the output tensor."""
    if config.inputs:
        inputs = [{"name": name, "datatype": V2_TYPES[kind], "shape": [-1]} for name, kind in config.inputs]
    else:
        inputs = [{"name": "input-0", "datatype": "FP64", "shape": [-1, width or -1]}]
    classes = getattr(estimator, "classes_", None)
    shape = [-1, len(classes)] if config.output == "predict_proba" and classes is not None else [-1]
    integral = classes is not None and all(
        isinstance(label, int) or (hasattr(label, "is_integer") and float(label).is_integer()) for label in classes
    )
    datatype = "FP64" if config.output == "predict_proba" else "INT64" if integral else "FP64"
    return {
        "name": config.model,
        "versions": [config.version],
        "platform": config.platform,
        "inputs": inputs,
        "outputs": [{"name": config.output, "datatype": datatype, "shape": shape}],
    }
