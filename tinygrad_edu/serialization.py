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
``requires_grad``; a ``Parameter`` as a Parameter), an array as an array,
an ``OrderedDict`` as one, so a ``state_dict()`` comes back as it was.

Sharing is kept, as pickle (and so ``torch.save``) keeps it:

- an object met a second time (the same Tensor, array, list or dict under
  two keys) is written once; its first node gets an ``"id"`` and the later
  places a ``{"type": "ref", "id": ...}`` node, so ``load`` gives back one
  object in both places;
- arrays that are views of one NumPy array (``x`` and ``x[0]``, a Tensor and
  its ``view``) share memory: that base array is written once, whole, and
  each view is described by a ``"view"`` entry (dtype, shape, strides, byte
  offset) into it. (As in PyTorch, saving a small view of a big array
  writes the big array.)

Files of format version 1, which had neither, are read as before.

Example::

    tg.save({"model": model.state_dict(), "optim": opt.state_dict()}, "ckpt.npz")
    checkpoint = tg.load("ckpt.npz")
"""

from __future__ import annotations

import json
import os
import zipfile
from collections import OrderedDict
from typing import IO, Any

import numpy as np

from .nn.parameter import Parameter
from .tensor import Tensor, check_device

__all__ = ["load", "save"]

FileLike = str | os.PathLike | IO[bytes]

_MANIFEST = "__manifest__"
_FORMAT = "tinygrad_edu.save"
_VERSION = 2  # 2: shared objects ("ref" nodes), views, Parameters, OrderedDicts
_READABLE = (1, 2)


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
    root = _Encoder(arrays).encode(obj, "obj")
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
            return _Decoder(archive).decode(root)
        except (ValueError, zipfile.BadZipFile) as e:
            raise ValueError(f"{name!s} is not a valid tinygrad_edu save file: {e}") from e
        except (KeyError, TypeError) as e:
            raise ValueError(f"{name!s} has a malformed manifest: {e!r}") from e


# what may be met twice in one saved object and comes back shared (numbers and strings are values)
_SHAREABLE = (Tensor, np.ndarray, dict, list, tuple)


class _Encoder:
    """Builds the manifest of one `save`, adding the arrays to ``arrays``.

    ``seen`` maps each mutable object met so far (by id) to its node, to
    write it once; ``bases`` maps each base array written to its member
    name, to write it once for all its views.
    """

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.arrays = arrays
        self.seen: dict[int, dict] = {}
        self.bases: dict[int, str] = {}
        self.open_ids: set[int] = set()  # the containers being encoded, to refuse a cycle
        self.shared = 0  # how many objects were met more than once

    def encode(self, obj: Any, path: str) -> Any:
        """The manifest node for ``obj``."""
        if id(obj) in self.open_ids:
            raise ValueError(f"cannot save {path}: the object contains itself")
        shareable = isinstance(obj, _SHAREABLE)
        if shareable and id(obj) in self.seen:
            first = self.seen[id(obj)]
            if "id" not in first:  # its second time: the first node gets an id to refer to
                first["id"] = self.shared
                self.shared += 1
            return {"type": "ref", "id": first["id"]}
        node = self._encode_new(obj, path)
        if shareable:
            self.seen[id(obj)] = node
        return node

    def _encode_new(self, obj: Any, path: str) -> dict:
        # NumPy scalars first: np.float64 subclasses float but must keep its dtype.
        if isinstance(obj, (Tensor, np.ndarray, np.generic)):
            return self._encode_array(obj, path)
        if obj is None:
            return {"type": "none"}
        # bool before int, since bool subclasses int.
        for leaf_type in (bool, int, float, str):
            if isinstance(obj, leaf_type):
                return {"type": leaf_type.__name__, "value": leaf_type(obj)}
        if not isinstance(obj, (dict, list, tuple)):
            hint = ": save its state_dict() instead" if hasattr(obj, "state_dict") else ""
            raise TypeError(f"cannot save {path}: unsupported type {type(obj).__name__}{hint}")
        self.open_ids.add(id(obj))
        if isinstance(obj, dict):
            items = []
            for key, value in obj.items():
                if isinstance(key, bool) or not isinstance(key, (str, int, np.integer)):
                    raise TypeError(f"cannot save {path}: dict keys must be str or int, got {key!r}")
                key = str(key) if isinstance(key, str) else int(key)
                items.append([key, self.encode(value, f"{path}[{key!r}]")])
            kind = "ordered_dict" if isinstance(obj, OrderedDict) else "dict"
            node = {"type": kind, "items": items}
        else:
            children = [self.encode(v, f"{path}[{i}]") for i, v in enumerate(obj)]
            node = {"type": "tuple" if isinstance(obj, tuple) else "list", "items": children}
        self.open_ids.discard(id(obj))
        return node

    def _encode_array(self, obj: Tensor | np.ndarray | np.generic, path: str) -> dict:
        if obj.dtype.hasobject:
            raise TypeError(f"cannot save {path}: object arrays need pickle, which save refuses")
        node: dict[str, Any]
        if isinstance(obj, np.generic):
            node = {"type": "scalar", "key": self._add(np.asarray(obj))}
        else:
            array = obj.data if isinstance(obj, Tensor) else obj
            node = {"type": "array"}
            base = _base_of(array)
            if base is None:  # no base to share: written on its own
                node["key"] = self._add(array)
            else:
                if id(base) not in self.bases:
                    self.bases[id(base)] = self._add(base)
                node["key"] = self.bases[id(base)]
                if array is not base:
                    node["view"] = _layout_in(array, base)
        if isinstance(obj, Tensor):
            node.update(type="tensor", requires_grad=obj.requires_grad)
            if isinstance(obj, Parameter):
                node["parameter"] = True
        return node

    def _add(self, array: np.ndarray) -> str:
        key = f"a{len(self.arrays)}"
        self.arrays[key] = array
        return key


def _base_of(array: np.ndarray) -> np.ndarray | None:
    """The array whose memory ``array`` views (itself if it is no view), or None where
    that memory is not one contiguous block that can be written whole and viewed again."""
    base = array
    while isinstance(base.base, np.ndarray):
        base = base.base
    if base.size == 0 or array.size == 0 or not (base.flags.c_contiguous or base.flags.f_contiguous):
        return None
    return base


def _layout_in(array: np.ndarray, base: np.ndarray) -> dict:
    """Where ``array`` lies in ``base``'s memory: its dtype, shape, strides and byte offset."""
    offset = array.__array_interface__["data"][0] - base.__array_interface__["data"][0]
    return {
        "dtype": array.dtype.str,
        "shape": list(array.shape),
        "strides": list(array.strides),
        "offset": offset,
    }


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
    if header.get("version") not in _READABLE:
        raise ValueError(
            f"{name!s} has format version {header.get('version')!r}; "
            f"this tinygrad_edu reads version {_VERSION}"
        )
    return header["root"]


class _Decoder:
    """Rebuilds the object of one `load` from its manifest and the archive's arrays.

    ``members`` holds each member array once read, so that the views of one
    base share its memory; ``ids`` holds each object whose node has an id,
    for the "ref" nodes that come after it.
    """

    def __init__(self, archive: np.lib.npyio.NpzFile) -> None:
        self.archive = archive
        self.members: dict[str, np.ndarray] = {}
        self.ids: dict[int, Any] = {}

    def decode(self, node: dict) -> Any:
        """The object that ``node`` describes."""
        if node["type"] == "ref":
            return self.ids[node["id"]]  # (a KeyError, for a ref to nothing: a malformed manifest)
        result = self._decode_new(node)
        if "id" in node:
            self.ids[node["id"]] = result
        return result

    def _decode_new(self, node: dict) -> Any:
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
            return self._decode_array(node)
        if kind in ("list", "tuple"):
            items = [self.decode(child) for child in node["items"]]
            return tuple(items) if kind == "tuple" else items
        if kind in ("dict", "ordered_dict"):
            result = {} if kind == "dict" else OrderedDict()
            for key, child in node["items"]:
                if isinstance(key, bool) or not isinstance(key, (str, int)):
                    raise ValueError(f"a dict key is {key!r}, not a str or int")
                result[key] = self.decode(child)
            return result
        raise ValueError(f"unknown node type {kind!r} in the manifest")

    def _decode_array(self, node: dict) -> Any:
        array = self._member(node["key"])
        kind = node["type"]
        if kind == "scalar":
            return array[()]
        if "view" in node:
            array = _view_of(array, node["view"])
        if kind == "array":
            return array
        requires_grad = node["requires_grad"]
        if not isinstance(requires_grad, bool) or (requires_grad and array.dtype.kind != "f"):
            raise ValueError(f"a {array.dtype} tensor's requires_grad is {requires_grad!r}")
        if node.get("parameter", False):
            return Parameter(array, requires_grad=requires_grad)
        # (wrapped, not copied: a Tensor shares memory with the arrays that shared it when saved)
        return Tensor._wrap(array).requires_grad_(requires_grad)

    def _member(self, key: str) -> np.ndarray:
        if key not in self.members:
            if key == _MANIFEST or key not in self.archive.files:
                raise ValueError(f"the manifest names a missing array {key!r}")
            # Reading an object array raises ValueError under allow_pickle=False.
            self.members[key] = self.archive[key]
        return self.members[key]


def _view_of(base: np.ndarray, layout: dict) -> np.ndarray:
    """The view of ``base``'s memory that `_layout_in` described.

    NumPy checks that the view lies inside the memory (a ValueError if not),
    and an object dtype is refused: its bytes would be read as pointers.
    """
    dtype = np.dtype(layout["dtype"])
    if dtype.hasobject:
        raise ValueError("a view has an object dtype")
    # the base's bytes in memory order: F-ordered members stay F-ordered when read back
    memory = base.reshape(-1, order="A").view(np.uint8)
    return np.ndarray(
        tuple(layout["shape"]),
        dtype,
        buffer=memory,
        offset=layout["offset"],
        strides=tuple(layout["strides"]),
    )
