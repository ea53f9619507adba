package org.cimq.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashMap;
import java.util.Map;
import org.cimq.ir.DType;
import org.cimq.ir.GraphBuilder;
import org.cimq.ir.Model;
import org.cimq.ir.Tensor;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class ExecutorInPlaceTest {
    private static final TensorType X = TensorType.of(DType.FLOAT, 2, 2);

    private static Map<String, Long> addresses(Executor ex, INDArray x, float[] expected) {
        Map<String, Long> seen = new HashMap<>();
        Map<String, INDArray> out = ex.run(Map.of("x", x), (v, a) -> seen.put(v.producer().opType(), a.data().address()));
        assertArrayEquals(expected, out.values().iterator().next().data().asFloat(), 0f);
        return seen;
    }

    @Test
    void reluOverwritesADeadIntermediateButNeverTheGraphInput() {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", X);
        b.output(b.op("Relu", b.op("Neg", x)), "y", null);
        Model m = b.build();
        INDArray in = Nd4j.createFromArray(new float[][] {{1, -2}, {-3, 4}});
        Map<String, Long> seen = addresses(new Executor(m), in, new float[] {0, 2, 3, 0});
        assertEquals(seen.get("Neg"), seen.get("Relu"), "Relu ran in place over Neg's output");
        assertArrayEquals(new float[] {1, -2, -3, 4}, in.data().asFloat(), 0f);

        GraphBuilder direct = new GraphBuilder(13);
        direct.output(direct.op("Relu", direct.input("x", X)), "y", null);
        addresses(new Executor(direct.build()), in, new float[] {1, 0, 0, 4});
        assertArrayEquals(new float[] {1, -2, -3, 4}, in.data().asFloat(), 0f, "graph input untouched");
    }

    @Test
    void valuesWithAnotherUseOrAliasAreNotOverwritten() {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", X);
        Value neg = b.op("Neg", x);
        Value relu = b.op("Relu", neg);
        b.output(b.op("Add", relu, neg), "y", null); // neg is still needed after Relu
        Map<String, Long> seen = addresses(new Executor(b.build()), Nd4j.createFromArray(new float[][] {{1, -2}, {-3, 4}}),
                new float[] {-1, 4, 6, -4});
        assertNotEquals(seen.get("Neg"), seen.get("Relu"));

        GraphBuilder c = new GraphBuilder(13);
        Value k = c.constant("k", Tensor.ofFloats(new long[] {2, 2}, -1, 2, -3, 4));
        Value id = c.op("Identity", k); // Identity hands out the constant's own array
        Value y = c.op("Relu", id);
        c.output(c.op("Add", y, c.input("x", X)), "y", null);
        Executor ex = new Executor(c.build());
        INDArray ones = Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 2);
        addresses(ex, ones, new float[] {1, 3, 1, 5});
        addresses(ex, ones, new float[] {1, 3, 1, 5}); // the constant survived the first run
    }

    /** A Relu that declines every in-place run (returns null) and can write into a given array. */
    private static final class DecliningRelu implements InPlaceKernel, OutputReusingKernel {
        int inPlaceCalls;
        int intoCalls;

        @Override
        public INDArray[] run(INDArray[] inputs) {
            return new INDArray[] {Transforms.relu(inputs[0], true)};
        }

        @Override
        public INDArray[] runInPlace(INDArray[] inputs) {
            inPlaceCalls++;
            return null;
        }

        @Override
        public long[] reusableOutputShape(INDArray[] inputs) {
            return inputs[0].shape();
        }

        @Override
        public INDArray[] runInto(INDArray[] inputs, INDArray out) {
            intoCalls++;
            out.assign(inputs[0]);
            return new INDArray[] {Transforms.relu(out, false)};
        }
    }

    @Test
    void aKernelThatDeclinesInPlaceRunsOutOfPlaceIntoASpareArray() {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", X);
        // Add runs over one of the two Negs' arrays; the other dies there and is spare when Relu runs
        Value sum = b.op("Add", b.op("Neg", x), b.op("Neg", x));
        b.output(b.op("Relu", sum), "y", null);
        DecliningRelu relu = new DecliningRelu();
        Executor ex = new Executor(b.build(), StandardKernels.registry().register("Relu", 13, (n, opset) -> relu));
        INDArray in = Nd4j.createFromArray(new float[][] {{1, -2}, {-3, 4}});
        INDArray y = ex.run(Map.of("x", in), null).get("y");
        assertArrayEquals(new float[] {0, 4, 6, 0}, y.data().asFloat(), 0f);
        assertEquals(1, relu.inPlaceCalls, "Relu was offered its dead input");
        assertEquals(1, relu.intoCalls, "after declining, Relu wrote into a spare array");
        assertEquals(1, ex.reusedOutputs());
        assertArrayEquals(new float[] {1, -2, -3, 4}, in.data().asFloat(), 0f, "graph input untouched");
    }
}
