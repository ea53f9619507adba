package org.cimq.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cimq.ir.Attr;
import org.cimq.ir.DType;
import org.cimq.ir.GraphBuilder;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.cimq.runtime.Executor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused model against the same model unfused, on the executor, bit for bit: a ResNet-style
 * block (Conv → Relu, Conv → Add → Relu with the block input), a broadcast Add (whole-array
 * fallback), a Conv whose output is also read elsewhere (left alone), batches of 1 (one
 * ND4J call) and 5 (split over threads).
 */
class ConvReluFusionTest {
    private static final int C = 4;

    private static Value weights(GraphBuilder b, Random r, String name, long... shape) {
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian() * 0.3f;
        }
        return b.constant(name, Tensor.ofFloats(shape, v));
    }

    private static Value conv(GraphBuilder b, Random r, String name, Value x) {
        Map<String, Attr> attrs = Map.of("pads", Attr.IntsAttr.of(1, 1, 1, 1), "kernel_shape", Attr.IntsAttr.of(3, 3));
        return b.op("Conv", attrs, x, weights(b, r, name + "_w", C, C, 3, 3), weights(b, r, name + "_b", C));
    }

    /**
     * a = relu(c1(x)); h = relu(c2(a)); block = relu(c3(h) + a), written over a (dead after it);
     * relu(c4(block)), written over block; relu(shift [1,C,1,1] + c5(..)) (broadcast); c6(..)
     * read by Relu (graph output y) and by Neg (z): not fused.
     */
    private static Model model(int n) {
        Random r = new Random(42);
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", TensorType.of(DType.FLOAT, n, C, 6, 5));
        Value a = b.op("Relu", conv(b, r, "c1", x));
        Value h = b.op("Relu", conv(b, r, "c2", a));
        Value block = b.op("Relu", b.op("Add", conv(b, r, "c3", h), a));
        Value plain = b.op("Relu", conv(b, r, "c4", block));
        Value broadcast = b.op("Relu", b.op("Add", weights(b, r, "shift", 1, C, 1, 1), conv(b, r, "c5", plain)));
        Value shared = conv(b, r, "c6", broadcast);
        b.output(b.op("Relu", shared), "y", null);
        b.output(b.op("Neg", shared), "z", null);
        return b.build();
    }

    private static INDArray input(int n) {
        Random r = new Random(7);
        float[] v = new float[n * C * 30];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Nd4j.create(v, new long[] {n, C, 6, 5}, 'c');
    }

    @Test
    void fusesConvReluAndConvAddReluButNotASharedConvOutput() {
        Model m = model(2);
        ConvReluFusion fusion = new ConvReluFusion();
        assertTrue(fusion.run(m));
        assertEquals(5, fusion.fusedCount());
        List<String> ops = m.graph().nodes().stream().map(Node::opType).toList();
        assertEquals(List.of("ConvRelu", "ConvRelu", "ConvRelu", "ConvRelu", "ConvRelu", "Conv", "Relu", "Neg"), ops);
        Node withSkip = m.graph().nodes().get(2);
        assertEquals(4, withSkip.inputs().size());
        assertEquals(m.graph().nodes().get(0).output(0), withSkip.input(0), "the Add's other input comes first");
        assertEquals(m.graph().nodes().get(1).output(0), withSkip.input(1));
        assertEquals(1, withSkip.attrInt("addend", 0));
        assertEquals(0, m.graph().nodes().get(3).attrInt("addend", 0));
        assertEquals((long) ConvReluKernel.VERSION, m.opsetImports().get(ConvReluKernel.DOMAIN));
    }

    @Test
    void deadFirstInputsAreOverwrittenOnSplitBatches() {
        Model fused = model(5);
        new ConvReluFusion().run(fused);
        List<Long> addresses = new java.util.ArrayList<>();
        new Executor(fused).run(Map.of("x", input(5)), (v, a) -> addresses.add(a.data().address()));
        assertEquals(addresses.get(0), addresses.get(2), "relu(c3(h) + a) written over a");
        assertEquals(addresses.get(2), addresses.get(3), "relu(c4(block)) written over block");
    }

    @Test
    void fusedModelComputesTheUnfusedNumbersBitForBit() {
        for (int n : new int[] {1, 5}) {
            INDArray x = input(n);
            INDArray[] plain = new Executor(model(n)).run(x);
            Model fused = model(n);
            new ConvReluFusion().run(fused);
            INDArray[] got = new Executor(fused).run(x);
            for (int i = 0; i < plain.length; i++) {
                assertArrayEquals(plain[i].shape(), got[i].shape());
                assertArrayEquals(plain[i].dup('c').data().asFloat(), got[i].dup('c').data().asFloat(), 0f,
                        "output " + i + ", batch " + n);
            }
            float min = plain[0].minNumber().floatValue();
            assertEquals(0f, min, "Relu clipped something, so the test sees it");
        }
    }
}
