package org.cimq.cim.train;

import org.cimq.ir.Node;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;

/**
 * A 2-D ONNX Conv's attributes as SameDiff's {@link Conv2DConfig} (NCHW, weights passed as
 * [kh, kw, cin, cout]); what SameDiff cannot express (groups, asymmetric pads, auto_pad) is refused.
 */
final class ConvAttrs {
    private ConvAttrs() {
    }

    static Conv2DConfig of(Node n, long[] weightShape) {
        if (weightShape.length != 4) {
            throw new TrainingException(n.describe() + ": only 2-D Conv can be trained, weight has rank " + weightShape.length);
        }
        if (n.attrInt("group", 1) != 1) {
            throw new TrainingException(n.describe() + ": grouped Conv (group " + n.attrInt("group", 1)
                    + ") is not supported by retraining yet");
        }
        if (!n.attrString("auto_pad", "NOTSET").equals("NOTSET")) {
            throw new TrainingException(n.describe() + ": auto_pad " + n.attrString("auto_pad", "") + " is not supported; "
                    + "expected explicit pads");
        }
        long[] pads = n.attrInts("pads", new long[] {0, 0, 0, 0});
        if (pads[0] != pads[2] || pads[1] != pads[3]) {
            throw new TrainingException(n.describe() + ": asymmetric pads " + java.util.Arrays.toString(pads) + " are not supported");
        }
        long[] strides = n.attrInts("strides", new long[] {1, 1});
        long[] dil = n.attrInts("dilations", new long[] {1, 1});
        return Conv2DConfig.builder().kH(weightShape[2]).kW(weightShape[3]).sH(strides[0]).sW(strides[1])
                .pH(pads[0]).pW(pads[1]).dH(dil[0]).dW(dil[1]).paddingMode(PaddingMode.VALID).dataFormat("NCHW").build();
    }
}
