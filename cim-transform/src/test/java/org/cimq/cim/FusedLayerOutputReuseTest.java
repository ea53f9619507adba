package org.cimq.cim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cimq.cim.config.CimConfig;
import org.cimq.ir.Attr;
import org.cimq.ir.DType;
import org.cimq.ir.Dim;
import org.cimq.ir.GraphBuilder;
import org.cimq.ir.Model;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.cimq.runtime.Executor;
import org.cimq.runtime.ModelLoader;
import org.cimq.runtime.cim.CimLayerFusion;
import org.cimq.runtime.cim.CimNative;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Fused Conv layers keep their output accumulators and input bit planes from run to run, and write their outputs into
 * the executor's spare arrays (arrays of values that died): an executor that ran other batches first, its reused
 * arrays full of their values, gives bit for bit the output of a fresh executor, with the native loop and the Java loop.
 */
class FusedLayerOutputReuseTest {
    /** x[batch,4,6,6] → four Conv(4→4, 3×3, pad 1), each followed by Relu: later layers' outputs fit earlier dead ones. */
    private static Model chain(long seed) {
        Random r = new Random(seed);
        GraphBuilder b = new GraphBuilder(13);
        Value v = b.input("x", new TensorType(DType.FLOAT, List.of(Dim.symbolic("batch"), Dim.of(4), Dim.of(6), Dim.of(6))));
        for (int i = 0; i < 4; i++) {
            v = b.op("Relu", b.op("Conv", Map.of("pads", Attr.IntsAttr.of(1, 1, 1, 1)), v,
                    b.constant("w" + i, CimTestModels.randomTensor(r, 4, 4, 3, 3)),
                    b.constant("b" + i, CimTestModels.randomTensor(r, 4))));
        }
        b.output(v, "y", null);
        return ModelLoader.prepare(b.build());
    }

    private static INDArray batch(long seed, int n) {
        return CimTestModels.gaussian(seed, n, 4, 6, 6);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void reusedArraysGiveTheOutputOfAFreshExecutor(boolean nativeLoop) {
        CimConfig cfg = CimConfig.DEFAULTS.with("digital_layers", "").with("signed_inputs", "split").with("adc_levels", "3");
        Model prepared = chain(5);
        List<INDArray> calib = List.of(batch(11, 8), batch(12, 8));
        Model cim = new CimModelBuilder(cfg).build(prepared, calib::iterator, 16, null, null).model();
        new CimLayerFusion().run(cim);
        assertTrue(cim.graph().nodes().stream().filter(n -> n.opType().equals("CimFusedLayer")).count() >= 3);
        CimNative.setEnabled(nativeLoop);
        try {
            INDArray x = batch(42, 5);
            // a fresh executor, its run observed (so no spare arrays): nothing reused yet
            float[] expected = new Executor(cim).run(Map.of("x", x), (v, a) -> { }).get("y").dup('c').data().asFloat();
            Executor reused = new Executor(cim);
            for (long seed : new long[] {1, 2, 3}) {
                reused.run(Map.of("x", batch(seed, 5).mul(1.5)), null);
            }
            float[] actual = reused.run(Map.of("x", x), null).get("y").dup('c').data().asFloat();
            assertTrue(reused.reusedOutputs() > 0, "no fused layer wrote into a spare array");
            assertArrayEquals(expected, actual, 0f);
            int nonZero = 0;
            for (float v : expected) {
                nonZero += v != 0 ? 1 : 0;
            }
            assertTrue(nonZero > expected.length / 4, nonZero + " of " + expected.length + " outputs are not zero");
        } finally {
            CimNative.setEnabled(true);
        }
    }
}
