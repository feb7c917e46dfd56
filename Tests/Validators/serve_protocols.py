"""Starts a bundle's server exactly as its Dockerfile does (or, for a KServe bundle, as KServe runs its
InferenceService) and checks every serving protocol, for the Swift tests.

    python3 serve_protocols.py VENVS BUNDLE [BUNDLE ...]

A virtual environment is created in VENVS/<sha256 of requirements.txt> from the first bundle's
requirements.txt with the Dockerfile's own `pip install` line (the others must install the same); a later
run with the same requirements reuses it. For each bundle: gunicorn runs the Dockerfile's CMD with its ENV
on a loopback port; a real HTTP client checks every route and payload form against the artifact's own
predict/predict_proba on the same rows (computed in VENV), every kind of bad request (a 4xx with a JSON
error, the server still serving), /metrics with prometheus_client's parser, the Open Inference Protocol
shapes, and the memory promise: every worker holding a body at the cap, the server's peak RSS stays under
the manifest's memory limit. Prints each problem; exits 1 when there is one.

A bundle with an inferenceservice.yaml runs the container KServe would run for it (kserve_command),
not the Dockerfile's CMD. The server runs as the image runs it: in bubblewrap as uid 10001, with a
read-only root, a private tmpfs at /tmp (TMPDIR) and HOME=/, as Kubernetes gives a user with no home; only
HOST and PORT differ (a loopback port). It must start without logging an ERROR.
"""
import fcntl
import http.client
import json
import os
import random
import re
import shlex
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families


def dockerfile(bundle):
    """(pip arguments, CMD argv, ENV dict) of the bundle's Dockerfile."""
    text = (bundle / "Dockerfile").read_text()
    joined = re.sub(r"\\\n\s*", " ", text)
    env, pip, cmd = {}, None, None
    for line in joined.splitlines():
        if line.startswith("ENV "):
            for item in shlex.split(line[4:]):
                key, _, value = item.partition("=")
                env[key] = value
        elif line.startswith("RUN pip install"):
            pip = shlex.split(line[len("RUN pip "):])
        elif line.startswith("CMD "):
            cmd = json.loads(line[4:])
    return pip, cmd, env


def kserve_command(bundle):
    """(argv, ENV dict) of the container KServe runs for the bundle's InferenceService (validate_bundle's
    kserve_container follows KServe's controller). As in Kubernetes, `command` replaces the image's
    entrypoint and CMD, and `args` follow it."""
    import yaml

    from validate_bundle import kserve_container

    documents = [d for d in yaml.safe_load_all((bundle / "inferenceservice.yaml").read_text()) if d]
    container = kserve_container(next(d for d in documents if d.get("kind") == "InferenceService"))
    argv = list(container["command"]) + list(container.get("args") or [])
    return argv, {item["name"]: item["value"] for item in container.get("env", [])}


def make_venv(venv, bundle):
    """The bundle's environment in `venv`, made once. Tests run side by side may ask for the same one: the
    first makes it under a lock on `<venv>.lock`, the others wait for it and find it complete."""
    pip, _, _ = dockerfile(bundle)
    venv.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{venv}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _make_venv_locked(venv, bundle, pip)


def _make_venv_locked(venv, bundle, pip):
    if (venv / "complete").exists():
        return []  # made by an earlier run from the same requirements
    subprocess.run(["rm", "-rf", str(venv)], check=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # The Dockerfile's own line, run from the bundle folder (where requirements.txt is).
    result = subprocess.run([str(venv / "bin" / "pip"), "--disable-pip-version-check", *pip], cwd=bundle,
                            capture_output=True, text=True)
    if result.returncode != 0:
        return [f"pip install {' '.join(pip)} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"]
    (venv / "complete").write_text("")
    return []


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, venv, bundle):
        _, cmd, env = dockerfile(bundle)
        if (bundle / "inferenceservice.yaml").exists():
            cmd, container_env = kserve_command(bundle)
            env = {**env, **container_env}
        self.port = free_port()
        environment = dict(os.environ)
        environment.update(env)
        environment.update(HOST="127.0.0.1", PORT=str(self.port), PATH=f"{venv / 'bin'}:{os.environ['PATH']}")
        environment.pop("PROMETHEUS_MULTIPROC_DIR", None)
        environment.update(TMPDIR="/tmp", HOME="/")
        self.env = env
        # The image: uid 10001, the root file system read-only, /tmp a private tmpfs (the manifests' emptyDir).
        # The bundle and the environment are bound again over the tmpfs, in case they live under /tmp.
        image = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
                 "--ro-bind", str(bundle), str(bundle), "--ro-bind", str(venv), str(venv),
                 "--unshare-user", "--uid", "10001", "--gid", "10001", "--die-with-parent", "--chdir", str(bundle)]
        self.process = subprocess.Popen([*image, str(venv / "bin" / cmd[0]), *cmd[1:]], env=environment,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if self.request("GET", "/ping")[0] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.process.stderr.read()[-3000:]}")
            time.sleep(0.2)
        raise RuntimeError("the server did not answer /ping within 60 s")

    def request(self, method, path, body=None, headers=None, raw=False):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
            sent = {"Content-Type": "application/json"} if data is not None else {}
            sent.update(headers or {})
            connection.request(method, path, body=data, headers=sent)
            response = connection.getresponse()
            payload = response.read()
            if raw:
                return response.status, payload, dict(response.getheaders())
            try:
                return response.status, json.loads(payload)
            except ValueError:
                return response.status, {"not JSON": payload[:200].decode(errors="replace")}
        finally:
            connection.close()

    def pids(self):
        """bubblewrap's process and every process below it (gunicorn's master and workers)."""
        found, queue = [], [self.process.pid]
        while queue:
            pid = queue.pop(0)
            found.append(pid)
            try:
                queue += [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
            except OSError:
                pass
        return found

    def stop(self):
        """Kills the server; returns what it logged at ERROR."""
        pids = self.pids()
        for pid in reversed(pids):  # SIGKILL: a SIGTERM may be blocked in the mask the test runner hands down
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
        self.process.wait(timeout=10)
        return [line for line in self.process.stderr.read().splitlines() if "[ERROR]" in line]


def reference(venv, bundle, rows, output):
    """The artifact's own predict/predict_proba on `rows`, computed with the bundle's packages."""
    script = (
        "import json, pickle, sys, numpy\n"
        "model = pickle.loads(open(sys.argv[1], 'rb').read())\n"
        "rows = numpy.asarray(json.loads(sys.stdin.read()), dtype=float)\n"
        f"print(json.dumps(model.{output}(rows).tolist()))\n")
    result = subprocess.run([str(venv / "bin" / "python"), "-c", script, str(bundle / "model" / "artifact")],
                            input=json.dumps(rows), capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def model_facts(venv, bundle):
    script = ("import json, pickle, sys\nmodel = pickle.loads(open(sys.argv[1], 'rb').read())\n"
              "print(json.dumps({'width': int(model.n_features_in_), 'classes': [c.item() if hasattr(c, 'item') else c "
              "for c in getattr(model, 'classes_', [])]}))\n")
    result = subprocess.run([str(venv / "bin" / "python"), "-c", script, str(bundle / "model" / "artifact")],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def close(a, b):
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    return a == b


def check_bundle(venv, bundle):
    problems = []
    meta = json.loads((bundle / "bundle.json").read_text())
    model_name = meta["model"]
    serve_text = (bundle / "serve.py").read_text()
    output = re.search(r'^    output="(\w+)",$', serve_text, re.M).group(1)
    inputs = [name for name, _ in eval(re.search(r"^    inputs=tuple\((.*)\),$", serve_text, re.M).group(1))]
    facts = model_facts(venv, bundle)
    width = facts["width"]
    columns = inputs or [f"x{i}" for i in range(width)]
    rng = random.Random(11)
    rows = [[round(rng.uniform(0, 80), 3) for _ in range(width)] for _ in range(40)]
    expected = reference(venv, bundle, rows, output)
    server = Server(venv, bundle)
    try:
        def expect(name, status, body, want_status=200, key="predictions", want=expected):
            if status != want_status:
                problems.append(f"{name}: status {status}, not {want_status}: {str(body)[:300]}")
            elif want_status == 200 and not close(body.get(key), want):
                problems.append(f"{name}: not the artifact's own {output} on the same rows: {str(body)[:200]}")
            elif want_status != 200 and not (isinstance(body, dict) and isinstance(body.get("error"), str)):
                problems.append(f"{name}: {status} without a JSON error: {str(body)[:200]}")

        # Health and metadata.
        for path in ("/ping", "/health", "/v2/health/live", "/v2/health/ready", f"/v1/models/{model_name}",
                     f"/v2/models/{model_name}", f"/v2/models/{model_name}/ready"):
            status, body = server.request("GET", path)
            if status != 200:
                problems.append(f"GET {path}: {status} {body}")
        status, body = server.request("GET", f"/v1/models/{model_name}")
        if body != {"name": model_name, "ready": True}:
            problems.append(f"/v1/models/{model_name}: {body}")
        status, body = server.request("GET", f"/v2/models/{model_name}")
        for key in ("name", "versions", "platform", "inputs", "outputs"):
            if key not in body:
                problems.append(f"v2 metadata has no {key}: {body}")
        for tensor in body.get("inputs", []) + body.get("outputs", []):
            if set(tensor) != {"name", "datatype", "shape"}:
                problems.append(f"v2 metadata tensor is not {{name, datatype, shape}}: {tensor}")
        if body.get("versions") != [meta["version"]] or body.get("name") != model_name:
            problems.append(f"v2 metadata names {body.get('name')} {body.get('versions')}")

        # MLflow's scoring protocol, every payload form.
        order = list(range(width))
        shuffled = order[::-1]
        split = {"dataframe_split": {"columns": [columns[i] for i in shuffled], "data": [[r[i] for i in shuffled] for r in rows]}}
        records = {"dataframe_records": [{columns[i]: r[i] for i in shuffled} for r in rows]}
        forms = [("instances", {"instances": rows}), ("inputs (rows)", {"inputs": rows}), ("bare list", rows),
                 ("instances as records", {"instances": [{columns[i]: r[i] for i in (shuffled if inputs else order)}
                                                         for r in rows]})]
        if inputs:
            forms += [("dataframe_split (shuffled columns)", split), ("dataframe_records", records),
                      ("inputs (columns)", {"inputs": {columns[i]: [r[i] for r in rows] for i in shuffled}})]
        else:
            forms += [("dataframe_split", {"dataframe_split": {"columns": columns, "data": rows}})]
        for name, payload in forms:
            expect(f"/invocations {name}", *server.request("POST", "/invocations", payload))
        header = ",".join(columns[i] for i in shuffled) if inputs else ",".join(columns)
        csv_rows = [[r[i] for i in shuffled] if inputs else r for r in rows]
        csv_body = (header + "\n" + "\n".join(",".join(repr(v) for v in r) for r in csv_rows) + "\n").encode()
        expect("/invocations text/csv", *server.request("POST", "/invocations", csv_body, {"Content-Type": "text/csv"}))

        # KServe v1 and the Open Inference Protocol.
        expect("v1 :predict", *server.request("POST", f"/v1/models/{model_name}:predict", {"instances": rows}))
        if (bundle / "inferenceservice.yaml").exists():
            # KServe routes by the InferenceService's name, which its controller gives the container.
            service = kserve_command(bundle)[1]["INFERENCE_SERVICE_NAME"]
            expect("v1 :predict under the InferenceService's name",
                   *server.request("POST", f"/v1/models/{service}:predict", {"instances": rows}))
        flat = [v for r in rows for v in r]
        status, body = server.request("POST", f"/v2/models/{model_name}/infer", {
            "id": "r1", "inputs": [{"name": "input-0", "shape": [len(rows), width], "datatype": "FP64", "data": flat}]})
        check_v2(problems, "v2 infer (2-D, flat)", status, body, model_name, meta["version"], expected)
        status, body = server.request("POST", f"/v2/models/{model_name}/infer", {
            "inputs": [{"name": "input-0", "shape": [len(rows), width], "datatype": "FP64", "data": rows}]})
        check_v2(problems, "v2 infer (2-D, nested)", status, body, model_name, meta["version"], expected)
        if inputs:
            tensors = [{"name": columns[i], "shape": [len(rows)], "datatype": "FP64", "data": [r[i] for r in rows]}
                       for i in shuffled]
            status, body = server.request("POST", f"/v2/models/{model_name}/versions/{meta['version']}/infer",
                                          {"inputs": tensors})
            check_v2(problems, "v2 infer (one tensor per input)", status, body, model_name, meta["version"], expected)

        # Bad requests: a 4xx with a JSON error, and the server keeps serving.
        cap = int(server.env["MAX_BODY_BYTES"])
        bad = [
            ("malformed JSON", b"{not json", 400),
            ("wrong width", {"instances": [[1.0, 2.0]]}, 400),
            ("strings", {"instances": [["a"] * width]}, 400),
            ("booleans", {"instances": [[True] * width]}, 400),
            ("empty rows", {"instances": []}, 400),
            ("ragged", {"instances": [[1.0] * width, [1.0]]}, 400),
            ("two keys", {"instances": rows, "inputs": rows}, 400),
            ("NaN", ('{"instances": [[' + ",".join(["NaN"] * width) + "]]}").encode(), 400),
            ("Infinity", ('{"instances": [[' + ",".join(["Infinity"] * width) + "]]}").encode(), 400),
            ("1e400", ('{"instances": [[' + ",".join(["1e400"] * width) + "]]}").encode(), 400),
            ("10^400 as an integer", ('{"instances": [[' + ",".join(["1" + "0" * 400] * width) + "]]}").encode(), 400),
            ("10^5000 as an integer", ('{"instances": [[' + ",".join(["9" * 5000] * width) + "]]}").encode(), 400),
            ("nested 100,000 deep", b"[" * 100000 + b"]" * 100000, 400),
            ("object nested 100,000 deep", b'{"a":' * 100000 + b"1" + b"}" * 100000, 400),
            ("not UTF-8", b"\xff\xfe{}", 400),
            ("a string body", b'"rows"', 400),
            ("dataframe_split without data", {"dataframe_split": {"columns": columns}}, 400),
            ("dataframe_records of non-objects", {"dataframe_records": [1, 2]}, 400),
            ("wrong content type", (b"x", {"Content-Type": "application/xml"}), 415),
        ]
        if inputs:
            bad += [("unknown column", {"dataframe_split": {"columns": ["nope"] + columns[1:], "data": [rows[0]]}}, 400),
                    ("missing record key", {"dataframe_records": [{columns[0]: 1.0}]}, 400)]
        for name, payload, want in bad:
            headers = None
            if isinstance(payload, tuple):
                payload, headers = payload
            status, body = server.request("POST", "/invocations", payload, headers)
            expect(f"bad request: {name}", status, body, want)
        for name, path, method, want in [("unknown route", "/nope", "GET", 404),
                                         ("unknown model v1", "/v1/models/other:predict", "POST", 404),
                                         ("unknown model v2", "/v2/models/other/infer", "POST", 404),
                                         ("GET /invocations", "/invocations", "GET", 405)]:
            status, body = server.request(method, path, {"instances": rows} if method == "POST" else None)
            expect(name, status, body, want)
        for name, payload in [("v2 without inputs", {"rows": rows}),
                              ("v2 shape mismatch", {"inputs": [{"name": "x", "shape": [2, width], "datatype": "FP64",
                                                                  "data": flat[:width]}]}),
                              ("v2 bad datatype", {"inputs": [{"name": "x", "shape": [1, width], "datatype": "FLOAT",
                                                                "data": rows[0]}]})]:
            expect(name, *server.request("POST", f"/v2/models/{model_name}/infer", payload), 400)
        problems += body_limits(server, cap, width)
        status, _ = server.request("GET", "/ping")
        if status != 200:
            problems.append("the server stopped serving after the bad requests")
        problems += check_triton(server, model_name, output, rows, expected)
        problems += check_metrics(server)
        problems += memory_promise(server, cap, width, bundle)
    finally:
        problems += [f"on start: {line}" for line in server.stop()]
    return problems


def check_triton(server, model_name, output, rows, expected):
    """tritonclient's requests (binary tensor data both ways), run with the Python in TRITON_PYTHON."""
    python = os.environ.get("TRITON_PYTHON")
    if not python:
        return ["TRITON_PYTHON names no Python with tritonclient (Tests/Validators/triton.txt)"]
    script = Path(__file__).with_name("triton_infer.py")
    result = subprocess.run([python, str(script), f"127.0.0.1:{server.port}", model_name, output, json.dumps(rows)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        return [f"tritonclient: {result.stdout[-1000:]}{result.stderr[-1000:]}"]
    answers = json.loads(result.stdout)
    problems = [f"tritonclient {way}: not the artifact's own {output}: {str(answers[way])[:200]}"
                for way in ("default", "json_in", "json_out") if not close(answers[way], expected)]
    if "binary_tensor_data" not in answers["extensions"]:
        problems.append(f"server metadata does not declare binary_tensor_data: {answers['extensions']}")
    return problems


def check_v2(problems, name, status, body, model_name, version, expected):
    if status != 200:
        problems.append(f"{name}: {status} {str(body)[:300]}")
        return
    if body.get("model_name") != model_name or body.get("model_version") != version:
        problems.append(f"{name}: names {body.get('model_name')} {body.get('model_version')}")
    outputs = body.get("outputs")
    if not isinstance(outputs, list) or len(outputs) != 1 or set(outputs[0]) != {"name", "shape", "datatype", "data"}:
        problems.append(f"{name}: outputs is not one {{name, shape, datatype, data}} tensor: {str(body)[:200]}")
        return
    tensor = outputs[0]
    count = 1
    for size in tensor["shape"]:
        count *= size
    if count != len(tensor["data"]) or tensor["datatype"] not in ("INT64", "FP64", "BOOL", "BYTES"):
        problems.append(f"{name}: shape {tensor['shape']} / datatype {tensor['datatype']} do not fit the data")
    want = [v for row in expected for v in row] if expected and isinstance(expected[0], list) else expected
    if not close(tensor["data"], want):
        problems.append(f"{name}: not the artifact's own predictions")


def body_limits(server, cap, width):
    """Over the cap: 413 after the body is read; chunked: 411; never a reset."""
    problems = []
    row = "[" + ",".join(["1.5"] * width) + "]"
    body = ('{"instances": [' + ",".join([row] * (cap // len(row) + 10)) + "]}").encode()
    for name, headers, data in [("a body over the cap", {"Content-Type": "application/json"}, body)]:
        try:
            status, payload, _ = server.request("POST", "/invocations", data, headers, raw=True)
            if status != 413 or "error" not in json.loads(payload):
                problems.append(f"{name}: {status} {payload[:200]}")
        except (ConnectionResetError, BrokenPipeError) as error:
            problems.append(f"{name}: the connection was reset ({error}) instead of a 413")
    connection = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    try:
        chunk = b'{"instances": [' + row.encode() + b"]}"
        connection.sendall(b"POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           b"Transfer-Encoding: chunked\r\n\r\n" + f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n0\r\n\r\n")
        answer = b""
        while True:
            part = connection.recv(65536)
            if not part:
                break
            answer += part
            if b"\r\n\r\n" in answer and b"error" in answer:
                break
        head = answer.split(b"\r\n", 1)[0]
        if b" 411 " not in head or b"Content-Length" not in answer:
            problems.append(f"a chunked body: {answer[:200]}")
    except (ConnectionResetError, BrokenPipeError) as error:
        problems.append(f"a chunked body: the connection was reset ({error})")
    finally:
        connection.close()
    return problems


def check_metrics(server):
    problems = []
    status, payload, headers = server.request("GET", "/metrics", raw=True)
    if status != 200:
        return [f"/metrics: {status}"]
    families = {family.name: family for family in text_string_to_metric_families(payload.decode())}
    for name in ("modelgate_requests", "modelgate_request_errors", "modelgate_request_duration_seconds",
                 "modelgate_rows_predicted", "modelgate_prediction_value"):
        if name not in families:
            problems.append(f"/metrics has no {name}: {sorted(families)}")
    if "modelgate_requests" in families:
        routes = {sample.labels.get("route") for sample in families["modelgate_requests"].samples}
        if "/invocations" not in routes or "/v2/models/{model}/infer" not in routes:
            problems.append(f"/metrics counts requests by route: {routes}")
    if "modelgate_rows_predicted" in families:
        total = sum(s.value for s in families["modelgate_rows_predicted"].samples if s.name.endswith("_total"))
        if total < 40:
            problems.append(f"/metrics counts {total} rows predicted")
    return problems


def peak_rss(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def memory_promise(server, cap, width, bundle):
    """Every worker holding a body at the cap at once: the sum of the processes' peak RSS stays under the limit."""
    limit_text = re.search(r'memory: "(\d+)Mi"', next(
        p.read_text() for p in bundle.iterdir() if p.name in ("deployment.yaml", "inferenceservice.yaml", "compose.yaml")))
    if limit_text is None:
        return []
    limit = int(limit_text.group(1)) * 1024 * 1024
    workers = int(server.env["WORKERS"])
    # The densest valid body: one-value-per-two-bytes rows, as many as fit under the cap.
    row = "[" + ",".join(["0"] * width) + "]"
    body = ('{"instances": [' + ",".join([row] * ((cap - 20) // (len(row) + 1))) + "]}").encode()
    assert len(body) <= cap
    results = []

    def send():
        results.append(server.request("POST", "/invocations", body)[0])

    threads = [threading.Thread(target=send) for _ in range(workers * 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if any(status != 200 for status in results):
        return [f"bodies at the cap were answered {results}"]
    total = sum(peak_rss(pid) for pid in server.pids())
    print(f"memory: {workers} workers, cap {cap} bytes, peak RSS sum {total / 2**20:.0f} MiB of {limit / 2**20:.0f} MiB")
    if total >= limit:
        return [f"peak RSS {total / 2**20:.0f} MiB with every worker at the cap is over the limit {limit / 2**20:.0f} MiB"]
    return []


if __name__ == "__main__":
    bundles = [Path(path).resolve() for path in sys.argv[2:]]
    digest = __import__("hashlib").sha256((bundles[0] / "requirements.txt").read_bytes()).hexdigest()[:16]
    venv = Path(sys.argv[1]) / digest
    found = make_venv(venv, bundles[0])
    for bundle in bundles[1:]:
        if (bundle / "requirements.txt").read_bytes() != (bundles[0] / "requirements.txt").read_bytes():
            found.append(f"{bundle}: requirements differ from the first bundle's")
    if not found:
        for bundle in bundles:
            found += [f"{bundle.name}: {problem}" for problem in check_bundle(venv, bundle)]
    for problem in found:
        print(problem)
    sys.exit(1 if found else 0)
