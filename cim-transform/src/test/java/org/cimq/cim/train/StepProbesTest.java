package org.cimq.cim.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cimq.cim.LayerSelection;
import org.cimq.cim.MappedLayer;
import org.cimq.cim.MappedLayers;
import org.cimq.cim.TilePlanner;
import org.cimq.cim.config.CimConfig;
import org.cimq.ir.Model;
import org.cimq.runtime.cim.InputMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Learned ADC steps: the two probes give, per output, exactly the sum over partial sums inside the ADC's range that
 * CIM-SPEC's definitions give when every partial sum is computed here one by one, and the step gradient is the
 * straight-through derivative written out per partial sum; in training the steps move, are checkpointed, and a
 * resumed run ends with the same steps.
 */
class StepProbesTest {
    private static final CimConfig CFG = CimConfig.DEFAULTS.with("digital_layers", "").with("rows", "16").with("adc_levels", "3");
    private static final int K = 40;
    private static final int N = 3;

    @TempDir
    Path dir;

    @Test
    void inRangeBoundIsTheLargestPartialSumTheClampLeavesAlone() {
        assertEquals(2, StepProbes.inRangeBound(3, 2f), "1.5·2 = 3 is the rounding tie that the clamp catches");
        assertEquals(3, StepProbes.inRangeBound(3, 2.1f));
        assertEquals(0, StepProbes.inRangeBound(3, 0.5f));
        assertEquals(2, StepProbes.inRangeBound(5, 1f));
        assertEquals(4, StepProbes.inRangeBound(3, 3.3f));
        TrainingException e = assertThrows(TrainingException.class, () -> StepProbes.inRangeBound(2, 1f));
        assertEquals("learning ADC steps needs an odd number of levels, got 2", e.getMessage());
    }

    @Test
    void probesGiveTheSpecsInRangeSumAndStepGradient() {
        Model prepared = TrainTestModels.gemm(5, K, N, true);
        List<MappedLayer> layers = LayerSelection.mapped(MappedLayers.find(prepared.graph()), CFG.digitalLayers());
        assertEquals(1, layers.size());
        MappedLayer l = layers.get(0);
        int batch = 6;
        INDArray x = TrainTestModels.gaussianRows(7, batch, K);
        float sx = 0.25f;
        RuntimeCimForward forward = new RuntimeCimForward(prepared, CFG, layers, true);
        Parameters params = Parameters.of(prepared);
        float[] w = params.values().get("wg").dup('c').data().asFloat();
        float[] b = params.values().get("bg").dup('c').data().asFloat();
        float[] xs = x.dup('c').data().asFloat();
        int[] starts = TilePlanner.plan(l, CFG, InputMode.UNSIGNED).rowStarts();
        assertArrayEquals(new int[] {0, 16, 32, 40}, starts);
        float[] dy = new float[batch * N];
        Random r = new Random(3);
        for (int i = 0; i < dy.length; i++) {
            dy[i] = (float) r.nextGaussian();
        }
        for (float delta : new float[] {0.5f, 2f, 3.3f}) {
            Map<String, LayerQuant> quant = Map.of(l.name(), new LayerQuant(sx, 3, delta, starts));
            RuntimeCimForward.Result res = forward.run(params, quant, x);
            INDArray[] p = res.probes().get(l.name());
            float[] yClamp = p[0].dup('c').data().asFloat();
            float[] ySign = p[1].dup('c').data().asFloat();
            float[] y = res.layerOutputs().get(l.node().output(0).name()).dup('c').data().asFloat();
            int m = StepProbes.inRangeBound(3, delta);
            double wantGradient = 0;
            for (int bi = 0; bi < batch; bi++) {
                for (int n = 0; n < N; n++) {
                    double sw = 0;
                    for (int k = 0; k < K; k++) {
                        sw = Math.max(sw, Math.abs(w[n * K + k]));
                    }
                    float swf = (float) sw / 7f;
                    double adc = 0;
                    double inRange = 0;
                    double dQ = 0;
                    for (int t = 0; t + 1 < starts.length; t++) {
                        for (int j = 0; j < 3; j++) {
                            for (int i = 0; i < 4; i++) {
                                int ps = 0;
                                for (int k = starts[t]; k < starts[t + 1]; k++) {
                                    int a = (int) Math.rint(Math.min(Math.max(xs[bi * K + k] / sx, 0f), 15f));
                                    int q = (int) Math.rint(Math.min(Math.max(w[n * K + k] / swf, -7f), 7f));
                                    int slice = Integer.signum(q) * ((Math.abs(q) >> j) & 1);
                                    ps += ((a >> i) & 1) * slice;
                                }
                                double kq = Math.min(Math.max(Math.rint(ps / (double) delta), -1), 1);
                                boolean inside = Math.abs(ps) <= m;
                                double weight = (1 << i) * (1 << j);
                                adc += weight * delta * kq;
                                inRange += inside ? weight * ps : 0;
                                dQ += weight * (kq - (inside ? ps / (double) delta : 0));
                            }
                        }
                    }
                    double kn = (double) swf * sx;
                    int o = bi * N + n;
                    assertEquals(kn * adc + b[n], y[o], 1e-4 * (1 + Math.abs(y[o])), "the layer's CIM output, Δ " + delta);
                    double probe = (m > 0 ? yClamp[o] : 0) - m / (2.0 * m + 1) * ySign[o];
                    assertEquals(kn * inRange, probe, 1e-4 * (1 + Math.abs(kn * inRange)), "in-range sum, Δ " + delta + ", out " + o);
                    wantGradient += dy[o] * kn * dQ;
                }
            }
            float[] noBias = StepProbes.withoutBias(Nd4j.create(y, new long[] {batch, N}, 'c'), l.node(),
                    params.values().get("bg"));
            double got = StepProbes.gradient(Nd4j.create(dy, new long[] {batch, N}, 'c'), noBias, p[0], p[1], 3, delta);
            assertEquals(wantGradient, got, 1e-4 * (1 + Math.abs(wantGradient)), "dL/dΔ at Δ " + delta);
            assertTrue(Math.abs(wantGradient) > 1e-3, "a test with a zero gradient proves little (Δ " + delta + ")");
        }
    }

    @Test
    void learnedStepsMoveAreCheckpointedAndResumeExactly() {
        TrainTestSetup t = new TrainTestSetup(CFG.with("adc_levels", "0"), 48);
        Checkpoint start = t.fresh(3);
        int[] levels = {3, 3};
        Trainer.Result[] runs = t.straightAndResumed(dir, levels, tr -> tr.learningSteps(0.05));
        Trainer.Result straight = runs[0];
        Trainer.Result again = t.trainer(2, 16, 0.01, levels, null, Backward.FAKE_QUANT_SCALED).learningSteps(0.05)
                .run(t.data, t.fresh(3), t.recalibration(), TrainTestSetup.QUIET, null);
        Path straightFile = dir.resolve("a").resolve(Checkpoint.FILE);
        boolean moved = false;
        for (Map.Entry<String, LayerQuant> e : start.quant().entrySet()) {
            LayerQuant q = straight.quant().get(e.getKey());
            assertEquals(q.delta(), again.quant().get(e.getKey()).delta(), "twice the same: " + e.getKey());
            assertEquals(q.delta(), runs[1].quant().get(e.getKey()).delta(), "resumed: " + e.getKey());
            assertEquals(e.getValue().inputScale(), q.inputScale(), "input scales are held");
            moved |= q.delta() != e.getValue().delta();
            assertEquals(q.delta(), Checkpoint.read(straightFile).quant().get(e.getKey()).delta(), "the checkpoint has the learned step");
        }
        assertTrue(moved, "no step moved");
        assertThrows(TrainingException.class, () -> t.trainer(2, 16, 0.01, new int[] {4, 4}, null, Backward.FAKE_QUANT_SCALED)
                .learningSteps(0.05));
        assertThrows(TrainingException.class, () -> t.trainer(2, 16, 0.01, levels, null, Backward.ARRAYS).learningSteps(0.05));
    }

}
