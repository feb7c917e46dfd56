"""Checks what `modelgate bundle` writes, for the Swift tests.

    python3 validate_bundle.py kserve FILE     # InferenceService against KServe v0.20's CRD schema, strictly
    python3 validate_bundle.py compose FILE    # against the compose-spec JSON schema
    python3 validate_bundle.py crd CRD FILE... # every document of the CRD's kind against its schema, strictly
    python3 validate_bundle.py pod FILE        # writes FILE.pod.yaml: the Pod the InferenceService runs (for checkov)

Exits 0 when everything holds; prints each problem and exits 1 otherwise.
"""
import json
import sys
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
    documents = list(yaml.safe_load_all(Path(path).read_text()))
    services = [d for d in documents if d.get("kind") == "InferenceService"]
    if len(services) != 1 or services[0].get("apiVersion") != "serving.kserve.io/v1beta1":
        return [f"not one serving.kserve.io/v1beta1 InferenceService: {[d.get('kind') for d in documents]}"]
    document = services[0]
    version = next(v for v in crd["spec"]["versions"] if v["name"] == "v1beta1")
    schema = version["schema"]["openAPIV3Schema"]
    problems = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in jsonschema.Draft7Validator(schema).iter_errors(document)]
    problems += strict_unknown_fields({k: v for k, v in document.items() if k != "metadata"}, schema)
    annotations = document["metadata"].get("annotations", {})
    if annotations.get("serving.kserve.io/deploymentMode") != "Standard":
        problems.append("the InferenceService is not annotated serving.kserve.io/deploymentMode: Standard")
    predictor = document["spec"]["predictor"]
    if "securityContext" in predictor:
        problems.append("the predictor has a pod-level securityContext, which Knative refuses")
    try:
        container = kserve_container(document)
        if "securityContext" not in container or not container.get("image"):
            problems.append("the predictor's container needs an image and its own securityContext")
    except ValueError as error:
        problems.append(str(error))
    if not any(d.get("kind") == "NetworkPolicy" for d in documents):
        problems.append("no NetworkPolicy beside the InferenceService")
    return problems


def kserve_container(service):
    """The container KServe v0.20 runs for an InferenceService (a dict), as its controller builds it.

    pkg/controller/v1beta1/inferenceservice/components/predictor.go, buildPredictorResources: a custom
    predictor (spec.predictor.containers) keeps its pod spec and its first container as written, and every
    container gets INFERENCE_SERVICE_NAME. A `model:` predictor is instead merged with the ServingRuntime
    chosen for its format, whose args are appended to the container's (--model_name, --model_dir,
    --http_port): a server that does not take them crash-loops, so that form is refused here (ValueError).
    """
    predictor = service["spec"]["predictor"]
    if "model" in predictor:
        raise ValueError("spec.predictor.model: KServe would merge a ServingRuntime and append its args to the command")
    containers = predictor.get("containers") or []
    if len(containers) != 1 or containers[0].get("name") != "kserve-container":
        raise ValueError(f"the predictor needs one container named kserve-container: {[c.get('name') for c in containers]}")
    container = dict(containers[0])
    env = [item for item in container.get("env", []) if item["name"] != "INFERENCE_SERVICE_NAME"]
    container["env"] = env + [{"name": "INFERENCE_SERVICE_NAME", "value": service["metadata"]["name"]}]
    return container


def pod(path):
    """Writes the Pod KServe's Standard mode would run for the InferenceService in PATH to PATH.pod.yaml."""
    document = next(d for d in yaml.safe_load_all(Path(path).read_text()) if d.get("kind") == "InferenceService")
    predictor = document["spec"]["predictor"]
    container = kserve_container(document)
    spec = {key: value for key, value in predictor.items()
            if key not in ("containers", "minReplicas", "maxReplicas", "labels", "annotations", "scaleMetric",
                           "scaleTarget")}
    spec["containers"] = [container]
    manifest = {"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": document["metadata"]["name"], "namespace": document["metadata"]["namespace"],
                             "labels": predictor.get("labels", {}), "annotations": predictor.get("annotations", {})},
                "spec": spec}
    Path(str(path) + ".pod.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    return []


def crd(arguments):
    """`crd CRD.yaml FILE...`: every document of FILE of the CRD's kind against its version's schema, strictly."""
    definition = yaml.safe_load((SCHEMAS / arguments[0]).read_text())
    group, kind = definition["spec"]["group"], definition["spec"]["names"]["kind"]
    problems, seen = [], 0
    for path in arguments[1:]:
        for document in yaml.safe_load_all(Path(path).read_text()):
            api, _, version = document.get("apiVersion", "").rpartition("/")
            if document.get("kind") != kind or api != group:
                continue
            seen += 1
            versions = [v for v in definition["spec"]["versions"] if v["name"] == version]
            if not versions:
                problems.append(f"{path}: {kind} version {version} is not served by the CRD")
                continue
            schema = versions[0]["schema"]["openAPIV3Schema"]
            problems += [f"{path}: {'/'.join(map(str, e.path))}: {e.message}"
                         for e in jsonschema.Draft7Validator(schema).iter_errors(document)]
            problems += [f"{path}: {p}" for p in strict_unknown_fields(
                {k: v for k, v in document.items() if k != "metadata"}, schema)]
    if seen == 0:
        problems.append(f"no {group} {kind} in {arguments[1:]}")
    return problems


def compose(path):
    schema = json.loads((SCHEMAS / "compose-spec.json").read_text())
    document = yaml.safe_load(Path(path).read_text())
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in jsonschema.Draft7Validator(schema).iter_errors(document)]


if __name__ == "__main__":
    kind, target = sys.argv[1], sys.argv[2]
    found = crd(sys.argv[2:]) if kind == "crd" else {"kserve": kserve, "compose": compose, "pod": pod}[kind](target)
    for problem in found:
        print(problem)
    sys.exit(1 if found else 0)
