"""The notebook in docs/ runs as written: its code cells, in order, in a fresh folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "python.ipynb"


@pytest.mark.usefixtures("training_path")
def test_the_notebook_records_checks_and_promotes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notebook = json.loads(NOTEBOOK.read_text())
    assert notebook["nbformat"] == 4
    cells = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert any("modelgate.record(" in cell for cell in cells)
    assert all(not cell["outputs"] for cell in notebook["cells"] if cell["cell_type"] == "code"), "outputs stored"
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    for index, source in enumerate(cells):
        exec(compile(source, f"{NOTEBOOK.name} cell {index}", "exec"), namespace)  # noqa: S102 - the notebook's own code
    assert (tmp_path / "registry" / "models" / "churn" / "versions" / "1.4.0.yaml").is_file()
    assert namespace["registry"] == (tmp_path / "registry").resolve()
