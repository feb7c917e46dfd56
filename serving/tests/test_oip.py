"""The Open Inference Protocol: JSON tensors, the binary tensor data extension, and metadata."""

import json
import struct

import pytest
from conftest import Answer, call, post_json

from modelgate_serve.app import Application


def infer(app: Application, payload: object) -> Answer:
    return post_json(app, "/v2/models/churn/infer", payload)


def test_one_two_dimensional_tensor_is_the_rows(app: Application) -> None:
    payload = {"id": "r1", "inputs": [{"name": "x", "shape": [2, 3], "datatype": "FP64", "data": [1, 2, 3, 4, 5, 6]}]}
    answer = infer(app, payload).json()
    assert answer == {
        "model_name": "churn",
        "model_version": "1.3.0",
        "outputs": [{"name": "predict", "shape": [2], "datatype": "FP64", "data": [6.0, 15.0]}],
        "id": "r1",
    }


def test_one_tensor_per_column_is_put_in_the_models_order(app: Application) -> None:
    inputs = [
        {"name": "calls", "shape": [2], "datatype": "INT64", "data": [3, 6]},
        {"name": "tenure", "shape": [2], "datatype": "FP64", "data": [1, 4]},
        {"name": "charges", "shape": [2, 1], "datatype": "FP64", "data": [[2], [5]]},
    ]
    assert infer(app, {"inputs": inputs}).json()["outputs"][0]["data"] == [6.0, 15.0]


def test_binary_tensors_in_and_out(app: Application) -> None:
    header = {
        "inputs": [{"name": "x", "shape": [1, 3], "datatype": "FP32", "parameters": {"binary_data_size": 12}}],
        "outputs": [{"name": "predict", "parameters": {"binary_data": True}}],
    }
    text = json.dumps(header).encode()
    body = text + struct.pack("<3f", 1, 2, 3)
    answer = call(
        app,
        "/v2/models/churn/infer",
        body,
        content_type="application/octet-stream",
        headers={"Inference-Header-Content-Length": str(len(text))},
    )
    assert answer.code == 200, answer.body
    size = int(answer.headers["Inference-Header-Content-Length"])
    meta = json.loads(answer.body[:size])
    assert meta["outputs"][0]["parameters"] == {"binary_data_size": 8}
    assert struct.unpack("<d", answer.body[size:]) == (6.0,)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"inputs": [{"name": "x", "shape": [2, 3], "datatype": "FP64", "data": [1, 2, 3]}]}, "do not fill shape"),
        ({"inputs": [{"name": "x", "shape": [1, 3], "datatype": "FP99", "data": [1, 2, 3]}]}, "unknown datatype"),
        ({"inputs": [{"name": "x", "shape": [3], "datatype": "FP64", "data": [1, 2, 3]}]}, "one 1-D input"),
        ({"inputs": []}, "expected {"),
        (
            {
                "inputs": [{"name": "x", "shape": [1, 3], "datatype": "FP64", "data": [1, 2, 3]}],
                "outputs": [{"name": "other"}],
            },
            "no output 'other'",
        ),
    ],
)
def test_bad_tensors_get_a_400(app: Application, payload: object, message: str) -> None:
    answer = infer(app, payload)
    assert answer.code == 400
    assert message in answer.json()["error"]


def test_binary_sizes_that_run_past_the_body_are_refused(app: Application) -> None:
    text = json.dumps(
        {"inputs": [{"name": "x", "shape": [1, 3], "datatype": "FP64", "parameters": {"binary_data_size": 999}}]}
    ).encode()
    answer = call(
        app,
        "/v2/models/churn/infer",
        text + b"\0" * 24,
        content_type="application/octet-stream",
        headers={"Inference-Header-Content-Length": str(len(text))},
    )
    assert answer.code == 400
    assert "runs past the body" in answer.json()["error"]


def test_metadata_names_the_inputs_and_the_output(app: Application) -> None:
    meta = call(app, "/v2/models/churn").json()
    assert meta["inputs"][2] == {"name": "calls", "datatype": "INT64", "shape": [-1]}
    assert meta["outputs"] == [{"name": "predict", "datatype": "INT64", "shape": [-1]}]
    assert call(app, "/v2/models/churn/versions/9.9.9").code == 404
    assert call(app, "/v2/models/churn/versions/1.3.0/ready").json() == {"name": "churn", "ready": True}
