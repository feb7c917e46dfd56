#!/usr/bin/env python3
"""The import graph of the sources, and the rules it must keep (run by `make lint`).

Two levels:
- Targets. Every `import` of a package target must name one of the target's dependencies (direct or
  not) as Package.swift declares them: SwiftPM lets a module import any module already built, so an
  undeclared import (a cycle the build cannot see) is caught here. The feature targets never depend on
  each other, only on the gate or the registry.
- Folders. Inside a target, a folder depends on another when it names a type declared there; the graph
  of the first-level folders must have no cycle.

    python3 Tests/import-graph.py              check; print what breaks a rule
    python3 Tests/import-graph.py --print      print both graphs as well
    python3 Tests/import-graph.py --self-test  show that each rule catches what it is for, on a made-up tree
"""

import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FEATURES = {"ModelGateRepro", "ModelGateBundle", "ModelGateDrift", "ModelGatePromotion", "ModelGateImport",
            "ModelGateSite"}
DECLARATION = re.compile(
    r"^(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|final|indirect)\s+)*"
    r"(?:struct|enum|class|protocol|actor|typealias)\s+([A-Z]\w*)", re.M)
IMPORT = re.compile(r"^(?:@testable\s+|@_exported\s+|@preconcurrency\s+)?import\s+(\w+)", re.M)


def without_comments_and_strings(text):
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r'"""(.*?)"""', '""', text, flags=re.S)
    return re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)


def package_targets():
    """Each target of Package.swift: its folder and the package targets it depends on."""
    dump = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, check=True,
                                     capture_output=True, text=True).stdout)
    targets = {}
    for target in dump["targets"]:
        dependencies = []
        for dependency in target["dependencies"]:
            kind, value = next(iter(dependency.items()))
            if kind in ("byName", "target"):
                dependencies.append(value[0])
        folder = target.get("path") or os.path.join(
            "Tests" if target["type"] == "test" else "Sources", target["name"])
        targets[target["name"]] = {"folder": folder, "dependencies": dependencies}
    return targets


def closure(targets, name):
    seen, stack = set(), list(targets[name]["dependencies"])
    while stack:
        current = stack.pop()
        if current in seen or current not in targets:
            continue
        seen.add(current)
        stack.extend(targets[current]["dependencies"])
    return seen


def swift_files(folder):
    for directory, _, names in os.walk(folder if os.path.isabs(folder) else os.path.join(ROOT, folder)):
        for name in sorted(names):
            if name.endswith(".swift"):
                yield os.path.join(directory, name)


def target_problems(targets):
    problems = []
    for name, target in sorted(targets.items()):
        reachable = closure(targets, name)
        for path in swift_files(target["folder"]):
            for imported in IMPORT.findall(open(path, encoding="utf-8").read()):
                if imported in targets and imported != name and imported not in reachable:
                    problems.append(f"{os.path.relpath(path, ROOT)} imports {imported}, "
                                    f"which {name} does not depend on in Package.swift")
        if name in FEATURES:
            for other in sorted(set(target["dependencies"]) & FEATURES):
                problems.append(f"the feature {name} depends on the feature {other}: features depend on the "
                                "gate or the registry only")
    return problems


def folder_graph(folder):
    """Edges between the first-level folders of one target: (from, to) -> the type names that make it."""
    files = {}
    for path in swift_files(folder):
        relative = os.path.relpath(path, folder if os.path.isabs(folder) else os.path.join(ROOT, folder))
        files[path] = relative.split(os.sep)[0] if os.sep in relative else "."
    owners, texts = {}, {}
    for path, unit in files.items():
        texts[path] = without_comments_and_strings(open(path, encoding="utf-8").read())
        for declared in DECLARATION.findall(texts[path]):
            owners.setdefault(declared, set()).add(unit)
    edges = {}
    for path, unit in files.items():
        for name in set(re.findall(r"\b[A-Z]\w*\b", texts[path])):
            for owner in owners.get(name, ()):
                if owner != unit:
                    edges.setdefault((unit, owner), set()).add(name)
    return edges


def cycles(edges):
    """The strongly connected components of more than one folder (Tarjan)."""
    graph = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph[node]):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def self_test():
    """Each rule on a made-up tree that breaks it: a check that cannot fail would pass here."""
    failures = []
    with tempfile.TemporaryDirectory() as root:
        def write(path, text):
            os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
            with open(os.path.join(root, path), "w", encoding="utf-8") as file:
                file.write(text)

        write("Low/A/One.swift", "struct One { let two: Two? }\n")
        write("Low/B/Two.swift", "struct Two { let one: One? }\n")
        write("FeatureX/X.swift", "import FeatureY\nimport Low\n")
        write("FeatureY/Y.swift", "import Low\n")
        targets = {
            "Low": {"folder": os.path.join(root, "Low"), "dependencies": []},
            "FeatureX": {"folder": os.path.join(root, "FeatureX"), "dependencies": ["Low"]},
            "FeatureY": {"folder": os.path.join(root, "FeatureY"), "dependencies": ["Low"]},
        }
        if cycles(folder_graph(os.path.join(root, "Low"))) != [["A", "B"]]:
            failures.append("a cycle between two folders was not found")
        if not any("imports FeatureY" in problem for problem in target_problems(targets)):
            failures.append("an import of an undeclared target was not found")
        global FEATURES
        kept, FEATURES = FEATURES, {"FeatureX", "FeatureY"}
        targets["FeatureX"]["dependencies"].append("FeatureY")
        if not any("depends on the feature" in problem for problem in target_problems(targets)):
            failures.append("a feature over another feature was not found")
        FEATURES = kept
    for failure in failures:
        print(f"import graph self-test: {failure}", file=sys.stderr)
    return 1 if failures else 0


def main():
    if "--self-test" in sys.argv[1:]:
        return self_test()
    show = "--print" in sys.argv[1:]
    targets = package_targets()
    problems = target_problems(targets)
    for name, target in sorted(targets.items()):
        if not target["folder"].startswith("Sources") or not os.path.isdir(os.path.join(ROOT, target["folder"])):
            continue
        edges = folder_graph(target["folder"])
        if show:
            print(f"{name}: {', '.join(sorted(d for d in target['dependencies'] if d in targets)) or '-'}")
            for (a, b), names in sorted(edges.items()):
                print(f"    {a}/ -> {b}/  ({', '.join(sorted(names)[:4])}{', …' if len(names) > 4 else ''})")
        for component in cycles(edges):
            shown = "; ".join(f"{a} -> {b} ({', '.join(sorted(names)[:3])})"
                              for (a, b), names in sorted(edges.items())
                              if a in component and b in component)
            problems.append(f"{name}: the folders {', '.join(component)} depend on each other: {shown}")
    for problem in problems:
        print(f"import graph: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
