package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.cimq.cli.inspect.CimMappable;
import org.cimq.cli.inspect.MappableNode;
import org.cimq.ir.Attr;
import org.cimq.ir.DType;
import org.cimq.ir.GraphBuilder;
import org.cimq.ir.Tensor;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.junit.jupiter.api.Test;

class CimMappableTest {
    @Test
    void constantWeightsThroughIdentityAndTransBAreMapped() {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", TensorType.of(DType.FLOAT, 1, 4, 8, 8));
        Value w = b.constant("w", Tensor.ofFloats(new long[] {6, 2, 3, 3}, new float[6 * 2 * 9]));
        Value conv = b.op("Conv", Map.of("group", new Attr.IntAttr(2)), x, b.op("Identity", b.op("Identity", w)));
        Value flat = b.op("Flatten", conv);
        Value g = b.constant("g", Tensor.ofFloats(new long[] {5, 6}, new float[30]));
        Value gemm = b.op("Gemm", Map.of("transB", new Attr.IntAttr(1)), flat, g);
        Value m = b.constant("m", Tensor.ofFloats(new long[] {5, 7}, new float[35]));
        Value mm = b.op("MatMul", gemm, m);
        Value dynamic = b.op("MatMul", mm, b.op("Transpose", mm));
        b.output(dynamic);
        List<MappableNode> found = CimMappable.find(b.build().graph());
        assertEquals(List.of(
                new MappableNode("conv_2", "Conv", "w", 2 * 3 * 3, 6),
                new MappableNode("gemm_4", "Gemm", "g", 6, 5),
                new MappableNode("matmul_5", "MatMul", "m", 5, 7)), found);
    }

    @Test
    void gemmWithoutTransBReadsKByN() {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", TensorType.of(DType.FLOAT, 1, 3));
        b.output(b.op("Gemm", x, b.constant("w", Tensor.ofFloats(new long[] {3, 4}, new float[12]))));
        MappableNode n = CimMappable.find(b.build().graph()).get(0);
        assertEquals(3, n.k());
        assertEquals(4, n.n());
        assertEquals(12, n.cells());
    }
}
