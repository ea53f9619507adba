package org.cimq.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.cimq.ir.Attr;
import org.cimq.ir.DType;
import org.cimq.ir.GraphBuilder;
import org.cimq.ir.Model;
import org.cimq.ir.Tensor;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The executor's reuse of dead values' arrays as later outputs ({@link SpareArrays},
 * {@link OutputReusingKernel}): it happens, within a run and from run to run; it gives the numbers
 * a run without reuse gives (one with an observer); it never hands out a buffer that a live value
 * still views (a Reshape of a dead Conv output), nor a graph output of an earlier run.
 */
class ExecutorSpareArraysTest {
    private static final long[] SHAPE = {2, 4, 6, 6};

    private static Value conv(GraphBuilder b, Random r, String name, Value x) {
        float[] w = new float[4 * 4 * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian() * 0.3f;
        }
        Map<String, Attr> attrs = Map.of("pads", Attr.IntsAttr.of(1, 1, 1, 1), "kernel_shape", Attr.IntsAttr.of(3, 3));
        return b.op("Conv", attrs, x, b.constant(name + "_w", Tensor.ofFloats(new long[] {4, 4, 3, 3}, w)));
    }

    private static INDArray input(long seed) {
        Random r = new Random(seed);
        float[] v = new float[2 * 4 * 36];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Nd4j.create(v, SHAPE, 'c');
    }

    /** The same run without reuse: an observer turns it off. */
    private static INDArray withoutReuse(Executor ex, INDArray x) {
        return ex.run(Map.of("x", x), (v, a) -> { }).get("y");
    }

    @Test
    void aChainOfConvolutionsReusesDeadArraysWithinAndAcrossRuns() {
        Random r = new Random(1);
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", TensorType.of(DType.FLOAT, SHAPE));
        // c1 dies at c2, so c3 can take its array; c2 dies at c3, so c4 can take that one
        b.output(conv(b, r, "c4", conv(b, r, "c3", conv(b, r, "c2", conv(b, r, "c1", x)))), "y", null);
        Executor ex = new Executor(b.build());
        INDArray first = ex.run(input(2))[0];
        long once = ex.reusedOutputs();
        assertTrue(once >= 2, "outputs written into dead arrays in one run: " + once);
        INDArray kept = first.dup();
        INDArray second = ex.run(input(3))[0];
        assertTrue(ex.reusedOutputs() - once >= 3, "the next run also starts from the arrays left by the first");
        assertEquals(kept, first, "an earlier run's output is never reused");
        assertArrayEquals(withoutReuse(ex, input(2)).data().asFloat(), first.data().asFloat(), 0f);
        assertArrayEquals(withoutReuse(ex, input(3)).data().asFloat(), second.data().asFloat(), 0f);
    }

    @Test
    void aBufferThatALiveViewStillReadsIsNotReused() {
        Random r = new Random(4);
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", TensorType.of(DType.FLOAT, SHAPE));
        Value a = conv(b, r, "c1", x);
        Value flat = b.op("Reshape", a, b.constant("s1", Tensor.ofLongs(new long[] {2}, 2, 144)));
        Value back = b.op("Reshape", flat, b.constant("s2", Tensor.ofLongs(new long[] {4}, SHAPE)));
        // a, then flat, die while a view of their buffer lives on (read again by the Add after c2); c2 needs an
        // array of a's length, and writing it into a's buffer would change what the Add reads
        b.output(b.op("Add", conv(b, r, "c2", back), back), "y", null);
        Executor ex = new Executor(b.build());
        INDArray expected = withoutReuse(ex, input(5));
        for (int run = 0; run < 3; run++) {
            assertArrayEquals(expected.data().asFloat(), ex.run(input(5))[0].data().asFloat(), 0f, "run " + run);
        }
    }

    @Test
    void sparesOfLengthsNobodyAskedForAreDroppedAtTheEndOfARun() {
        SpareArrays spare = new SpareArrays();
        INDArray six = Nd4j.create(DataType.FLOAT, 2, 3);
        spare.add(six);
        spare.add(Nd4j.create(DataType.FLOAT, 5));
        INDArray taken = spare.take(new long[] {3, 2});
        assertNotNull(taken);
        assertArrayEquals(new long[] {3, 2}, taken.shape());
        assertEquals(six.data().address(), taken.data().address(), "the same buffer, reshaped");
        assertNull(spare.take(new long[] {3, 2}), "taken once");
        spare.add(taken);
        spare.endRun();
        assertNull(spare.take(new long[] {5}), "length 5 was not asked for in that run: dropped");
        INDArray again = spare.take(new long[] {6});
        assertNotNull(again, "length 6 was: kept");
        assertEquals(six.data().address(), again.data().address());
        for (int run = 0; run < 50; run++) {
            spare.add(again);
            again = spare.take(run % 2 == 0 ? new long[] {2, 3} : new long[] {6});
        }
        assertSame(six.data(), again.data(), "reused fifty times over the same buffer object, no chain of views");
        assertTrue(SpareArrays.keepable(Nd4j.create(DataType.FLOAT, 4, 4)));
        assertTrue(!SpareArrays.keepable(Nd4j.create(DataType.FLOAT, 4, 4).get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3))), "a slice of a larger array");
        assertTrue(!SpareArrays.keepable(Nd4j.create(DataType.DOUBLE, 4)), "not float32");
    }

    @Test
    void thePoolStaysBoundedRunAfterRun() {
        SpareArrays spare = new SpareArrays();
        for (int i = 0; i < 10; i++) {
            spare.add(Nd4j.create(DataType.FLOAT, 8));
        }
        assertEquals(SpareArrays.PER_LENGTH, spare.size(), "at most PER_LENGTH of one length");
        assertNotNull(spare.take(new long[] {8}));
        assertNotNull(spare.take(new long[] {2, 4}));
        spare.endRun();
        assertEquals(2, spare.size(), "two taken: two kept for the next run");
        for (int i = 0; i < 3; i++) {
            spare.add(Nd4j.create(DataType.FLOAT, 8));
        }
        assertEquals(SpareArrays.PER_LENGTH, spare.size());
        assertNotNull(spare.take(new long[] {8}));
        spare.endRun();
        assertEquals(1, spare.size(), "as many as the run took");
        spare.endRun();
        assertEquals(0, spare.size(), "a run that took none keeps none");
    }

    @Test
    void aRequestThatFoundNoArrayStillCountsForTheNextRun() {
        SpareArrays spare = new SpareArrays();
        spare.add(Nd4j.create(DataType.FLOAT, 8));
        assertNotNull(spare.take(new long[] {8}));
        assertNull(spare.take(new long[] {8}), "only one was spare: the caller allocates the second");
        spare.add(Nd4j.create(DataType.FLOAT, 8));
        spare.add(Nd4j.create(DataType.FLOAT, 8));
        spare.endRun();
        assertEquals(2, spare.size(), "two were asked for: two kept");
        assertNotNull(spare.take(new long[] {8}));
        assertNotNull(spare.take(new long[] {2, 4}), "the next run finds both");
    }
}
