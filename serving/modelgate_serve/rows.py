"""Turning MLflow's and KServe v1's payloads (JSON or CSV) into rows in the model's column order, every value
checked against its column's type."""

import csv
import io
import json
import math
from typing import Any

from modelgate_serve.errors import bad

NUMBER_TYPES = (int, float)


class RowReader:
    """Reads rows for one model: its `serving.inputs` if it declares them, else what the estimator was fitted
    with (`feature_names_in_`, `n_features_in_`)."""

    def __init__(self, inputs: tuple[tuple[str, str], ...], model: Any) -> None:
        self.inputs = inputs
        self.model = model
        self.checks_each_value = any(kind in ("string", "boolean") for _, kind in inputs)

    def columns(self) -> list[str] | None:
        """The column order requests are put in: serving.inputs, else the names the estimator was fitted with."""
        if self.inputs:
            return [name for name, _ in self.inputs]
        names = getattr(self.model, "feature_names_in_", None)
        return [str(name) for name in names] if names is not None else None

    def width(self) -> int | None:
        """How many values a row has, when the model says."""
        if self.inputs:
            return len(self.inputs)
        width = getattr(self.model, "n_features_in_", None)
        return int(width) if width is not None else None

    def column_type(self, index: int) -> str:
        return self.inputs[index][1] if self.inputs else "double"

    def cell(self, value: Any, index: int) -> Any:
        """One value, checked against its column's type."""
        kind = self.column_type(index)
        if kind == "string":
            if not isinstance(value, str):
                raise bad(f"column {index} ({self.inputs[index][0]}) takes strings, not {json.dumps(value)[:40]}")
            return value
        if kind == "boolean" and isinstance(value, bool):
            return float(value)
        if isinstance(value, bool) or not isinstance(value, NUMBER_TYPES):
            raise bad(f"every value must be a number, not {json.dumps(value)[:40]}")
        try:
            number = float(value)
        except OverflowError:
            raise bad("a number is out of range") from None
        if not math.isfinite(number):
            raise bad("a number is out of range")
        return number

    def check(self, rows: Any) -> list[list[Any]]:
        """Rows of equal width, the model's width, every value of its column's type. Numeric rows are checked
        in place (no copy): the body's memory is the request's largest cost."""
        if not isinstance(rows, list) or not rows:
            raise bad("expected a non-empty list of rows")
        width = self.width()
        if width is None:
            width = len(rows[0]) if isinstance(rows[0], list) else 0
        for row in rows:
            if type(row) is not list or len(row) != width or not row:
                if not isinstance(row, list) or not row:
                    raise bad("every row must be a non-empty list of values")
                raise bad(f"each row must have {width} values, not {len(row)}")
            if self.checks_each_value:
                row[:] = [self.cell(value, index) for index, value in enumerate(row)]
            else:
                for value in row:
                    if type(value) not in NUMBER_TYPES:
                        self.cell(value, 0)  # raises, naming the value
        return rows

    def reorder(self, columns: Any, rows: list[Any]) -> list[Any]:
        """Rows given with `columns`, put in the model's column order."""
        if not isinstance(columns, list) or not all(isinstance(name, str) for name in columns):
            raise bad("columns must be a list of names")
        if len(set(columns)) != len(columns):
            raise bad("a column is named twice")
        wanted = self.columns()
        if wanted is None:
            return rows
        missing = [name for name in wanted if name not in columns]
        unexpected = [name for name in columns if name not in wanted]
        if missing or unexpected:
            parts = []
            if missing:
                parts.append("missing " + ", ".join(missing))
            if unexpected:
                parts.append("unexpected " + ", ".join(unexpected[:10]))
            raise bad("the columns do not match the model's inputs: " + "; ".join(parts))
        positions = [columns.index(name) for name in wanted]
        result = []
        for row in rows:
            if not isinstance(row, list) or len(row) != len(columns):
                raise bad(f"each row must have {len(columns)} values, one per column")
            result.append([row[position] for position in positions])
        return result

    def from_records(self, records: Any) -> list[list[Any]]:
        """`[{"column": value, ...}, ...]`: one object per row."""
        if not isinstance(records, list) or not records:
            raise bad("expected a non-empty list of records")
        if not all(isinstance(record, dict) for record in records):
            raise bad("every record must be a JSON object")
        known = self.columns()
        columns = known or list(records[0].keys())
        rows = []
        for record in records:
            if set(record) != set(columns):
                if known:
                    self.reorder(list(record.keys()), [])  # raises, naming the missing and unexpected columns
                raise bad("every record must have the same keys")
            rows.append([record[name] for name in columns])
        return self.check(rows)

    def from_columns(self, table: dict[str, Any]) -> list[list[Any]]:
        """`{"column": [values], ...}`: one list per column."""
        columns = list(table.keys())
        lists = list(table.values())
        if not lists or not all(isinstance(values, list) for values in lists):
            raise bad("inputs must map every column to a list of values")
        if len({len(values) for values in lists}) != 1:
            raise bad("every column must have the same number of values")
        return self.check(self.reorder(columns, [list(row) for row in zip(*lists, strict=True)]))

    def from_list(self, items: Any) -> list[list[Any]]:
        """A list of rows, or of records."""
        if isinstance(items, list) and items and all(isinstance(item, dict) for item in items):
            return self.from_records(items)
        return self.check(items)

    def from_json(self, payload: Any) -> list[list[Any]]:
        """MLflow's scoring payloads: dataframe_split, dataframe_records, instances, inputs (or a bare list)."""
        if isinstance(payload, list):
            return self.from_list(payload)
        if not isinstance(payload, dict):
            raise bad("expected a JSON object")
        keys = [key for key in ("dataframe_split", "dataframe_records", "instances", "inputs") if key in payload]
        if len(keys) != 1:
            raise bad('expected exactly one of "dataframe_split", "dataframe_records", "instances" or "inputs"')
        value = payload[keys[0]]
        if keys[0] == "dataframe_split":
            if not isinstance(value, dict) or "data" not in value:
                raise bad('dataframe_split must be an object with "columns" and "data"')
            if "columns" not in value:
                return self.check(value["data"])
            data = value["data"]
            if not isinstance(data, list) or not data:
                raise bad("dataframe_split.data must be a non-empty list of rows")
            return self.check(self.reorder(value["columns"], data))
        if keys[0] == "dataframe_records":
            return self.from_records(value)
        if keys[0] == "inputs" and isinstance(value, dict):
            return self.from_columns(value)
        return self.from_list(value)

    def from_csv(self, body: bytes) -> list[list[Any]]:
        """A CSV body: a header row naming the columns, then the rows."""
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise bad("the CSV is not UTF-8") from None
        try:
            table = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as error:
            raise bad(f"invalid CSV: {error}") from None
        if len(table) < 2:
            raise bad("the CSV needs a header row and at least one data row")
        columns, data = table[0], [row for row in table[1:] if row]
        types = dict(self.inputs)
        parsed: list[list[Any]] = []
        for line, row in enumerate(data, start=2):
            if len(row) != len(columns):
                raise bad(f"CSV line {line} has {len(row)} fields, the header {len(columns)}")
            values: list[Any] = []
            for name, text in zip(columns, row, strict=True):
                if types.get(name) == "string":
                    values.append(text)
                    continue
                try:
                    values.append(float(text))
                except ValueError:
                    raise bad(f"CSV line {line}: {text[:40]!r} in column {name} is not a number") from None
            parsed.append(values)
        return self.check(self.reorder(columns, parsed))
