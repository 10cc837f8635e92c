"""Turn every tutorial page into a Jupyter notebook for handing out.

The tutorials in docs/tutorials/*.md are the single source: Markdown whose
```python blocks become code cells (Jupytext's Markdown format). Run from
the repository root:

    python docs/make_notebooks.py            # writes build/notebooks/*.ipynb
    python docs/make_notebooks.py --out DIR

Needs `jupytext`. The notebooks are generated, not committed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import jupytext

DOCS = Path(__file__).resolve().parent
TUTORIALS = DOCS / "tutorials"
DEFAULT_OUT = DOCS.parent / "build" / "notebooks"
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def tutorial_pages() -> list[Path]:
    return sorted(TUTORIALS.glob("*.md"))


def to_notebook(page: Path):
    """Read one tutorial page as a notebook object (nbformat v4)."""
    notebook = jupytext.read(page, fmt="md")
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    notebook.metadata.pop("jupytext", None)  # a handout, not a paired file
    # The pages show committed pictures from ../img/; a notebook draws them with its own code.
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            lines = cell.source.splitlines()
            cell.source = "\n".join(line for line in lines if "](../img/" not in line)
    return notebook


def main(argv: list[str] | None = None) -> list[Path]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    written = []
    for page in tutorial_pages():
        target = args.out / (page.stem + ".ipynb")
        jupytext.write(to_notebook(page), target, fmt="ipynb")
        written.append(target)
        print("wrote", target)
    return written


if __name__ == "__main__":
    main()
