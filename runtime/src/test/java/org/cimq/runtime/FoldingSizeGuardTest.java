package org.cimq.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.cimq.ir.Attr;
import org.cimq.ir.DType;
import org.cimq.ir.Dim;
import org.cimq.ir.GraphBuilder;
import org.cimq.ir.Model;
import org.cimq.ir.Tensor;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.cimq.ir.passes.ConstantFolding;
import org.junit.jupiter.api.Test;

/**
 * Constant nodes whose results would be huge (a hostile model's 40 GB ConstantOfShape) stay in
 * the graph: {@link ModelLoader#prepare} checks the inferred result size before it evaluates,
 * instead of allocating first and discarding after.
 */
class FoldingSizeGuardTest {
    private static Model withConstant(String op, Map<String, Attr> attrs, Tensor... constants) {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", new TensorType(DType.FLOAT, List.of(Dim.of(1))));
        Value[] in = new Value[constants.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = b.constant("c" + i, constants[i]);
        }
        Value big = b.op(op, attrs, in);
        b.output(b.op("Add", x, b.op("ReduceSum", big)), "y", null);
        return b.build();
    }

    private static void assertNotFolded(Model m, String op) {
        ModelLoader.prepare(m);
        long left = m.graph().nodes().stream().filter(n -> n.opType().equals(op)).count();
        assertEquals(1, left, op + " must stay unfolded");
        assertTrue(m.graph().initializers().values().stream().allMatch(v -> v.constant().numel() <= ConstantFolding.MAX_FOLDED_ELEMENTS));
    }

    @Test
    void constantOfShapeOf40GigabytesStays() {
        assertNotFolded(withConstant("ConstantOfShape", Map.of(), Tensor.ofLongs(new long[] {2}, 100_000, 100_000)), "ConstantOfShape");
    }

    @Test
    void expandToTenBillionElementsStays() {
        assertNotFolded(withConstant("Expand", Map.of(), Tensor.ofFloats(new long[] {1}, 1f),
                Tensor.ofLongs(new long[] {2}, 100_000, 100_000)), "Expand");
    }

    @Test
    void tileToTenBillionElementsStays() {
        assertNotFolded(withConstant("Tile", Map.of(), Tensor.ofFloats(new long[] {1, 1}, 1f),
                Tensor.ofLongs(new long[] {2}, 100_000, 100_000)), "Tile");
    }

    @Test
    void rangeOfTenBillionStays() {
        assertNotFolded(withConstant("Range", Map.of(), Tensor.scalar(0f), Tensor.scalar(1e10f), Tensor.scalar(1f)), "Range");
    }

    @Test
    void smallConstantsStillFold() {
        Model m = withConstant("ConstantOfShape", Map.of(), Tensor.ofLongs(new long[] {2}, 3, 4));
        ModelLoader.prepare(m);
        assertTrue(m.graph().nodes().stream().noneMatch(n -> n.opType().equals("ConstantOfShape")));
    }
}
