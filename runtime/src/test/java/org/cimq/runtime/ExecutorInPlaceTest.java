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
}
