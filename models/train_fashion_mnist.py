#!/usr/bin/python3
"""Train a small Fashion-MNIST CNN and export it to ONNX for cimq.

Run from the repository root with Debian's Python (torch 1.13, torchvision 0.14, onnx 1.12):

    /usr/bin/python3 models/train_fashion_mnist.py

Outputs (written next to this script; onnx_numpy_check.py must sit beside it):
    fashion_mnist_cnn.onnx  -- opset 13, input `input` [batch,1,28,28] float32,
                               output `logits` [batch,10]; BatchNormalization kept
    fashion_mnist_cnn.json  -- metadata (accuracy, preprocessing, sha256, ...)
    README.md               -- human-readable description of the model

Data: Debian's fashion-mnist package (/usr/share/datasets/fashion-mnist), read
directly from the gzipped idx files; nothing is downloaded.

Preprocessing (the Java tool reproduces it exactly):
    x = byte / 255.0 ; x = (x - MEAN) / STD   with one channel MEAN=0.2860, STD=0.3530
"""

import gzip
import hashlib
import json
import os
import sys
import time
from collections import Counter

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
DATA_DIR = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")

MODEL_NAME = "fashion_mnist_cnn"
ONNX_PATH = os.path.join(HERE, MODEL_NAME + ".onnx")
JSON_PATH = os.path.join(HERE, MODEL_NAME + ".json")
README_PATH = os.path.join(HERE, "README.md")

MEAN = 0.2860
STD = 0.3530
SEED = 0
THREADS = 2
EPOCHS = int(os.environ.get("EPOCHS", "6"))
BATCH = 128
LR = 3e-3
WEIGHT_DECAY = 1e-4
OPSET = 13

CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


# ---------------------------------------------------------------- data (idx)
def read_idx(path):
    """Read a gzipped idx file (big-endian header) into a numpy uint8 array."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype_code, ndim = data[0] | data[1], data[2], data[3]
    if zero != 0 or dtype_code != 0x08:
        raise ValueError("%s: not an unsigned-byte idx file" % path)
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if arr.size != int(np.prod(dims)):
        raise ValueError("%s: size mismatch %d vs %s" % (path, arr.size, dims))
    return arr.reshape(dims)


def load_split(prefix):
    images = read_idx(os.path.join(DATA_DIR, prefix + "-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(DATA_DIR, prefix + "-labels-idx1-ubyte.gz"))
    assert images.shape[0] == labels.shape[0]
    return images, labels


def preprocess(images_u8):
    """uint8 [N,28,28] -> float32 [N,1,28,28] exactly as the Java tool does it."""
    x = images_u8.astype(np.float32) / np.float32(255.0)
    x = (x - np.float32(MEAN)) / np.float32(STD)
    return torch.from_numpy(np.ascontiguousarray(x[:, None, :, :]))


# ---------------------------------------------------------------- model
class FashionCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(32)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.bn3 = nn.BatchNorm2d(64)
        self.fc = nn.Linear(64 * 3 * 3, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)   # 16 x 14 x 14
        x = F.max_pool2d(F.relu(self.bn2(self.conv2(x))), 2)   # 32 x 7 x 7
        # count_include_pad=False (no padding here, so same math): with the default
        # True, torch 1.13 exports an extra all-zero Pad node before AveragePool.
        x = F.avg_pool2d(F.relu(self.bn3(self.conv3(x))), 2,
                         count_include_pad=False)               # 64 x 3 x 3 (floor)
        x = x.view(x.size(0), -1)                               # 576
        return self.fc(x)                                       # 10 logits


def evaluate(model, x, y, batch=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, x.shape[0], batch):
            pred = model(x[i:i + batch]).argmax(1)
            correct += int((pred == y[i:i + batch]).sum())
    return correct / x.shape[0]


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def log(msg):
    print(msg, flush=True)


# ---------------------------------------------------------------- main
def main():
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.set_num_threads(THREADS)
    torch.use_deterministic_algorithms(True)

    tr_img, tr_lab = load_split("train")
    te_img, te_lab = load_split("t10k")
    log("train %s, test %s" % (tr_img.shape, te_img.shape))
    x_train, y_train = preprocess(tr_img), torch.from_numpy(tr_lab.astype(np.int64))
    x_test, y_test = preprocess(te_img), torch.from_numpy(te_lab.astype(np.int64))

    model = FashionCNN()
    n_params = sum(p.numel() for p in model.parameters())
    log("model: %d trainable parameters" % n_params)

    steps_per_epoch = (x_train.shape[0] + BATCH - 1) // BATCH
    opt = torch.optim.Adam(model.parameters(), lr=LR, weight_decay=WEIGHT_DECAY)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=LR, epochs=EPOCHS, steps_per_epoch=steps_per_epoch)
    gen = torch.Generator().manual_seed(SEED)

    t0 = time.time()
    for epoch in range(1, EPOCHS + 1):
        model.train()
        te = time.time()
        perm = torch.randperm(x_train.shape[0], generator=gen)
        loss_sum, correct = 0.0, 0
        for i in range(0, x_train.shape[0], BATCH):
            idx = perm[i:i + BATCH]
            xb, yb = x_train[idx], y_train[idx]
            out = model(xb)
            loss = F.cross_entropy(out, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += float(loss) * xb.shape[0]
            correct += int((out.argmax(1) == yb).sum())
        acc = evaluate(model, x_test, y_test)
        log("epoch %d/%d  loss %.4f  train_acc %.4f  test_acc %.4f  (%.1fs)" % (
            epoch, EPOCHS, loss_sum / x_train.shape[0], correct / x_train.shape[0],
            acc, time.time() - te))
    train_seconds = time.time() - t0

    model.eval()
    top1 = evaluate(model, x_test, y_test)
    log("final float top-1 on %d test images: %.2f%%" % (x_test.shape[0], 100 * top1))
    if top1 < 0.90:
        log("WARNING: accuracy below 90%")

    # ------------------------------------------------------------ ONNX export
    dummy = x_test[:1].clone()
    torch.onnx.export(
        model.eval(), dummy, ONNX_PATH,
        opset_version=OPSET,
        do_constant_folding=False,
        # TrainingMode.PRESERVE on a model in eval mode exports inference-mode
        # BatchNormalization but skips torch's eval peephole pass, which would
        # otherwise fuse BN into the Conv weights even with do_constant_folding=False.
        training=torch.onnx.TrainingMode.PRESERVE,
        input_names=["input"], output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})

    import onnx
    m = onnx.load(ONNX_PATH)
    onnx.checker.check_model(m)
    ops = Counter(n.op_type for n in m.graph.node)
    log("ONNX ops: %s" % dict(sorted(ops.items())))
    bn_kept = ops.get("BatchNormalization", 0) == 3
    if not bn_kept:
        log("NOTE: exporter did not keep 3 BatchNormalization nodes (found %d)"
            % ops.get("BatchNormalization", 0))

    # independent check of the exported graph with a numpy-only interpreter
    import onnx_numpy_check
    onnx_logits = onnx_numpy_check.evaluate(ONNX_PATH, x_test.numpy())
    with torch.no_grad():
        torch_logits = torch.cat([model(x_test[i:i + 1000])
                                  for i in range(0, x_test.shape[0], 1000)]).numpy()
    onnx_top1 = float((onnx_logits.argmax(1) == te_lab).mean())
    max_diff = float(np.abs(onnx_logits - torch_logits).max())
    log("ONNX graph (numpy interpreter) top-1: %.2f%%, max |logit diff| vs torch %.3g"
        % (100 * onnx_top1, max_diff))

    digest = sha256_of(ONNX_PATH)
    size = os.path.getsize(ONNX_PATH)
    log("wrote %s (%d bytes, sha256 %s)" % (ONNX_PATH, size, digest))

    meta = {
        "model": MODEL_NAME,
        "float_top1": round(top1, 4),
        "test_images": int(x_test.shape[0]),
        "mean": MEAN,
        "std": STD,
        "input": {"name": "input", "shape": ["batch", 1, 28, 28], "dtype": "float32"},
        "output": {"name": "logits", "shape": ["batch", 10], "dtype": "float32"},
        "opset": OPSET,
        "ir_version": int(m.ir_version),
        "torch_version": torch.__version__,
        "sha256": digest,
        "parameters": n_params,
        "seed": SEED,
        "epochs": EPOCHS,
        "train_seconds": round(train_seconds, 1),
        "onnx_ops": dict(sorted(ops.items())),
        "onnx_numpy_top1": round(onnx_top1, 4),
        "onnx_numpy_max_abs_logit_diff": max_diff,
        "classes": CLASSES,
    }
    with open(JSON_PATH, "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")

    write_readme(meta, size, bn_kept)
    log("wrote %s and %s" % (JSON_PATH, README_PATH))


def write_readme(meta, size, bn_kept):
    ops_table = "\n".join("| %s | %d |" % (k, v) for k, v in meta["onnx_ops"].items())
    bn_note = ("The three BatchNormalization nodes are kept in the graph (not folded\n"
               "into the convolutions), so the importer sees the unfused pattern.\n"
               "Note: in torch 1.13, `do_constant_folding=False` alone is NOT enough --\n"
               "with the default `training=TrainingMode.EVAL` the exporter's eval\n"
               "peephole pass still fuses Conv+BN. The script therefore exports the\n"
               "eval-mode model with `training=TrainingMode.PRESERVE`, which gives\n"
               "inference-mode BatchNormalization nodes (epsilon 1e-5, momentum 0.9\n"
               "attribute, a single output) without the fusion."
               if bn_kept else
               "NOTE: the exporter did NOT keep all BatchNormalization nodes; see the op table.")
    text = """# Reference models

## fashion_mnist_cnn.onnx

A small CNN for Fashion-MNIST (28x28 grey images, 10 classes), used as a
reference model for the cimq ONNX import / compute-in-memory pipeline.

| | |
|---|---|
| float top-1 (PyTorch, eval mode, 10,000 test images) | **{acc:.2f}%** |
| trainable parameters | {params:,} |
| ONNX opset / IR version | {opset} / {ir} |
| file size | {size:,} bytes |
| SHA-256 | `{sha}` |
| torch | {torch} |

### Interface

* input `input`: float32 `[batch, 1, 28, 28]` (NCHW, dynamic batch axis `batch`)
* output `logits`: float32 `[batch, 10]` (raw scores; argmax = class)
* classes, in order: {classes}

### Preprocessing (must be reproduced exactly)

```
x = pixel_byte / 255.0             # [0, 1]
x = (x - 0.2860) / 0.3530          # one channel mean / std
```

Pixels are in the idx file's row-major order (row = y, column = x).

### Architecture

| block | layers | output |
|---|---|---|
| 1 | Conv 1->16, 3x3, pad 1 - BatchNorm - ReLU - MaxPool 2x2 | 16x14x14 |
| 2 | Conv 16->32, 3x3, pad 1 - BatchNorm - ReLU - MaxPool 2x2 | 32x7x7 |
| 3 | Conv 32->64, 3x3, pad 1 - BatchNorm - ReLU - AvgPool 2x2 stride 2 | 64x3x3 |
| head | `x.view(x.size(0), -1)` - Linear 576->10 (Gemm) | 10 |

Parameters: conv1 160, bn1 32, conv2 4,640, bn2 64, conv3 18,496, bn3 128,
fc 5,770 = {params:,} trainable (plus BatchNorm running mean/var buffers).

The last pool is a 2x2/stride-2 AveragePool on a 7x7 map with floor rounding
(ceil_mode=0, no padding), so it yields 3x3 and the last row and column (index 6)
are dropped -- the importer must implement ONNX floor semantics. It is written with
`count_include_pad=False` (identical math without padding) because the default
makes torch 1.13 emit a redundant all-zero `Pad` node in front of `AveragePool`.

{bn_note}

The flatten is written as `x.view(x.size(0), -1)` on purpose, so the graph
contains the typical PyTorch dynamic-batch pattern: `Shape` of the pooled
tensor -> `Gather(axis 0, index scalar 0)` = batch size; scalar `-1`; each is
`Unsqueeze`d (axes `[0]`) and the two are `Concat`ed into the shape `[batch, -1]`
for `Reshape`. The 4 `Constant` nodes are the Gather index 0, the scalar -1 and
the two Unsqueeze axes tensors.
The Linear layer is a `Gemm` with `transB=1` (weight stored as [10, 576]).
All weights are graph initializers (float32).

ONNX op types in the exported graph:

| op | count |
|---|---|
{ops_table}

### How it was made

```
/usr/bin/python3 models/train_fashion_mnist.py
```

(from the repository root; Debian's Python with torch 1.13, torchvision 0.14,
onnx 1.12 -- the default `python3` may lack torch). The script writes
`fashion_mnist_cnn.onnx`, `fashion_mnist_cnn.json` and this README next to itself.

* data: Debian package `fashion-mnist`, `/usr/share/datasets/fashion-mnist/*.gz`,
  read directly from the gzipped idx files (60,000 train / 10,000 test images)
* seed {seed} (`torch.manual_seed`; a generator seeded with it drives the shuffling),
  `torch.set_num_threads(2)`, deterministic algorithms
* Adam (lr {lr}, weight decay {wd}), one-cycle LR schedule, batch {batch},
  {epochs} epochs, no data augmentation
* training time: {secs:.0f} s on 2 shared CPU cores
* export: `torch.onnx.export(model.eval(), ..., opset_version=13,
  do_constant_folding=False, training=TrainingMode.PRESERVE, input_names=['input'],
  output_names=['logits'], dynamic_axes={{'input': {{0: 'batch'}}, 'logits': {{0: 'batch'}}}})`,
  then `onnx.checker.check_model`
* check: the exported graph was run on all 10,000 test images by a small numpy-only
  interpreter (`onnx_numpy_check.py`, no onnxruntime needed): top-1 {onnx_acc:.2f}%,
  max |logit difference| vs PyTorch {diff:.2g}

`fashion_mnist_cnn.json` holds the same facts in machine-readable form
(`float_top1` is a fraction). Training is deterministic on this machine: running
the script again reproduces the same weights, accuracy and .onnx SHA-256 (only the
training time differs).
""".format(acc=100 * meta["float_top1"], params=meta["parameters"], opset=meta["opset"],
           size=size, sha=meta["sha256"], ir=meta["ir_version"], torch=meta["torch_version"],
           classes=", ".join(meta["classes"]), bn_note=bn_note, ops_table=ops_table,
           seed=meta["seed"], lr=LR, wd=WEIGHT_DECAY, batch=BATCH, epochs=meta["epochs"],
           secs=meta["train_seconds"], onnx_acc=100 * meta["onnx_numpy_top1"],
           diff=meta["onnx_numpy_max_abs_logit_diff"])
    with open(README_PATH, "w") as f:
        f.write(text)


if __name__ == "__main__":
    sys.exit(main())
