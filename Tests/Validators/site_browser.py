#!/usr/bin/env python3
"""Opens pages of a modelgate site in Debian's headless Chromium from file://, as a reader would.

    site_browser.py CHROMIUM SCREENSHOTS ROOT PAGE...

For each page (a path below the site's ROOT), at 1280 and 390 CSS pixels wide: a screenshot into SCREENSHOTS (the page's path with - for /, then -WIDTH.png), every
console message (an error, a warning, a Content-Security-Policy violation: the pages log nothing), and every
network request the page made (from the browser's NetLog: a request whose initiator is the page, so not the
browser's own update checks); then the DOM after the scripts ran, to see that sorting was set up. Prints a
JSON object per page; exits 1 when any page logged to the console, made a request, or its script did not run.
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

WIDTHS = (1280, 390)
HEIGHT = 2400
FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
    "--disable-extensions", "--enable-logging=stderr", "--v=0",
]


def page_requests(netlog: Path) -> list[str]:
    """URLs the page itself asked for: requests whose initiator is a document, not the browser."""
    log = json.loads(netlog.read_text())
    names = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    requests = []
    for event in log["events"]:
        params = event.get("params") or {}
        if names.get(event["type"]) != "URL_REQUEST_START_JOB" or "url" not in params:
            continue
        if params.get("initiator") == "not an origin" and "file://" not in params.get("network_isolation_key", ""):
            continue  # the browser's own traffic (component updates, time), not the page's
        if not params["url"].startswith(("file:", "data:")):
            requests.append(params["url"])
    return requests


def console(stderr: str) -> list[str]:
    return [line.split("] ", 1)[-1] for line in stderr.splitlines() if ":CONSOLE" in line]


def main() -> int:
    chromium, screenshots, root, *pages = sys.argv[1:]
    Path(screenshots).mkdir(parents=True, exist_ok=True)
    failed = False
    for page in pages:
        path = (Path(root) / page).resolve()
        url = path.as_uri()
        name = page.removesuffix(".html").replace("/", "-")
        report = {"page": str(path), "console": [], "requests": [], "screenshots": []}
        for width in WIDTHS:
            with tempfile.TemporaryDirectory() as profile:
                netlog = Path(profile) / "netlog.json"
                shot = Path(screenshots) / f"{name}-{width}.png"
                run = subprocess.run(
                    [chromium, *FLAGS, f"--user-data-dir={profile}/data", f"--log-net-log={netlog}",
                     f"--window-size={width},{HEIGHT}", f"--screenshot={shot}", url],
                    capture_output=True, text=True, timeout=120)
                if run.returncode != 0 or not shot.exists():
                    report["console"].append(f"chromium exited {run.returncode}: {run.stderr[-2000:]}")
                report["console"] += console(run.stderr)
                report["requests"] += page_requests(netlog)
                report["screenshots"].append(str(shot))
        with tempfile.TemporaryDirectory() as profile:
            dom = subprocess.run(
                [chromium, *FLAGS, f"--user-data-dir={profile}/data", "--dump-dom", url],
                capture_output=True, text=True, timeout=120)
        report["console"] += console(dom.stderr)
        sortable = "<table data-sortable" in path.read_text()
        report["sorting"] = '<th scope="col"><button type="button">' in dom.stdout or not sortable
        print(json.dumps(report))
        failed = failed or bool(report["console"] or report["requests"]) or not report["sorting"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
