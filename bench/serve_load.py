"""Load generator of bench/serve.sh: starts both servers, sends the same requests to each, prints a table.

MLflow serves the same estimator saved as an MLflow model with a signature (the columns the requests name,
as `mlflow.sklearn.log_model(..., signature=...)` records them). Each cell runs ROUNDS rounds, the two
servers taking turns to go first, and prints the range of the ratios over the rounds."""
import http.client
import json
import os
import pickle
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

work, venvs, total = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
rounds = int(os.environ.get("ROUNDS", "3"))
bundle = work / "bundle"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "Tests" / "Validators"))
import serve_protocols  # noqa: E402  (the tests' venv maker: the Dockerfile's own pip line)

digest = __import__("hashlib").sha256((bundle / "requirements.txt").read_bytes()).hexdigest()[:16]
venv = venvs / digest
problems = serve_protocols.make_venv(venv, bundle)
if problems:
    sys.exit("\n".join(problems))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait(port, path, process):
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        if process.poll() is not None:
            sys.exit(f"a server exited: see {work}/modelgate.log and {work}/mlflow.log")
        time.sleep(0.3)
    sys.exit("a server did not start")


def load(port, body, concurrency):
    """(requests per second, p99 seconds) of `total` POSTs of `body`, `concurrency` keep-alive clients."""
    latencies = []
    lock = threading.Lock()
    per_client = total // concurrency

    def connect():
        # No Nagle: a keep-alive client would otherwise wait on delayed ACKs (40 ms a request).
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.connect()
        connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection

    def client():
        # A connection per request for both servers: gunicorn's sync workers close after each response, and
        # uvicorn's keep-alive answers stall ~40 ms on delayed ACKs (its response leaves in two segments).
        mine = []
        for _ in range(per_client):
            started = time.perf_counter()
            connection = connect()
            connection.request("POST", "/invocations", body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            payload = response.read()
            connection.close()
            if response.status != 200:
                raise SystemExit(f"status {response.status}: {payload[:200]}")
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return len(latencies) / elapsed, latencies[int(len(latencies) * 0.99) - 1]


model = pickle.loads((bundle / "model" / "artifact").read_bytes())
mlflow_model = work / "mlflow-model"
subprocess.run([sys.executable, "-c", (
    "import pickle, sys, numpy, pandas, mlflow.sklearn\n"
    "from mlflow.models import infer_signature\n"
    "model = pickle.load(open(sys.argv[1], 'rb'))\n"
    "x = pandas.DataFrame(numpy.ones((4, model.n_features_in_)), columns=[str(i) for i in range(model.n_features_in_)])\n"
    "mlflow.sklearn.save_model(model, sys.argv[2], signature=infer_signature(x, model.predict(x.to_numpy())))\n"),
    str(bundle / "model" / "artifact"), str(mlflow_model)], check=True, capture_output=True)

ours_port, theirs_port = free_port(), free_port()
_, cmd, env = serve_protocols.dockerfile(bundle)
ours_env = dict(os.environ, **{k: v for k, v in env.items() if k != "PORT"}, HOST="127.0.0.1", PORT=str(ours_port))
# Logs go to files: a pipe nobody reads would fill up and stall a server mid-benchmark.
ours = subprocess.Popen([str(venv / "bin" / cmd[0]), *cmd[1:]], cwd=bundle, env=ours_env,
                        stdout=subprocess.DEVNULL, stderr=open(work / "modelgate.log", "w"), start_new_session=True)
mlflow_bin = Path(sys.executable).parent / "mlflow"
theirs = subprocess.Popen([str(mlflow_bin), "models", "serve", "-m", str(mlflow_model), "--env-manager", "local",
                           "--host", "127.0.0.1", "--port", str(theirs_port), "--workers", env.get("WORKERS", "2")],
                          stdout=subprocess.DEVNULL, stderr=open(work / "mlflow.log", "w"), start_new_session=True,
                          env=dict(os.environ, PATH=f"{mlflow_bin.parent}:{os.environ['PATH']}"))
try:
    wait(ours_port, "/ping", ours)
    wait(theirs_port, "/ping", theirs)
    rng = random.Random(3)
    width = model.n_features_in_
    columns = [str(i) for i in range(width)]
    print(f"serving churn 1.3.0 on loopback, {total} requests per cell and round, {rounds} rounds (the servers "
          f"alternating first), {env.get('WORKERS', '2')} workers each")
    print(f"{'rows':>4} {'clients':>7} | {'modelgate req/s':>15} {'p99 ms':>7} | {'MLflow req/s':>12} {'p99 ms':>7} | "
          f"req/s ratio, p99 ratio (MLflow's / ours) over the rounds")
    for rows in (1, 100):
        data = [[round(rng.uniform(0, 80), 3) for _ in range(width)] for _ in range(rows)]
        body = json.dumps({"dataframe_split": {"columns": columns, "data": data}}).encode()
        for concurrency in (1, 4):
            load(ours_port, body, concurrency)  # warm-up
            load(theirs_port, body, concurrency)
            results = []
            for round_ in range(rounds):
                order = [ours_port, theirs_port] if round_ % 2 == 0 else [theirs_port, ours_port]
                measured = {port: load(port, body, concurrency) for port in order}
                results.append((measured[ours_port], measured[theirs_port]))
            speed = sorted(o[0] / t[0] for o, t in results)
            tail = sorted(t[1] / o[1] for o, t in results)
            (ours_rps, ours_p99), (theirs_rps, theirs_p99) = results[-1]
            print(f"{rows:>4} {concurrency:>7} | {ours_rps:>15.0f} {ours_p99 * 1000:>7.2f} | {theirs_rps:>12.0f} "
                  f"{theirs_p99 * 1000:>7.2f} | {speed[0]:.2f}–{speed[-1]:.2f}x req/s, p99 {tail[0]:.2f}–{tail[-1]:.2f}x "
                  f"lower (target > 1)")
finally:
    for process in (ours, theirs):
        try:
            os.killpg(process.pid, 9)
        except ProcessLookupError:
            pass
