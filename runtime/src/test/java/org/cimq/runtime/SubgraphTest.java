package org.cimq.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
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

/** A part of a model run from the values the whole model computed gives the whole model's outputs. */
class SubgraphTest {
    /** x → Neg → a → Relu → b; c = Mul(a, w); y = Add(b, c) (a skip around Relu), z = Sigmoid(y). */
    private static Model model() {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", TensorType.of(DType.FLOAT, 2, 3));
        Value a = b.op("Neg", x);
        a.setName("a");
        Value relu = b.op("Relu", a);
        relu.setName("b");
        Value c = b.op("Mul", a, b.constant("w", Tensor.ofFloats(new long[] {3}, new float[] {0.5f, -2f, 3f})));
        c.setName("c");
        Value unused = b.op("Exp", b.constant("k", Tensor.ofFloats(new long[] {1}, new float[] {1f})));
        unused.setName("unused");
        Value y = b.op("Add", relu, c);
        y.setName("y");
        b.output(b.op("Sigmoid", y), "z", null);
        return b.build();
    }

    @Test
    void partFromIntermediateValuesEqualsTheWholeModel() {
        Model m = model();
        INDArray x = Nd4j.createFromArray(new float[][] {{1, -2, 3}, {-0.5f, 0.25f, 7}});
        Map<String, INDArray> seen = new HashMap<>();
        Map<String, INDArray> whole = new Executor(m).run(Map.of("x", x), (v, arr) -> seen.put(v.name(), arr.dup()));

        Model part = Subgraph.extract(m, List.of("a"), List.of("z"));
        assertEquals(List.of("a"), part.graph().inputs().stream().map(Value::name).toList());
        assertEquals(List.of("Relu", "Mul", "Add", "Sigmoid"), part.graph().nodes().stream().map(n -> n.opType()).toList());
        assertTrue(part.graph().initializers().containsKey("w"));
        assertTrue(!part.graph().initializers().containsKey("k"), "initializers of dropped nodes go");
        INDArray a = seen.get("a").dup();
        INDArray z = new Executor(part).run(Map.of("a", a), null).get("z");
        assertArrayEquals(whole.get("z").data().asFloat(), z.data().asFloat(), 0f);
        assertArrayEquals(seen.get("a").data().asFloat(), a.data().asFloat(), 0f, "the given value is not overwritten");

        Model prefix = Subgraph.extract(m, List.of("x"), List.of("a", "c"));
        Map<String, INDArray> pa = new Executor(prefix).run(Map.of("x", x), null);
        assertArrayEquals(seen.get("a").data().asFloat(), pa.get("a").data().asFloat(), 0f);
        assertArrayEquals(seen.get("c").data().asFloat(), pa.get("c").data().asFloat(), 0f);

        Model two = Subgraph.extract(m, List.of("b", "c"), List.of("z", "c"));
        Map<String, INDArray> out = new Executor(two).run(Map.of("b", seen.get("b"), "c", seen.get("c")), null);
        assertArrayEquals(whole.get("z").data().asFloat(), out.get("z").data().asFloat(), 0f);
        assertArrayEquals(seen.get("c").data().asFloat(), out.get("c").data().asFloat(), 0f, "a given value passes through");
        assertEquals(List.of("Add", "Sigmoid"), two.graph().nodes().stream().map(n -> n.opType()).toList());
        assertEquals(6, m.graph().nodes().size(), "the source model is not changed");
    }

    @Test
    void missingValuesAreNamed() {
        Model m = model();
        var e = assertThrows(IllegalArgumentException.class, () -> Subgraph.extract(m, List.of("b"), List.of("z")));
        assertTrue(e.getMessage().contains("graph input 'x'"), e.getMessage());
        var f = assertThrows(IllegalArgumentException.class, () -> Subgraph.extract(m, List.of("nope"), List.of("z")));
        assertTrue(f.getMessage().contains("'nope'"), f.getMessage());
    }
}
