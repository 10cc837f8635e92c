"""Save and load state dicts without pickle.

``torch.save`` pickles, so loading an untrusted file can run arbitrary code.
Here a saved object is a tree of dicts, lists and tuples whose leaves are
arrays, Tensors, numbers, bools, strings or None, and the file is a plain
NumPy ``.npz`` archive:

- each array leaf (a Tensor is stored as its array) is a member named
  ``a0``, ``a1``, ...;
- the member ``__manifest__`` is a 0-d unicode string array holding JSON that
  describes the tree, with array leaves pointing at their member names.

``load`` opens the archive with ``allow_pickle=False``, so a file can only
ever yield numbers, strings, numeric arrays and Tensors: nothing in it is
executed. What went in as a Tensor comes back as a Tensor (a leaf, keeping
``requires_grad``), and an array as an array, so a ``state_dict()``, whose
values are arrays, comes back as it was.

Example::

    tg.save({"model": model.state_dict(), "optim": opt.state_dict()}, "ckpt.npz")
    checkpoint = tg.load("ckpt.npz")
"""

from __future__ import annotations

import json
import os
import zipfile
from typing import IO, Any

import numpy as np

from tinygrad_edu.tensor import Tensor, check_device

__all__ = ["load", "save"]

FileLike = str | os.PathLike | IO[bytes]

_MANIFEST = "__manifest__"
_FORMAT = "tinygrad_edu.save"
_VERSION = 1


def save(obj: Any, f: FileLike) -> None:
    """Write ``obj`` to ``f`` (a path, written exactly as given, or a binary
    file object) as a pickle-free ``.npz`` archive.

    ``obj`` may nest dicts (str or int keys), lists and tuples; leaves may be
    NumPy arrays and scalars, Tensors, Python numbers, bools, strings and
    None. Anything else raises ``TypeError`` naming where it sits, e.g.
    ``obj['state'][0]['step']``. A model or an optimizer is saved through its
    ``state_dict()``: the file holds data only, never the code that builds it.
    """
    arrays: dict[str, np.ndarray] = {}
    root = _encode(obj, "obj", arrays, set())
    manifest = json.dumps({"format": _FORMAT, "version": _VERSION, "root": root})
    arrays[_MANIFEST] = np.array(manifest)
    if hasattr(f, "write"):
        np.savez(f, allow_pickle=False, **arrays)
    else:
        # NOTE: np.savez would append ".npz" to a path lacking it; opening the
        # file ourselves writes to exactly the path the caller named.
        with open(f, "wb") as fh:
            np.savez(fh, allow_pickle=False, **arrays)


def load(f: FileLike, map_location: Any = None, *, weights_only: bool | None = None) -> Any:
    """Read an object written by :func:`save`: arrays and Tensors come back as
    they went in (dtype, shape, a Tensor's ``requires_grad``), tuples as tuples.

    Raises ``ValueError`` if ``f`` is not such a file (including any file
    that would need pickle to read). PyTorch's ``map_location="cpu"`` and
    ``weights_only=True`` are accepted, so loading code runs unchanged:
    everything is on the CPU, and a file holds nothing but data anyway
    (``weights_only`` changes nothing). Any other device raises.
    """
    check_device(map_location)
    name = f if isinstance(f, (str, os.PathLike)) else getattr(f, "name", "file object")
    try:
        archive = np.load(f, allow_pickle=False)
    except (ValueError, EOFError, zipfile.BadZipFile) as e:
        # (NumPy's own message suggests allow_pickle=, which would be the wrong advice here)
        raise ValueError(f"{name!s} is not a tinygrad_edu save file: it is not a NumPy .npz archive") from e
    if not isinstance(archive, np.lib.npyio.NpzFile):
        # A bad file, not a bad argument: hence ValueError, as for any other bad file.
        raise ValueError(f"{name!s} is not a tinygrad_edu save file: it holds a single array")
    with archive:
        root = _read_manifest(archive, name)
        try:
            return _decode(root, archive)
        except (ValueError, zipfile.BadZipFile) as e:
            raise ValueError(f"{name!s} is not a valid tinygrad_edu save file: {e}") from e
        except (KeyError, TypeError) as e:
            raise ValueError(f"{name!s} has a malformed manifest: {e!r}") from e


def _encode(obj: Any, path: str, arrays: dict[str, np.ndarray], open_ids: set[int]) -> Any:
    """The manifest node for ``obj``; its arrays are added to ``arrays``."""
    # NumPy scalars first: np.float64 subclasses float but must keep its dtype.
    if isinstance(obj, (Tensor, np.ndarray, np.generic)):
        return _encode_array(obj, path, arrays)
    if obj is None:
        return {"type": "none"}
    # bool before int, since bool subclasses int.
    for leaf_type in (bool, int, float, str):
        if isinstance(obj, leaf_type):
            return {"type": leaf_type.__name__, "value": leaf_type(obj)}
    if not isinstance(obj, (dict, list, tuple)):
        hint = ": save its state_dict() instead" if hasattr(obj, "state_dict") else ""
        raise TypeError(f"cannot save {path}: unsupported type {type(obj).__name__}{hint}")
    if id(obj) in open_ids:
        raise ValueError(f"cannot save {path}: the object contains itself")
    open_ids.add(id(obj))
    if isinstance(obj, dict):
        items = []
        for key, value in obj.items():
            if isinstance(key, bool) or not isinstance(key, (str, int, np.integer)):
                raise TypeError(f"cannot save {path}: dict keys must be str or int, got {key!r}")
            key = str(key) if isinstance(key, str) else int(key)
            items.append([key, _encode(value, f"{path}[{key!r}]", arrays, open_ids)])
        node = {"type": "dict", "items": items}
    else:
        children = [_encode(v, f"{path}[{i}]", arrays, open_ids) for i, v in enumerate(obj)]
        node = {"type": "tuple" if isinstance(obj, tuple) else "list", "items": children}
    open_ids.discard(id(obj))
    return node


def _encode_array(obj: Tensor | np.ndarray | np.generic, path: str, arrays: dict) -> dict:
    array = np.asarray(obj.data if isinstance(obj, Tensor) else obj)
    if array.dtype.hasobject:
        raise TypeError(f"cannot save {path}: object arrays need pickle, which save refuses")
    key = f"a{len(arrays)}"
    arrays[key] = array
    if isinstance(obj, Tensor):
        return {"type": "tensor", "key": key, "requires_grad": obj.requires_grad}
    return {"type": "scalar" if isinstance(obj, np.generic) else "array", "key": key}


def _read_manifest(archive: np.lib.npyio.NpzFile, name: object) -> Any:
    if _MANIFEST not in archive.files:
        if any(member.endswith("data.pkl") for member in archive.files):
            raise ValueError(
                f"{name!s} was written by torch.save, which pickles, and is not read here: load it "
                "with PyTorch and tg.save its state dict as arrays, {k: v.numpy() for k, v in sd.items()}"
            )
        raise ValueError(f"{name!s} is not a tinygrad_edu save file: it has no manifest")
    try:
        manifest = archive[_MANIFEST]
        if manifest.dtype.kind != "U" or manifest.shape != ():
            raise ValueError("the manifest is not a unicode string")
        header = json.loads(str(manifest))
        if not isinstance(header, dict) or header.get("format") != _FORMAT:
            raise ValueError("the manifest names another format")
    except (ValueError, zipfile.BadZipFile) as e:
        raise ValueError(f"{name!s} is not a tinygrad_edu save file: {e}") from e
    if header.get("version") != _VERSION:
        raise ValueError(
            f"{name!s} has format version {header.get('version')!r}; "
            f"this tinygrad_edu reads version {_VERSION}"
        )
    return header["root"]


def _decode(node: dict, archive: np.lib.npyio.NpzFile) -> Any:
    """Rebuild the object that ``node`` describes, reading arrays from ``archive``."""
    kind = node["type"]
    if kind == "none":
        return None
    if kind in ("bool", "int", "float", "str"):
        value = node["value"]
        expected: Any = {"bool": bool, "int": int, "float": (int, float), "str": str}[kind]
        if not isinstance(value, expected) or (kind == "int" and isinstance(value, bool)):
            raise ValueError(f"a {kind} leaf holds {value!r}")
        return float(value) if kind == "float" else value
    if kind in ("array", "scalar", "tensor"):
        key = node["key"]
        if key == _MANIFEST or key not in archive.files:
            raise ValueError(f"the manifest names a missing array {key!r}")
        # Reading an object array raises ValueError under allow_pickle=False.
        array = archive[key]
        if kind == "tensor":
            requires_grad = node["requires_grad"]
            if not isinstance(requires_grad, bool) or (requires_grad and array.dtype.kind != "f"):
                raise ValueError(f"a {array.dtype} tensor's requires_grad is {requires_grad!r}")
            return Tensor(array, requires_grad=requires_grad)
        return array[()] if kind == "scalar" else array
    if kind in ("list", "tuple"):
        items = [_decode(child, archive) for child in node["items"]]
        return tuple(items) if kind == "tuple" else items
    if kind == "dict":
        result = {}
        for key, child in node["items"]:
            if isinstance(key, bool) or not isinstance(key, (str, int)):
                raise ValueError(f"a dict key is {key!r}, not a str or int")
            result[key] = _decode(child, archive)
        return result
    raise ValueError(f"unknown node type {kind!r} in the manifest")
