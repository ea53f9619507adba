package org.cimq.cim;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cimq.ir.Attr;
import org.cimq.ir.DType;
import org.cimq.ir.Dim;
import org.cimq.ir.GraphBuilder;
import org.cimq.ir.Model;
import org.cimq.ir.Tensor;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * QDQ models built in code (opset 13), as quantization-aware training exports them:
 * <pre>
 * x[b,2,5,5] → QuantizeLinear(s_x1) → DequantizeLinear → Conv(DequantizeLinear(int8 q1 [4,2,3,3],
 *   per-channel scales, axis 0), bias, pad 1) → Relu → QuantizeLinear(s_x2, uint8) → DequantizeLinear
 *   → Flatten → Gemm(transB, DequantizeLinear(QuantizeLinear(float q2·s2)), per-tensor s2), bias) → y[b,3]
 * </pre>
 * The Gemm weight is a QuantizeLinear of float weights (folded to int8 by preparation), as
 * PyTorch exports it. Scales and biases are irregular so that no Conv output lands on a
 * rounding tie of the second QuantizeLinear, where float round-off would decide the code.
 */
final class QdqTestModels {
    static final float S_X1 = 0.05f;
    static final float S_X2 = 0.1f;
    static final float S_W2 = 0.0311f;
    static final float[] S_W1 = {0.0213f, 0.0347f, 0.0119f, 0.0481f};

    /**
     * What varies between the models.
     *
     * @param inputType   the first pair's code type, uint8 or int8
     * @param inputZero   the first pair's zero point
     * @param weightZero  the Conv weights' zero point of channel 2 (0 for all others)
     * @param weightLimit the largest |q| of the Conv weights
     * @param hiddenPair  whether the Gemm reads a QDQ pair (else the Relu directly: a calibrated layer)
     */
    record Spec(DType inputType, long inputZero, long weightZero, int weightLimit, boolean hiddenPair) {
        static Spec plain() {
            return new Spec(DType.UINT8, 0, 0, 7, true);
        }
    }

    private QdqTestModels() {
    }

    /** The Conv's integer weights, [4,2,3,3] row-major. */
    static int[] convWeights(Spec spec) {
        Random r = new Random(3);
        int[] q = new int[4 * 2 * 9];
        for (int i = 0; i < q.length; i++) {
            q[i] = r.nextInt(2 * spec.weightLimit() + 1) - spec.weightLimit();
        }
        q[5] = -spec.weightLimit();
        q[40] = spec.weightLimit();
        return q;
    }

    /** The Gemm's integer weights, [3,100] row-major (transB). */
    static int[] gemmWeights() {
        Random r = new Random(4);
        int[] q = new int[3 * 100];
        for (int i = 0; i < q.length; i++) {
            q[i] = r.nextInt(15) - 7;
        }
        return q;
    }

    /** The model, unprepared. */
    static Model build(Spec spec) {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", new TensorType(DType.FLOAT, List.of(Dim.symbolic("batch"), Dim.of(2), Dim.of(5), Dim.of(5))));
        Value zx = b.constant("zx1", ints(spec.inputType(), new long[0], new int[] {(int) spec.inputZero()}));
        Value sx = b.constant("sx1", Tensor.scalar(S_X1));
        Value a1 = b.op("DequantizeLinear", b.op("QuantizeLinear", x, sx, zx), sx, zx);
        int[] zw = new int[4];
        zw[2] = (int) spec.weightZero();
        Value w1 = b.op("DequantizeLinear", Map.of("axis", new Attr.IntAttr(0)),
                b.constant("q1", ints(DType.INT8, new long[] {4, 2, 3, 3}, convWeights(spec))),
                b.constant("s_w1", Tensor.ofFloats(new long[] {4}, S_W1)),
                b.constant("z_w1", ints(DType.INT8, new long[] {4}, zw)));
        Value c = b.op("Conv", Map.of("pads", Attr.IntsAttr.of(1, 1, 1, 1)), a1, w1,
                b.constant("b1", Tensor.ofFloats(new long[] {4}, 0.1037f, -0.2113f, 0.0571f, 0.0093f)));
        Value h = b.op("Relu", c);
        if (spec.hiddenPair()) {
            Value s2 = b.constant("sx2", Tensor.scalar(S_X2));
            Value z2 = b.constant("zx2", ints(DType.UINT8, new long[0], new int[] {0}));
            h = b.op("DequantizeLinear", b.op("QuantizeLinear", h, s2, z2), s2, z2);
        }
        int[] q2 = gemmWeights();
        float[] w2 = new float[q2.length];
        for (int i = 0; i < w2.length; i++) {
            w2[i] = q2[i] * S_W2;
        }
        Value sw2 = b.constant("s_w2", Tensor.scalar(S_W2));
        Value zw2 = b.constant("z_w2", ints(DType.INT8, new long[0], new int[] {0}));
        Value wq = b.op("QuantizeLinear", b.constant("w2", Tensor.ofFloats(new long[] {3, 100}, w2)), sw2, zw2);
        Value g = b.op("Gemm", Map.of("transB", new Attr.IntAttr(1)), b.op("Flatten", h), b.op("DequantizeLinear", wq, sw2, zw2),
                b.constant("b2", Tensor.ofFloats(new long[] {3}, 0.3f, 0f, -0.1f)));
        b.output(g, "y", null);
        return b.build();
    }

    static INDArray images(long seed, int batch) {
        Random r = new Random(seed);
        float[] v = new float[batch * 2 * 5 * 5];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * 3);
        }
        return Nd4j.create(v, new long[] {batch, 2, 5, 5}, 'c');
    }

    private static Tensor ints(DType type, long[] shape, int[] values) {
        byte[] raw = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            raw[i] = (byte) values[i];
        }
        return Tensor.ofRaw(type, shape, raw);
    }
}
