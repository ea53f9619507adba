package org.cimq.runtime.kernels;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.AvgPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.MaxPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's (oneDNN) 2-D max and average pooling for the common case where ONNX and ND4J agree
 * exactly: float NCHW input, no padding, no dilation, and windows that tile the input without
 * ceil_mode's extra window. Everything else goes through {@link PoolLoops}.
 */
final class Pool2dValid {
    private Pool2dValid() {
    }

    /** True when {@code out} is what VALID pooling of {@code x} gives (no pads, no ceil window). */
    static boolean applies(INDArray x, long[] kernel, long[] strides, long[] dilations, WindowGeometry.Resolved g) {
        if (x.rank() != 4 || !x.dataType().isFPType() || kernel.length != 2) {
            return false;
        }
        for (int i = 0; i < 2; i++) {
            if (dilations[i] != 1 || g.padBegin()[i] != 0 || g.padEnd()[i] != 0
                    || g.out()[i] != (x.size(2 + i) - kernel[i]) / strides[i] + 1) {
                return false;
            }
        }
        return true;
    }

    static INDArray max(INDArray x, long[] k, long[] s) {
        return Nd4j.exec(new MaxPooling2D(x, config(k, s, org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D.Pooling2DType.MAX)))[0];
    }

    static INDArray average(INDArray x, long[] k, long[] s) {
        return Nd4j.exec(new AvgPooling2D(x, config(k, s, org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D.Pooling2DType.AVG)))[0];
    }

    private static Pooling2DConfig config(long[] k, long[] s, org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D.Pooling2DType type) {
        return Pooling2DConfig.builder().kH(k[0]).kW(k[1]).sH(s[0]).sW(s[1]).pH(0).pW(0).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).type(type).isNHWC(false).extra(0.0).build();
    }
}
