package org.cimq.runtime.kernels;

import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DepthwiseConv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * ND4J's oneDNN-backed 2-D convolution on NCHW data with ONNX's OIHW weights: plain, depthwise
 * (one group per input channel) and grouped (one convolution per group). Padding is symmetric
 * (pH, pW on both sides); {@link #zeroPad} makes asymmetric padding explicit beforehand.
 */
final class Conv2d {
    private static final Object HELPERS_LOCK = new Object();

    private Conv2d() {
    }

    /** x [N,C,H,W], w [O,C/group,kH,kW], b [O] or null; s, p, d as {H, W}. */
    static INDArray run(INDArray x, INDArray w, INDArray b, long[] s, long[] p, long[] d, int group) {
        return run(x, w, b, s, p, d, group, null);
    }

    /** As {@link #run(INDArray, INDArray, INDArray, long[], long[], long[], int)}, writing into {@code out} if not null. */
    static INDArray run(INDArray x, INDArray w, INDArray b, long[] s, long[] p, long[] d, int group, INDArray out) {
        long cin = x.size(1);
        long cout = w.size(0);
        if (group == 1) {
            return plain(x, w, b, s, p, d, out);
        }
        if (group == cin && w.size(1) == 1) {
            INDArray wd = w.reshape('c', cin, cout / cin, w.size(2), w.size(3)).permute(2, 3, 0, 1).dup('c');
            INDArray[] in = b == null ? new INDArray[] {x, wd} : new INDArray[] {x, wd, b};
            return exec(new DepthwiseConv2D(in, outputs(out), config(wd.size(0), wd.size(1), s, p, d, WeightsFormat.YXIO)), d);
        }
        long gin = cin / group;
        long gout = cout / group;
        INDArray[] parts = new INDArray[group];
        for (int g = 0; g < group; g++) {
            INDArray xg = x.get(NDArrayIndex.all(), NDArrayIndex.interval(g * gin, (g + 1) * gin)).dup('c');
            INDArray wg = w.get(NDArrayIndex.interval(g * gout, (g + 1) * gout)).dup('c');
            INDArray bg = b == null ? null : b.get(NDArrayIndex.interval(g * gout, (g + 1) * gout)).dup('c');
            parts[g] = plain(xg, wg, bg, s, p, d, null);
        }
        INDArray y = Nd4j.concat(1, parts);
        return out == null ? y : out.assign(y);
    }

    private static INDArray plain(INDArray x, INDArray w, INDArray b, long[] s, long[] p, long[] d, INDArray out) {
        INDArray[] in = b == null ? new INDArray[] {x, w} : new INDArray[] {x, w, b};
        return exec(new Conv2D(in, outputs(out), config(w.size(2), w.size(3), s, p, d, WeightsFormat.OIYX)), d);
    }

    private static INDArray[] outputs(INDArray out) {
        return out == null ? null : new INDArray[] {out};
    }

    /**
     * oneDNN (ND4J's "helpers") rejects dilated convolutions in this ND4J version, so those run on
     * ND4J's own implementation with helpers switched off for the call.
     */
    private static INDArray exec(DynamicCustomOp op, long[] d) {
        if (d[0] == 1 && d[1] == 1) {
            return Nd4j.exec(op)[0];
        }
        synchronized (HELPERS_LOCK) {
            Environment env = Nd4j.getEnvironment();
            boolean before = env.helpersAllowed();
            env.allowHelpers(false);
            try {
                return Nd4j.exec(op)[0];
            } finally {
                env.allowHelpers(before);
            }
        }
    }

    private static Conv2DConfig config(long kh, long kw, long[] s, long[] p, long[] d, WeightsFormat f) {
        return Conv2DConfig.builder().kH(kh).kW(kw).sH(s[0]).sW(s[1]).pH(p[0]).pW(p[1]).dH(d[0]).dW(d[1])
                .paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW).weightsFormat(f).build();
    }

    /** A zero-padded copy of x [N,C,H,W] with {@code begin}/{@code end} cells added on H and W. */
    static INDArray zeroPad(INDArray x, long[] begin, long[] end) {
        long h = x.size(2);
        long w = x.size(3);
        INDArray out = Nd4j.zeros(x.dataType(), x.size(0), x.size(1), h + begin[0] + end[0], w + begin[1] + end[1]);
        INDArrayIndex[] at = {NDArrayIndex.all(), NDArrayIndex.all(),
            NDArrayIndex.interval(begin[0], begin[0] + h), NDArrayIndex.interval(begin[1], begin[1] + w)};
        out.get(at).assign(x);
        return out;
    }
}
