package org.cimq.runtime;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cimq.ir.Attr;
import org.cimq.ir.DType;
import org.cimq.ir.Dim;
import org.cimq.ir.GraphBuilder;
import org.cimq.ir.IrException;
import org.cimq.ir.Model;
import org.cimq.ir.Tensor;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ops on constants that no kernel can compute (a hostile model's inconsistent shapes or indices)
 * make {@link ModelLoader#prepare} throw an {@link IrException} naming the node, never ND4J's
 * own exception types.
 */
class InvalidConstantFoldingTest {
    private static Model model(String op, Map<String, Attr> attrs, Tensor... constants) {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", new TensorType(DType.FLOAT, List.of(Dim.of(1))));
        Value[] in = new Value[constants.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = b.constant("c" + i, constants[i]);
        }
        Value bad = b.op(op, attrs, in);
        bad.producer().setName("bad_" + op);
        b.output(b.op("Add", x, b.op("ReduceSum", b.op("Cast", Map.of("to", new Attr.IntAttr(1)), bad))), "y", null);
        return b.build();
    }

    static Stream<Arguments> cases() {
        Tensor six = Tensor.ofFloats(new long[] {6}, 1, 2, 3, 4, 5, 6);
        Tensor m23 = Tensor.ofFloats(new long[] {2, 3}, 1, 2, 3, 4, 5, 6);
        return Stream.of(
                Arguments.of("Reshape", Map.of(), new Tensor[] {six, Tensor.ofLongs(new long[] {2}, 4, 4)}),
                Arguments.of("Reshape", Map.of(), new Tensor[] {six, Tensor.ofLongs(new long[] {2}, -1, -1)}),
                Arguments.of("Gather", Map.of(), new Tensor[] {six, Tensor.ofLongs(new long[] {1}, 17)}),
                Arguments.of("Concat", Map.of("axis", new Attr.IntAttr(0)), new Tensor[] {six, m23}),
                Arguments.of("Transpose", Map.of("perm", Attr.IntsAttr.of(0, 0)), new Tensor[] {m23}),
                Arguments.of("MatMul", Map.of(), new Tensor[] {m23, m23}),
                Arguments.of("Add", Map.of(), new Tensor[] {six, Tensor.ofFloats(new long[] {4}, 1, 2, 3, 4)}),
                Arguments.of("Slice", Map.of(), new Tensor[] {six, Tensor.ofLongs(new long[] {1}, 0), Tensor.ofLongs(new long[] {1}, 2),
                    Tensor.ofLongs(new long[] {1}, 5)}),
                Arguments.of("Squeeze", Map.of(), new Tensor[] {m23, Tensor.ofLongs(new long[] {1}, 0)}),
                Arguments.of("Split", Map.of("axis", new Attr.IntAttr(0)), new Tensor[] {six, Tensor.ofLongs(new long[] {2}, 2, 2)}),
                Arguments.of("Expand", Map.of(), new Tensor[] {m23, Tensor.ofLongs(new long[] {2}, 4, 3)}),
                Arguments.of("Tile", Map.of(), new Tensor[] {m23, Tensor.ofLongs(new long[] {1}, 2)}),
                Arguments.of("Range", Map.of(), new Tensor[] {Tensor.scalar(0f), Tensor.scalar(10f), Tensor.scalar(0f)}));
    }

    @ParameterizedTest(name = "{0} {index}")
    @MethodSource("cases")
    void foldingAnImpossibleNodeIsAnIrException(String op, Map<String, Attr> attrs, Tensor[] constants) {
        IrException e = assertThrows(IrException.class, () -> ModelLoader.prepare(model(op, attrs, constants)));
        assertTrue(e.getMessage().contains("bad_" + op) || e.getMessage().contains(op), e.getMessage());
    }
}
