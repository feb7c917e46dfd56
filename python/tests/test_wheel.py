"""The wheel as pip sees it: its tag (auditwheel), its metadata (twine), its contents, and the installed
``modelgate`` command, also with the system's copies of the libraries it carries hidden and without Swift."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import modelgate_registry as modelgate

TOOLS = Path(sys.executable).parent


def tool(name: str) -> str:
    """A checker from the tools environment (``$MODELGATE_PYTHON_TOOLS``) or this one."""
    folder = Path(os.environ.get("MODELGATE_PYTHON_TOOLS", str(TOOLS)))
    path = folder / name
    assert path.exists(), f"no {name} in {folder}"
    return str(path)


def test_auditwheel_finds_the_tag_the_wheel_carries(wheel: Path) -> None:
    shown = subprocess.run([tool("auditwheel"), "show", "--json", str(wheel)], capture_output=True, text=True)
    assert shown.returncode == 0, shown.stderr
    report = json.loads(shown.stdout)
    platform = wheel.stem.split("-")[-1]
    assert platform.startswith("manylinux_2_")
    assert report["overall_tag"] == platform, report
    assert not report["unsupported_isa"] and not report["ucs2"]


def test_twine_accepts_the_metadata(wheel: Path) -> None:
    checked = subprocess.run([tool("twine"), "check", "--strict", str(wheel)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_wheel_carries_the_binary_and_its_libraries(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        binary = archive.getinfo("modelgate_registry/bin/modelgate")
        assert stat.S_IMODE(binary.external_attr >> 16) & 0o111, "the binary is not executable"
        libraries = {Path(name).name for name in names if name.startswith("modelgate_registry/lib/")}
        assert {"libgit2.so.1.5", "libyaml-0.so.2", "libsqlite3.so.0"} <= libraries
        assert not {"libc.so.6", "libm.so.6"} & libraries, "glibc's own libraries stay the system's"
        assert "modelgate_registry/py.typed" in names
        info = next(name for name in names if name.endswith(".dist-info/WHEEL"))
        wheel_file = archive.read(info).decode()
        assert "Root-Is-Purelib: false" in wheel_file
        assert f"Tag: {'-'.join(wheel.stem.split('-')[2:])}" in wheel_file
        entry_points = archive.read(info.replace("WHEEL", "entry_points.txt")).decode()
        assert "modelgate = modelgate_registry._command:main" in entry_points


def test_the_command_is_the_binary() -> None:
    command = shutil.which("modelgate", path=str(Path(sys.executable).parent))
    assert command
    version = subprocess.run([command, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    assert version == modelgate.__version__
    refused = subprocess.run([command, "show", "churn@1.0"], capture_output=True, text=True)
    assert refused.returncode == 2 and "SemVer" in refused.stderr


def hidden(libraries: set[str]) -> list[str]:
    """bubblewrap arguments that hide every system copy of `libraries`, and the Swift toolchain."""
    hide: list[str] = []
    for name in sorted(libraries):
        for folder in ("/lib", "/usr/lib", "/lib64", "/usr/lib64"):
            for system in Path(folder).glob(f"*-linux-gnu/{name}"):
                hide += ["--ro-bind", "/dev/null", str(system.resolve())]
    swift = shutil.which("swift")
    toolchain = Path(swift).resolve().parents[2] if swift else None  # /opt/swift for /opt/swift/usr/bin/swift
    if toolchain is not None and toolchain not in (Path("/"), Path("/usr")):
        hide += ["--tmpfs", str(toolchain)]
    return hide


def test_runs_with_the_system_libraries_and_swift_hidden(tmp_path: Path) -> None:
    bwrap = shutil.which("bwrap")
    assert bwrap, "bubblewrap is installed by make deps"
    carried = {library.name for library in (modelgate.binary().parent.parent / "lib").iterdir()}
    assert "libgit2.so.1.5" in carried

    # The binary alone, with every library it carries hidden from the system.
    everything = hidden(carried)
    assert any("libgit2" in argument for argument in everything), "no system libgit2 to hide (is it installed?)"
    binary = str(modelgate.binary())
    for arguments in (["--version"], ["init", str(tmp_path / "a"), "--example", "--quiet"]):
        ran = subprocess.run([bwrap, "--dev-bind", "/", "/", *everything, binary, *arguments], capture_output=True)
        assert ran.returncode == 0, ran.stderr
    loaded = subprocess.run(
        [
            bwrap,
            "--dev-bind",
            "/",
            "/",
            *everything,
            sys.executable,
            "-c",
            "import ctypes; ctypes.CDLL('libgit2.so.1.5')",
        ],
        capture_output=True,
    )
    assert loaded.returncode != 0, "the system's libgit2 is still visible inside"

    # The API, with those hidden that this Python does not load itself (it links libz, for one).
    mapped = {Path(line.split()[-1]).name for line in Path("/proc/self/maps").read_text().splitlines() if ".so" in line}
    interpreter = {name for name in carried if any(file.startswith(name) for file in mapped)}
    script = (
        "import modelgate_registry as modelgate; "
        f"modelgate.init({str(tmp_path / 'b')!r}, example=True); "
        f"print(modelgate.status(repo={str(tmp_path / 'b')!r}).assignments[0].model)"
    )
    api = subprocess.run(
        [bwrap, "--dev-bind", "/", "/", *hidden(carried - interpreter), sys.executable, "-c", script],
        capture_output=True,
        text=True,
    )
    assert api.returncode == 0, api.stderr
    assert api.stdout.strip() == "churn"
