"""Checks what `modelgate bundle` writes, for the Swift tests.

    python3 validate_bundle.py kserve FILE     # InferenceService against KServe v0.20's CRD schema, strictly
    python3 validate_bundle.py compose FILE    # against the compose-spec JSON schema
    python3 validate_bundle.py serve DIR       # starts DIR/serve.py on a free loopback port and queries it

Exits 0 when everything holds; prints each problem and exits 1 otherwise.
"""
import json
import os
import pickle
import random
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import jsonschema
import yaml

SCHEMAS = Path(__file__).resolve().parent / "schemas"


def strict_unknown_fields(document, schema, path="$"):
    """Fields the schema does not declare (Kubernetes would prune them silently): a typo in a manifest."""
    problems = []
    if schema.get("x-kubernetes-preserve-unknown-fields"):
        return problems
    if isinstance(document, dict):
        properties = schema.get("properties")
        additional = schema.get("additionalProperties")
        for key, value in document.items():
            if properties is not None and key in properties:
                problems += strict_unknown_fields(value, properties[key], f"{path}.{key}")
            elif isinstance(additional, dict):
                problems += strict_unknown_fields(value, additional, f"{path}.{key}")
            elif properties is not None:
                problems.append(f"{path}.{key}: not a field of the schema")
    elif isinstance(document, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(document):
            problems += strict_unknown_fields(item, schema["items"], f"{path}[{index}]")
    return problems


def kserve(path):
    crd = yaml.safe_load((SCHEMAS / "serving.kserve.io_inferenceservices.v0.20.0.yaml").read_text())
    document = yaml.safe_load(Path(path).read_text())
    if document.get("apiVersion") != "serving.kserve.io/v1beta1" or document.get("kind") != "InferenceService":
        return [f"not a serving.kserve.io/v1beta1 InferenceService: {document.get('apiVersion')} {document.get('kind')}"]
    version = next(v for v in crd["spec"]["versions"] if v["name"] == "v1beta1")
    schema = version["schema"]["openAPIV3Schema"]
    problems = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in jsonschema.Draft7Validator(schema).iter_errors(document)]
    problems += strict_unknown_fields({k: v for k, v in document.items() if k != "metadata"}, schema)
    containers = document["spec"]["predictor"].get("containers", [])
    if [c.get("name") for c in containers] != ["kserve-container"]:
        problems.append("the predictor must have one container named kserve-container")
    return problems


def compose(path):
    schema = json.loads((SCHEMAS / "compose-spec.json").read_text())
    document = yaml.safe_load(Path(path).read_text())
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in jsonschema.Draft7Validator(schema).iter_errors(document)]


def request(url, body=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def serve(directory):
    directory = Path(directory)
    problems = []
    env = dict(os.environ, MODEL_PATH=str(directory / "model" / "artifact"), HOST="127.0.0.1", PORT="0")
    process = subprocess.Popen([sys.executable, "serve.py"], cwd=directory, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        line = process.stdout.readline()
        if "http://" not in line:
            return [f"serve.py did not start: {line}{process.stdout.read() if process.poll() is not None else ''}"]
        base = line.strip().split()[-1]
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                status, body = request(base + "/ping")
                break
            except OSError:
                time.sleep(0.1)
        if status != 200 or body.get("status") != "ok":
            problems.append(f"/ping answered {status} {body}")
        model = pickle.loads((directory / "model" / "artifact").read_bytes())
        width = model.n_features_in_
        rng = random.Random(7)
        rows = [[rng.uniform(0, 80) for _ in range(width)] for _ in range(50)]
        expected = [value.item() for value in model.predict(rows)]
        for payload in ({"instances": rows}, {"inputs": rows}, rows):
            status, body = request(base + "/invocations", payload)
            if status != 200 or body.get("predictions") != expected:
                problems.append(f"/invocations with {type(payload).__name__} answered {status}: not the model's predictions")
        for name, raw in [("bad JSON", b"{not json"), ("wrong width", json.dumps({"instances": [[1, 2]]}).encode()),
                          ("strings", json.dumps({"instances": [["a"] * width]}).encode()),
                          ("empty", json.dumps({"instances": []}).encode()),
                          ("ragged", json.dumps({"instances": [[1.0] * width, [1.0]]}).encode()),
                          ("both keys", json.dumps({"instances": rows, "inputs": rows}).encode())]:
            status, body = request(base + "/invocations", raw=raw)
            if status != 400 or "error" not in body:
                problems.append(f"{name}: expected 400 with an error, got {status} {body}")
        status, _ = request(base + "/nope")
        if status != 404:
            problems.append(f"unknown path answered {status}")
        status, body = request(base + "/ping")
        if status != 200:
            problems.append("the server did not survive bad requests")
    finally:
        process.kill()  # SIGKILL: a SIGTERM may be blocked in the mask the test runner hands down
        process.wait(timeout=10)
    return problems


if __name__ == "__main__":
    kind, target = sys.argv[1], sys.argv[2]
    found = {"kserve": kserve, "compose": compose, "serve": serve}[kind](target)
    for problem in found:
        print(problem)
    sys.exit(1 if found else 0)
