"""The documentation cannot rot: its code runs, its notebooks execute, its site builds.

1. Every ```python block of every page under docs/ runs; the blocks of one
   page run in order in one namespace, as the cells of a notebook do. Where
   a ```text block follows a ```python block directly, it is that block's
   output, and must be exactly what the block prints.
2. Every tutorial converts to a notebook with jupytext and executes top to
   bottom in a Jupyter kernel (needs jupytext, nbclient, ipykernel).
3. `mkdocs build --strict` succeeds (needs mkdocs, mkdocs-material,
   mkdocstrings[python]).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
TUTORIALS = sorted((DOCS / "tutorials").glob("*.md"))
BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
# a python block and, when a text block follows it after at most blank lines, what it prints
BLOCK_AND_OUTPUT = re.compile(
    r"^```python[ \t]*\n(.*?)^```[ \t]*\n(?:[ \t]*\n)*(?:^```text[ \t]*\n(.*?)^```[ \t]*$)?",
    re.MULTILINE | re.DOTALL,
)


def python_blocks(page: Path) -> list[str]:
    return BLOCK.findall(page.read_text(encoding="utf-8"))


@pytest.fixture
def in_repo_root(tmp_path, monkeypatch):
    """Run with the repository root as cwd, and temporary files in tmp_path."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.syspath_prepend(str(ROOT))
    import tinygrad_edu as tg

    default = tg.get_default_dtype()
    yield tmp_path
    tg.set_default_dtype(default)


def test_every_page_is_found():
    names = {p.relative_to(DOCS).as_posix() for p in PAGES}
    for expected in ["index.md", "api.md", "tutorials/backpropagation.md", "tutorials/digits.md"]:
        assert expected in names
    assert len(TUTORIALS) == 9


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_page_code_runs(page, in_repo_root):
    pytest.importorskip("graphviz")
    namespace: dict = {"__name__": f"docs_{page.stem.replace('-', '_')}"}
    blocks = BLOCK_AND_OUTPUT.findall(page.read_text(encoding="utf-8"))
    assert len(blocks) == len(python_blocks(page))
    for i, (block, shown) in enumerate(blocks):
        where = f"{page.relative_to(ROOT)} [block {i + 1}]"
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(block, where, "exec"), namespace)
        if shown:
            assert printed.getvalue() == shown, f"{where} prints something else than the page shows"


@pytest.mark.parametrize("page", TUTORIALS, ids=lambda p: p.stem)
def test_tutorial_has_code(page):
    assert len(python_blocks(page)) >= 3


def _kernel_name() -> str:
    """A kernel that runs this interpreter (the venv's), found by jupyter_client."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        pytest.skip("no python3 Jupyter kernel; pip install ipykernel")
    argv0 = spec.argv[0]
    same_python = (
        argv0 in ("python", "python3", "{python}") or Path(argv0).resolve() == Path(sys.executable).resolve()
    )
    if not same_python:
        pytest.skip(f"the python3 kernel runs {argv0}, not this interpreter")
    return "python3"


@pytest.mark.parametrize("page", TUTORIALS, ids=lambda p: p.stem)
def test_tutorial_notebook_executes(page, tmp_path):
    jupytext = pytest.importorskip("jupytext")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    sys.path.insert(0, str(DOCS))
    try:
        import make_notebooks
    finally:
        sys.path.remove(str(DOCS))

    notebook = make_notebooks.to_notebook(page)
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    assert len(code_cells) == len(python_blocks(page))
    kernel = _kernel_name()
    env_path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env_path) if p)
    try:
        client = nbclient.NotebookClient(
            notebook, kernel_name=kernel, timeout=120, resources={"metadata": {"path": str(ROOT)}}
        )
        client.execute()
    finally:
        if env_path:
            os.environ["PYTHONPATH"] = env_path
        else:
            os.environ.pop("PYTHONPATH", None)
    target = tmp_path / f"{page.stem}.ipynb"
    jupytext.write(notebook, target, fmt="ipynb")
    errors = [o for c in code_cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors


def test_make_notebooks_script(tmp_path):
    pytest.importorskip("jupytext")
    result = subprocess.run(
        [sys.executable, str(DOCS / "make_notebooks.py"), "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.stem for p in tmp_path.glob("*.ipynb")) == sorted(p.stem for p in TUTORIALS)


def test_committed_pictures_exist():
    for name in ["neuron", "neuron_backward", "mlp"]:
        svg = DOCS / "img" / f"{name}.svg"
        assert svg.exists(), f"run python docs/render_pictures.py to create {svg}"
        assert "<svg" in svg.read_text(encoding="utf-8")


def test_mkdocs_build_strict(tmp_path):
    pytest.importorskip("mkdocs")
    pytest.importorskip("material")
    pytest.importorskip("mkdocstrings")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "tutorials" / "backpropagation" / "index.html").exists()
    assert (tmp_path / "site" / "api" / "index.html").exists()
