package org.cimq.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cimq.ir.Attr;
import org.cimq.ir.GraphBuilder;
import org.cimq.ir.Model;
import org.cimq.ir.Value;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link BatchParallelExecutor}: parts of a batch on their own threads give one executor's outputs. */
class BatchParallelExecutorTest {
    private static List<Model> copies(int n) {
        List<Model> models = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            models.add(BatchSeparabilityTest.residualNet(1));
        }
        return models;
    }

    private static INDArray images(long seed, int n) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.FLOAT, n, 3, 8, 8);
    }

    @Test
    void partsGiveTheWholeBatchsOutputs() {
        Executor whole = new Executor(BatchSeparabilityTest.residualNet(1));
        for (int threads : new int[] {2, 3}) {
            BatchParallelExecutor parts = new BatchParallelExecutor(copies(threads));
            assertEquals(threads, parts.parts());
            for (int n : new int[] {1, 2, 5, 7}) {
                INDArray x = images(10L * threads + n, n);
                INDArray expected = whole.run(x)[0];
                INDArray got = parts.run(x)[0];
                assertArrayEquals(expected.shape(), got.shape(), threads + " threads, " + n + " images");
                // the classifier is ND4J's Gemm: its rounding may depend on how many rows it gets
                assertArrayEquals(expected.data().asFloat(), got.data().asFloat(), 1e-5f, threads + " threads, " + n);
            }
        }
    }

    /** Conv (bias) → Relu → GlobalAveragePool: every node computes each image alone. */
    private static Model convNet() {
        GraphBuilder b = new GraphBuilder(13);
        java.util.Random r = new java.util.Random(7);
        Value x = b.input("x", BatchSeparabilityTest.IMAGES);
        Value c = b.op("Relu", b.op("Conv", Map.of("pads", Attr.IntsAttr.of(1, 1, 1, 1)), x,
                b.constant("w", BatchSeparabilityTest.floats(r, 6, 3, 3, 3)), b.constant("b", BatchSeparabilityTest.floats(r, 6))));
        b.output(b.op("GlobalAveragePool", c), "y", null);
        return b.build();
    }

    @Test
    void convolutionPartsAreBitIdentical() {
        Executor whole = new Executor(convNet());
        BatchParallelExecutor parts = new BatchParallelExecutor(List.of(convNet(), convNet()));
        INDArray in = images(3, 9);
        assertArrayEquals(whole.run(in)[0].data().asFloat(), parts.run(in)[0].data().asFloat(), 0f);
    }

    @Test
    void aGraphThatMixesImagesIsRefusedWithTheReason() {
        GraphBuilder b = new GraphBuilder(13);
        b.output(b.op("Flatten", Map.of("axis", new Attr.IntAttr(0)), b.input("x", BatchSeparabilityTest.IMAGES)), "y", null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BatchParallelExecutor(List.of(b.build())));
        assertTrue(e.getMessage().contains("Flatten") && e.getMessage().contains("axis 0"), e.getMessage());
    }

    @Test
    void aPartsFailureReachesTheCaller() {
        BatchParallelExecutor parts = new BatchParallelExecutor(copies(2));
        INDArray wrongChannels = Nd4j.zeros(DataType.FLOAT, 4, 5, 8, 8);
        RuntimeException e = assertThrows(RuntimeException.class, () -> parts.run(wrongChannels));
        assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "the kernel's message: " + e);
        // the executor is still usable after a failed batch
        INDArray x = images(5, 4);
        assertArrayEquals(new Executor(BatchSeparabilityTest.residualNet(1)).run(x)[0].data().asFloat(),
                parts.run(x)[0].data().asFloat(), 1e-5f);
    }

    @Test
    void kernelsRunInlineOnlyInsideTheInlineBlock() {
        assertEquals(4, KernelThreads.limit(4));
        assertEquals(1, (int) KernelThreads.inline(() -> KernelThreads.limit(4)));
        assertEquals(4, KernelThreads.limit(4), "restored");
    }
}
