package org.cimq.cim;

import org.cimq.ir.Model;
import org.cimq.ir.Tensor;
import org.cimq.ir.Value;

/**
 * The digital tail of a mapped layer: {@code y = acc · (s_w[n] · s_x · alpha) + bias[n]} with
 * standard ONNX Mul and Add; the per-channel factor is computed in float32 in that order.
 */
final class OutputScaling {
    private OutputScaling() {
    }

    static Value add(NodeFactory f, Value acc, MappedLayer layer, float[] weightScales, float inputScale) {
        int n = layer.n();
        float[] scale = new float[n];
        for (int c = 0; c < n; c++) {
            scale[c] = weightScales[c] * inputScale * layer.alpha();
        }
        long[] shape = channelShape(layer);
        Value y = f.node(Model.ONNX_DOMAIN, "Mul", acc, f.constant("output_scale", Tensor.ofFloats(shape, scale))).output(0);
        if (layer.bias() != null) {
            y = f.node(Model.ONNX_DOMAIN, "Add", y, f.constant("bias", Tensor.ofFloats(shape, layer.bias().clone()))).output(0);
        }
        return y;
    }

    /** [N, 1, 1…] for Conv (one 1 per spatial axis), [N] otherwise. */
    static long[] channelShape(MappedLayer layer) {
        if (layer.kind() != LayerKind.CONV) {
            return new long[] {layer.n()};
        }
        long[] s = new long[layer.weight().rank() - 1];
        java.util.Arrays.fill(s, 1);
        s[0] = layer.n();
        return s;
    }
}
