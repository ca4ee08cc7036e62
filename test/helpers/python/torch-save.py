"""Writes PyTorch checkpoints the way torch.save does (the zip layout of PyTorch >= 1.6), without torch.

The lab's reader (src/core/formats/torch-checkpoint.ts) is tested against files from this writer, which
follows torch's layout independently: fake `torch` and `torch._utils` modules give the pickler the
global names torch uses, and `persistent_id` writes storages as ('storage', <type>, key, 'cpu', numel)
with their bytes in <archive>/data/<key>.

Usage: python3 torch-save.py OUT.pt < spec.json, or python3 torch-save.py - < [{"out": OUT.pt, ...spec}, ...]
to write several files in one process, where spec is
  {"archive": "ae", "protocol": 2, "wrap": null | "state_dict",
   "tensors": {name: {"dtype": "float32", "shape": [...], "values": [row-major...],
                      "layout": "contiguous" | "transposed" | "offset", "parameter": false}},
   "hostile": null | "COMMAND", "legacy": false}
"""
import collections
import json
import pickle
import sys
import types
import zipfile

import numpy as np

torch = types.ModuleType("torch")
torch_utils = types.ModuleType("torch._utils")
sys.modules["torch"] = torch
sys.modules["torch._utils"] = torch_utils
torch._utils = torch_utils


def _rebuild_tensor_v2(*args):
    raise RuntimeError("never called: only its name is pickled")


def _rebuild_parameter(*args):
    raise RuntimeError("never called: only its name is pickled")


for fn in (_rebuild_tensor_v2, _rebuild_parameter):
    fn.__module__ = "torch._utils"
    setattr(torch_utils, fn.__name__, fn)

STORAGE_TYPES = {}
for dtype, name in [("float32", "FloatStorage"), ("float16", "HalfStorage"), ("bfloat16", "BFloat16Storage"),
                    ("float64", "DoubleStorage"), ("int32", "IntStorage"), ("int64", "LongStorage"), ("bool", "BoolStorage")]:
    cls = type(name, (), {"__module__": "torch"})
    setattr(torch, name, cls)
    STORAGE_TYPES[dtype] = cls


def to_bytes(values, dtype):
    a = np.asarray(values, dtype=np.float64)
    if dtype == "bfloat16":
        bits = a.astype(np.float32).view(np.uint32).astype(np.uint64)
        rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16  # round to nearest even
        return rounded.astype("<u2").tobytes()
    np_dtype = {"float32": "<f4", "float16": "<f2", "float64": "<f8", "int32": "<i4", "int64": "<i8", "bool": "u1"}[dtype]
    return a.astype(np_dtype).tobytes()


class Storage:
    def __init__(self, dtype, key, values):
        self.cls = STORAGE_TYPES[dtype]
        self.key = key
        self.numel = len(values)
        self.data = to_bytes(values, dtype)


class Tensor:
    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset, self.size, self.stride = storage, offset, tuple(size), tuple(stride)

    def __reduce__(self):
        return (_rebuild_tensor_v2, (self.storage, self.offset, self.size, self.stride, False, collections.OrderedDict()))


class Parameter:
    def __init__(self, tensor):
        self.tensor = tensor

    def __reduce__(self):
        return (_rebuild_parameter, (self.tensor, True, collections.OrderedDict()))


class Hostile:
    def __init__(self, command):
        self.command = command

    def __reduce__(self):
        import os
        return (os.system, (self.command,))


def contiguous_strides(shape):
    strides, acc = [], 1
    for n in reversed(shape):
        strides.append(acc)
        acc *= n
    return list(reversed(strides))


def build_tensor(key, spec):
    shape, values, dtype = spec["shape"], spec["values"], spec["dtype"]
    layout = spec.get("layout", "contiguous")
    if layout == "transposed":  # a [r, c] view of a column-major storage, as W.T would be saved
        r, c = shape
        stored = np.asarray(values, dtype=np.float64).reshape(r, c).T.reshape(-1).tolist()
        tensor = Tensor(Storage(dtype, key, stored), 0, shape, [1, r])
    elif layout == "offset":  # the view starts 3 values into a larger storage
        tensor = Tensor(Storage(dtype, key, [7, 7, 7] + list(values) + [7]), 3, shape, contiguous_strides(shape))
    else:
        tensor = Tensor(Storage(dtype, key, values), 0, shape, contiguous_strides(shape))
    return Parameter(tensor) if spec.get("parameter") else tensor


class TorchPickler(pickle.Pickler):
    def __init__(self, file, protocol):
        super().__init__(file, protocol=protocol)
        self.storages = {}

    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            self.storages[obj.key] = obj.data
            return ("storage", obj.cls, obj.key, "cpu", obj.numel)
        return None


def main():
    spec = json.load(sys.stdin)
    for one in spec if sys.argv[1] == "-" else [dict(spec, out=sys.argv[1])]:
        write(one["out"], one)


def write(out, spec):
    if spec.get("legacy"):
        with open(out, "wb") as f:
            pickle.dump(0x1950A86A20F9469CFC6C, f, protocol=2)  # torch's legacy magic number comes first
        return
    state = collections.OrderedDict()
    for i, (name, t) in enumerate(spec["tensors"].items()):
        state[name] = build_tensor(str(i), t)
    state._metadata = collections.OrderedDict([("", {"version": 1})])  # as nn.Module.state_dict() sets it
    root = {"state_dict": state, "step": 10} if spec.get("wrap") == "state_dict" else state
    if spec.get("hostile"):
        root = collections.OrderedDict([("weight", Hostile(spec["hostile"]))])
    import io
    buffer = io.BytesIO()
    pickler = TorchPickler(buffer, spec.get("protocol", 2))
    pickler.dump(root)
    archive = spec.get("archive", "archive")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr(f"{archive}/data.pkl", buffer.getvalue())
        z.writestr(f"{archive}/byteorder", "little")
        for key, data in pickler.storages.items():
            z.writestr(f"{archive}/data/{key}", data)
        z.writestr(f"{archive}/version", "3\n")


main()
