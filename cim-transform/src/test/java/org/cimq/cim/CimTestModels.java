package org.cimq.cim;

import java.util.ArrayList;
import java.util.Iterator;
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
import org.cimq.runtime.ModelLoader;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small models and data for CIM tests, built in code with a fixed seed. */
final class CimTestModels {
    private CimTestModels() {
    }

    static Tensor randomTensor(Random r, long... shape) {
        float[] v = new float[(int) Tensor.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Tensor.ofFloats(shape, v);
    }

    /**
     * x[batch,4,6,6] → Conv(4→6, 3×3, pad 1) → Relu → Conv(6→6, group 2, 3×3, stride 2, pad 1,
     * dilation 1) → Relu → Conv(6→6 depthwise, 2×2, dilation 2, pads 1,0,0,1) → Relu → Flatten →
     * Gemm(transB, →5) → Relu → MatMul(→3). The first layer reads raw (signed) x.
     */
    static Model mixed(long seed) {
        Random r = new Random(seed);
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", new TensorType(DType.FLOAT, List.of(Dim.symbolic("batch"), Dim.of(4), Dim.of(6), Dim.of(6))));
        Value c1 = b.op("Conv", Map.of("pads", Attr.IntsAttr.of(1, 1, 1, 1)), x,
                b.constant("w1", randomTensor(r, 6, 4, 3, 3)), b.constant("b1", randomTensor(r, 6)));
        Value c2 = b.op("Conv", Map.of("pads", Attr.IntsAttr.of(1, 1, 1, 1), "strides", Attr.IntsAttr.of(2, 2),
                "group", new Attr.IntAttr(2)), b.op("Relu", c1), b.constant("w2", randomTensor(r, 6, 3, 3, 3)));
        Value c3 = b.op("Conv", Map.of("pads", Attr.IntsAttr.of(1, 0, 0, 1), "dilations", Attr.IntsAttr.of(2, 2),
                "group", new Attr.IntAttr(6)), b.op("Relu", c2), b.constant("w3", randomTensor(r, 6, 1, 2, 2)));
        Value flat = b.op("Flatten", b.op("Relu", c3));
        Value g = b.op("Gemm", Map.of("transB", new Attr.IntAttr(1), "alpha", new Attr.FloatAttr(0.5f)), flat,
                b.constant("wg", randomTensor(r, 5, 24)), b.constant("bg", randomTensor(r, 5)));
        b.output(b.op("MatMul", b.op("Relu", g), b.constant("wm", randomTensor(r, 5, 3))), "y", null);
        return ModelLoader.prepare(b.build());
    }

    /** A c-order float32 array of {@code shape} filled with standard normal values from {@code new Random(seed)}. */
    static INDArray gaussian(long seed, long... shape) {
        Random r = new Random(seed);
        float[] v = new float[(int) Tensor.numel(shape)];
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) r.nextGaussian();
        }
        return Nd4j.create(v, shape, 'c');
    }

    static List<INDArray> batches(long seed, int count, int batch) {
        Random r = new Random(seed);
        List<INDArray> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] v = new float[batch * 4 * 6 * 6];
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) r.nextGaussian();
            }
            out.add(Nd4j.create(v, new long[] {batch, 4, 6, 6}, 'c'));
        }
        return out;
    }

    static Iterator<INDArray> iterator(List<INDArray> batches) {
        return batches.iterator();
    }
}
