package org.cimq.ir.passes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.cimq.ir.Attr;
import org.cimq.ir.DType;
import org.cimq.ir.Dim;
import org.cimq.ir.GraphBuilder;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.cimq.ir.Verifier;
import org.junit.jupiter.api.Test;

class CleanupPassesTest {
    private static final TensorType BATCH_X = new TensorType(DType.FLOAT,
            List.of(Dim.symbolic("batch"), Dim.of(4), Dim.of(2), Dim.of(2)));

    @Test
    void identityOnInitializerIsBypassedSoTheConvReadsTheWeightDirectly() {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", BATCH_X);
        Value w = b.constant("w", Tensor.ofFloats(new long[] {1, 4, 1, 1}, 1, 2, 3, 4));
        Value wid = b.op("Identity", w);
        b.output(b.op("Conv", x, wid), "y", null);
        Model m = b.build();
        assertTrue(new IdentityElimination().run(m));
        assertEquals(List.of("Conv"), m.graph().nodes().stream().map(Node::opType).toList());
        assertSame(w, m.graph().nodes().get(0).input(1));
        Verifier.verify(m);
    }

    @Test
    void identityProducingAGraphOutputHandsItsNameToTheProducer() {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", BATCH_X);
        Value r = b.op("Relu", x);
        b.output(b.op("Identity", r), "y", null);
        Model m = b.build();
        new IdentityElimination().run(m);
        assertEquals(1, m.graph().nodes().size());
        assertEquals("y", m.graph().outputs().get(0).name());
        assertSame(m.graph().nodes().get(0).output(0), m.graph().outputs().get(0));
        Verifier.verify(m);
    }

    @Test
    void deadNodesAndUnusedInitializersAreRemoved() {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", BATCH_X);
        Value unused = b.constant("unused", Tensor.scalar(1f));
        b.op("Neg", b.op("Relu", x));
        b.op("Sigmoid", unused);
        b.output(b.op("Tanh", x), "y", null);
        Model m = b.build();
        assertTrue(new DeadNodeElimination().run(m));
        assertEquals(List.of("Tanh"), m.graph().nodes().stream().map(Node::opType).toList());
        assertTrue(m.graph().initializers().isEmpty());
        assertFalse(new DeadNodeElimination().run(m), "second run finds nothing");
    }

    @Test
    void constantChainsFoldInOrderAndStopAtGraphInputs() {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", BATCH_X);
        Value c = b.constant("c", Tensor.ofFloats(new long[] {2}, 1, 2));
        Value twice = b.op("Neg", b.op("Neg", c));
        b.output(b.op("Add", x, twice), "y", null);
        Model m = b.build();
        // a toy evaluator: Neg on float tensors
        ConstantEvaluator neg = (n, opset, in) -> {
            if (!n.opType().equals("Neg")) {
                return null;
            }
            float[] v = in[0].toFloatArray();
            for (int i = 0; i < v.length; i++) {
                v[i] = -v[i];
            }
            return new Tensor[] {Tensor.ofFloats(in[0].shape(), v)};
        };
        assertTrue(new ConstantFolding(neg).run(m));
        new DeadNodeElimination().run(m);
        assertEquals(List.of("Add"), m.graph().nodes().stream().map(Node::opType).toList());
        Value folded = m.graph().nodes().get(0).input(1);
        assertArrayEquals(new float[] {1, 2}, folded.constant().toFloatArray());
        Verifier.verify(m);
    }

    @Test
    void viewWithDynamicBatchBecomesReshapeWithZeroAndMinusOne() {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", BATCH_X);
        Value shape = b.op("Shape", x);
        Value idx = b.constant("idx", Tensor.scalar(0L));
        Value batch = b.op("Gather", Map.of("axis", new Attr.IntAttr(0)), shape, idx);
        Value axes = b.constant("axes", Tensor.ofLongs(new long[] {1}, 0));
        Value unsq = b.op("Unsqueeze", batch, axes);
        Value minus1 = b.constant("m1", Tensor.ofLongs(new long[] {1}, -1));
        Value cat = b.op("Concat", Map.of("axis", new Attr.IntAttr(0)), unsq, minus1);
        b.output(b.op("Reshape", x, cat), "y", null);
        Model m = b.build();
        assertTrue(new ReshapeShapeSimplification().run(m));
        new DeadNodeElimination().run(m);
        assertEquals(List.of("Reshape"), m.graph().nodes().stream().map(Node::opType).toList());
        assertArrayEquals(new long[] {0, -1}, m.graph().nodes().get(0).input(1).constant().toLongArray());
        Verifier.verify(m);
    }

    @Test
    void batchNormIsFoldedIntoTheConvBeforeIt() {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", BATCH_X);
        Value w = b.constant("w", Tensor.ofFloats(new long[] {2, 4, 1, 1}, 1, 2, 3, 4, -1, -2, -3, -4));
        Value bias = b.constant("b", Tensor.ofFloats(new long[] {2}, 0.5f, -0.5f));
        Value y = b.op("Conv", x, w, bias);
        Value scale = b.constant("s", Tensor.ofFloats(new long[] {2}, 2, 3));
        Value beta = b.constant("beta", Tensor.ofFloats(new long[] {2}, 1, -1));
        Value mean = b.constant("mean", Tensor.ofFloats(new long[] {2}, 0.5f, 1));
        Value var = b.constant("var", Tensor.ofFloats(new long[] {2}, 4 - 1e-5f, 9 - 1e-5f));
        b.output(b.op("BatchNormalization", y, scale, beta, mean, var), "out", null);
        Model m = b.build();
        assertTrue(new BatchNormFolding().run(m));
        new DeadNodeElimination().run(m);
        assertEquals(List.of("Conv"), m.graph().nodes().stream().map(Node::opType).toList());
        Node conv = m.graph().nodes().get(0);
        // k = scale / sqrt(var + eps) = {1, 1}; W' = W; b' = (b - mean) * k + beta = {1, -2.5}
        assertArrayEquals(new float[] {1, 2, 3, 4, -1, -2, -3, -4}, conv.input(1).constant().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {1f, -2.5f}, conv.input(2).constant().toFloatArray(), 1e-6f);
        assertEquals("out", m.graph().outputs().get(0).name());
        assertSame(conv.output(0), m.graph().outputs().get(0));
        Verifier.verify(m);
    }
}
