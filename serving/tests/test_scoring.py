"""MLflow's scoring protocol and KServe v1: every payload shape, in the model's column order."""

import pytest
from conftest import Estimator, call, config, post_json

from modelgate_serve import create_app
from modelgate_serve.app import Application

ROWS = [[1.0, 2.0, 3], [4.0, 5.0, 6]]
SUMS = [6.0, 15.0]


@pytest.mark.parametrize(
    "payload",
    [
        {"dataframe_split": {"columns": ["tenure", "charges", "calls"], "data": ROWS}},
        {"dataframe_split": {"columns": ["calls", "tenure", "charges"], "data": [[3, 1.0, 2.0], [6, 4.0, 5.0]]}},
        {"dataframe_split": {"data": ROWS}},
        {"dataframe_records": [{"tenure": 1.0, "charges": 2.0, "calls": 3}, {"calls": 6, "tenure": 4, "charges": 5}]},
        {"instances": ROWS},
        {"inputs": {"charges": [2.0, 5.0], "tenure": [1.0, 4.0], "calls": [3, 6]}},
        ROWS,
    ],
)
def test_every_payload_shape_predicts_in_the_models_column_order(app: Application, payload: object) -> None:
    answer = post_json(app, "/invocations", payload)
    assert answer.code == 200, answer.body
    assert answer.json() == {"predictions": SUMS}


def test_csv_is_read_by_its_header(app: Application) -> None:
    body = b"calls,tenure,charges\n3,1,2\n6,4,5\n"
    answer = call(app, "/invocations", body, content_type="text/csv")
    assert answer.json() == {"predictions": SUMS}


def test_kserve_v1_predicts_and_reports_readiness(app: Application) -> None:
    assert post_json(app, "/v1/models/churn:predict", {"instances": ROWS}).json() == {"predictions": SUMS}
    assert call(app, "/v1/models/churn").json() == {"name": "churn", "ready": True}
    assert post_json(app, "/v1/models/other:predict", {"instances": ROWS}).code == 404


def test_probabilities_when_the_output_is_predict_proba() -> None:
    app = create_app(config(output="predict_proba"), environ={}, estimator=Estimator())
    predictions = post_json(app, "/invocations", {"instances": [[0, 0, 0]]}).json()["predictions"]
    assert predictions == [[0.5, 0.5]]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"instances": [[1, 2]]}, "each row must have 3 values, not 2"),
        ({"instances": [[1, 2, "x"]]}, 'every value must be a number, not "x"'),
        ({"instances": []}, "expected a non-empty list of rows"),
        ({"dataframe_split": {"columns": ["tenure", "calls", "age"], "data": [[1, 2, 3]]}}, "missing charges"),
        ({"instances": [[1, 2, 3]], "inputs": [[1, 2, 3]]}, "expected exactly one of"),
    ],
)
def test_bad_rows_get_a_400_naming_the_problem(app: Application, payload: object, message: str) -> None:
    answer = post_json(app, "/invocations", payload)
    assert answer.code == 400
    assert message in answer.json()["error"]


def test_nan_and_bodies_that_are_not_json_are_refused() -> None:
    app = create_app(config(max_body_bytes=1 << 20), environ={}, estimator=Estimator())
    assert call(app, "/invocations", b'{"instances": [[NaN, 1, 2]]}').code == 400
    assert call(app, "/invocations", b"\xff\xfe").json() == {"error": "the body is not UTF-8"}
    deep = call(app, "/invocations", b"[" * 100_000 + b"]" * 100_000)
    assert deep.json() == {"error": "the JSON is nested too deeply"}


def test_string_columns_take_strings_and_only_strings() -> None:
    inputs = (("plan", "string"), ("tenure", "double"), ("active", "boolean"))

    class Counter(Estimator):
        def predict(self, matrix: object) -> list[int]:
            return [len(row) for row in matrix]  # type: ignore[attr-defined]

    app = create_app(config(inputs=inputs), environ={}, estimator=Counter())
    assert post_json(app, "/invocations", {"instances": [["gold", 3, True]]}).json() == {"predictions": [3]}
    refused = post_json(app, "/invocations", {"instances": [[1, 3, True]]})
    assert refused.code == 400
    assert "column 0 (plan) takes strings" in refused.json()["error"]
