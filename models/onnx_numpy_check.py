#!/usr/bin/python3
"""Tiny numpy-only interpreter for the ops in fashion_mnist_cnn.onnx.

Independent check that the exported ONNX graph computes what the PyTorch model
computes (no onnxruntime here). Supports just the ops this export produces:
Conv, BatchNormalization, Relu, MaxPool, AveragePool, GlobalAveragePool,
Shape, Gather, Unsqueeze, Concat, Reshape, Flatten, Gemm, Constant.

    /usr/bin/python3 models/onnx_numpy_check.py   # evaluates on the 10,000 test images
"""

import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _im2col_conv(x, w, b, pads, strides, dilations, group):
    n, c, h, wd = x.shape
    m, cg, kh, kw = w.shape
    assert group == 1 and cg == c and dilations == [1, 1]
    pt, pl, pb, pr = pads
    xp = np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr)))
    sh, sw = strides
    oh = (h + pt + pb - kh) // sh + 1
    ow = (wd + pl + pr - kw) // sw + 1
    cols = np.empty((n, c, kh, kw, oh, ow), dtype=x.dtype)
    for i in range(kh):
        for j in range(kw):
            cols[:, :, i, j] = xp[:, :, i:i + sh * oh:sh, j:j + sw * ow:sw]
    out = np.einsum("nckhij,mckh->nmij", cols.reshape(n, c, kh, kw, oh, ow), w,
                    optimize=True)
    if b is not None:
        out = out + b[None, :, None, None]
    return out.astype(np.float32)


def _pool(x, kernel, strides, pads, op):
    n, c, h, w = x.shape
    kh, kw = kernel
    sh, sw = strides
    pt, pl, pb, pr = pads
    fill = -np.inf if op == "max" else 0.0
    xp = np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr)), constant_values=fill)
    oh = (h + pt + pb - kh) // sh + 1
    ow = (w + pl + pr - kw) // sw + 1
    win = np.stack([xp[:, :, i:i + sh * oh:sh, j:j + sw * ow:sw]
                    for i in range(kh) for j in range(kw)], axis=0)
    return (win.max(0) if op == "max" else win.mean(0)).astype(np.float32)


def run(model, x):
    """Run `model` (onnx.ModelProto) on one float32 input array; return first output."""
    g = model.graph
    env = {t.name: numpy_helper.to_array(t) for t in g.initializer}
    inits = set(env)
    real_inputs = [i.name for i in g.input if i.name not in inits]
    env[real_inputs[0]] = x
    for node in g.node:
        a = _attrs(node)
        ins = [env[i] if i else None for i in node.input]
        op = node.op_type
        if op == "Constant":
            out = numpy_helper.to_array(a["value"])
        elif op == "Conv":
            k = ins[1].shape[2:]
            out = _im2col_conv(ins[0], ins[1], ins[2] if len(ins) > 2 else None,
                               list(a.get("pads", [0, 0, 0, 0])),
                               list(a.get("strides", [1, 1])),
                               list(a.get("dilations", [1, 1])), a.get("group", 1))
            assert list(a.get("kernel_shape", k)) == list(k)
        elif op == "BatchNormalization":
            xx, s, bb, mean, var = ins
            eps = a.get("epsilon", 1e-5)
            sh = (1, -1) + (1,) * (xx.ndim - 2)
            out = ((xx - mean.reshape(sh)) / np.sqrt(var.reshape(sh) + np.float32(eps))
                   * s.reshape(sh) + bb.reshape(sh)).astype(np.float32)
        elif op == "Relu":
            out = np.maximum(ins[0], np.float32(0))
        elif op in ("MaxPool", "AveragePool"):
            assert a.get("ceil_mode", 0) == 0
            if op == "AveragePool":
                assert a.get("count_include_pad", 0) == 0 and not any(a.get("pads", [0]))
            out = _pool(ins[0], list(a["kernel_shape"]), list(a.get("strides", [1, 1])),
                        list(a.get("pads", [0, 0, 0, 0])),
                        "max" if op == "MaxPool" else "avg")
        elif op == "GlobalAveragePool":
            out = ins[0].mean(axis=(2, 3), keepdims=True).astype(np.float32)
        elif op == "Shape":
            out = np.array(ins[0].shape, dtype=np.int64)
        elif op == "Gather":
            out = np.take(ins[0], ins[1], axis=a.get("axis", 0))
        elif op == "Unsqueeze":
            out = np.asarray(ins[0])
            for ax in sorted(int(v) for v in ins[1]):
                out = np.expand_dims(out, ax)
        elif op == "Concat":
            out = np.concatenate([np.atleast_1d(v) for v in ins], axis=a["axis"])
        elif op == "Reshape":
            shape = [int(v) for v in ins[1]]
            shape = [ins[0].shape[i] if v == 0 else v for i, v in enumerate(shape)]
            out = ins[0].reshape(shape)
        elif op == "Flatten":
            ax = a.get("axis", 1)
            out = ins[0].reshape(int(np.prod(ins[0].shape[:ax])), -1)
        elif op == "Gemm":
            aa, bm = ins[0], ins[1]
            if a.get("transA", 0):
                aa = aa.T
            if a.get("transB", 0):
                bm = bm.T
            out = a.get("alpha", 1.0) * (aa @ bm)
            if len(ins) > 2 and ins[2] is not None:
                out = out + a.get("beta", 1.0) * ins[2]
            out = out.astype(np.float32)
        else:
            raise NotImplementedError(op)
        env[node.output[0]] = out
    return env[g.output[0].name]


def evaluate(onnx_path, x, batch=500):
    """Logits of the ONNX model for float32 NCHW input x, computed in batches."""
    model = onnx.load(onnx_path)
    return np.concatenate([run(model, x[i:i + batch]) for i in range(0, x.shape[0], batch)])


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    import train_fashion_mnist as t
    img, lab = t.load_split("t10k")
    x = t.preprocess(img).numpy()
    logits = evaluate(os.path.join(here, "fashion_mnist_cnn.onnx"), x)
    acc = float((logits.argmax(1) == lab).mean())
    print("ONNX (numpy interpreter) top-1 on %d test images: %.2f%%" % (len(lab), 100 * acc))


if __name__ == "__main__":
    main()
