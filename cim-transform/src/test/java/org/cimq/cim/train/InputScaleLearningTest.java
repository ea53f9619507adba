package org.cimq.cim.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
 * Learned input scales: a mapped layer's dL/ds_x is LSQ's straight-through gradient written out element by element from
 * CIM-SPEC's input and weight codes, and where every input saturates (so x̂ = 15·s_x is linear in s_x) it equals the
 * finite difference of the runtime's CIM output; in training the scales move (the steps stay held), are checkpointed,
 * and a stopped and resumed run ends with the same scales and weights.
 */
class InputScaleLearningTest {
    private static final CimConfig CFG = CimConfig.DEFAULTS.with("digital_layers", "").with("rows", "16");
    private static final int K = 40;
    private static final int N = 3;

    @TempDir
    Path dir;

    @Test
    void scaleGradientIsLsqsStraightThroughDerivativeElementByElement() {
        Model prepared = TrainTestModels.gemm(5, K, N, false);
        MappedLayer l = LayerSelection.mapped(MappedLayers.find(prepared.graph()), CFG.digitalLayers()).get(0);
        Parameters params = Parameters.of(prepared);
        int batch = 5;
        float s = 0.3f;
        float[] xs = gaussian(7, batch * K, 2.5);
        float[] dy = gaussian(3, batch * N, 1);
        float[] w = params.values().get("wg").dup('c').data().asFloat();
        double want = 0;
        int inside = 0;
        int saturated = 0;
        for (int bi = 0; bi < batch; bi++) {
            for (int k = 0; k < K; k++) {
                float v = xs[bi * K + k] / s;
                double a = Math.rint(Math.min(Math.max(v, 0f), 15f));
                double dxhat = v > 0 && v < 15 ? a - v : v >= 15 ? 15 : 0;
                inside += v > 0 && v < 15 ? 1 : 0;
                saturated += v >= 15 ? 1 : 0;
                double dLdxhat = 0;
                for (int n = 0; n < N; n++) {
                    float sw = weightScale(w, n);
                    double q = Math.rint(Math.min(Math.max(w[n * K + k] / sw, -7f), 7f));
                    dLdxhat += dy[bi * N + n] * sw * q;
                }
                want += dLdxhat * dxhat;
            }
        }
        assertTrue(inside > 20 && saturated > 3, "the input must cover all three cases: " + inside + " inside, " + saturated + " saturated");
        LayerBackward.Grads g = new LayerBackward(CFG).mappedMatrix(l.node(), l, Nd4j.create(xs, new long[] {batch, K}, 'c'),
                params.values().get("wg"), params.values().get("bg"), Nd4j.create(dy, new long[] {batch, N}, 'c'), s, null);
        assertEquals(want, g.inputScale(), 1e-4 * (1 + Math.abs(want)));
        assertTrue(Math.abs(want) > 1e-2, "a zero gradient proves little: " + want);
    }

    @Test
    void whereEveryInputSaturatesTheGradientIsTheFiniteDifferenceOfTheCimOutput() {
        Model prepared = TrainTestModels.gemm(9, K, N, false);
        List<MappedLayer> layers = LayerSelection.mapped(MappedLayers.find(prepared.graph()), CFG.digitalLayers());
        MappedLayer l = layers.get(0);
        Parameters params = Parameters.of(prepared);
        int batch = 4;
        float s = 0.1f;
        float[] xs = new float[batch * K];
        Random r = new Random(11);
        for (int i = 0; i < xs.length; i++) {
            xs[i] = 2f + r.nextFloat();
        }
        float[] dy = gaussian(13, batch * N, 1);
        INDArray x = Nd4j.create(xs, new long[] {batch, K}, 'c');
        int[] starts = TilePlanner.plan(l, CFG, InputMode.UNSIGNED).rowStarts();
        RuntimeCimForward forward = new RuntimeCimForward(prepared, CFG, layers, false);
        double h = 1e-3;
        double[] loss = new double[2];
        for (int side = 0; side < 2; side++) {
            float si = (float) (s + (side == 0 ? -h : h));
            INDArray y = forward.run(params, Map.of(l.name(), new LayerQuant(si, 0, 0f, starts)), x).logits();
            float[] ys = y.dup('c').data().asFloat();
            for (int i = 0; i < ys.length; i++) {
                loss[side] += dy[i] * ys[i];
            }
        }
        double fd = (loss[1] - loss[0]) / (2 * h);
        LayerBackward.Grads g = new LayerBackward(CFG).mappedMatrix(l.node(), l, x, params.values().get("wg"), params.values().get("bg"),
                Nd4j.create(dy, new long[] {batch, N}, 'c'), s, null);
        assertEquals(fd, g.inputScale(), 2e-3 * Math.abs(fd));
        assertTrue(Math.abs(fd) > 1, "a zero gradient proves little: " + fd);
    }

    @Test
    void learnedScalesMoveAreCheckpointedAndResumeExactly() {
        TrainTestSetup t = new TrainTestSetup(CFG.with("adc_levels", "0"), 48);
        Checkpoint start = t.fresh(3);
        int[] levels = {3, 3};
        Trainer.Result[] runs = t.straightAndResumed(dir, levels, tr -> tr.learningInputScales(0.05));
        Path straightFile = dir.resolve("a").resolve(Checkpoint.FILE);
        boolean moved = false;
        for (Map.Entry<String, LayerQuant> e : start.quant().entrySet()) {
            LayerQuant q = runs[0].quant().get(e.getKey());
            assertEquals(e.getValue().delta(), q.delta(), "steps are held");
            assertEquals(q.inputScale(), runs[1].quant().get(e.getKey()).inputScale(), "resumed: " + e.getKey());
            moved |= q.inputScale() != e.getValue().inputScale();
            assertEquals(q.inputScale(), Checkpoint.read(straightFile).quant().get(e.getKey()).inputScale(),
                    "the checkpoint has the learned scale");
        }
        assertTrue(moved, "no input scale moved");
        assertThrows(TrainingException.class, () -> t.trainer(2, 16, 0.01, levels, null, Backward.ARRAYS).learningInputScales(0.05));
        assertThrows(TrainingException.class, () -> t.trainer(2, 16, 0.01, levels, null, Backward.FAKE_QUANT).learningInputScales(0));
    }

    @Test
    void withoutAdcTheScalesAreLearnedToo() {
        TrainTestSetup t = new TrainTestSetup(CFG.with("adc_levels", "0"), 48);
        Checkpoint start = t.fresh(0);
        Trainer.Result run = t.trainer(1, 16, 0.01, new int[] {0}, null, Backward.FAKE_QUANT).learningInputScales(0.05)
                .run(t.data, start, t.recalibration(), TrainTestSetup.QUIET, null);
        for (Map.Entry<String, LayerQuant> e : start.quant().entrySet()) {
            assertEquals(0, run.quant().get(e.getKey()).levels());
            assertNotEquals(e.getValue().inputScale(), run.quant().get(e.getKey()).inputScale(), e.getKey());
        }
    }

    private static float weightScale(float[] w, int n) {
        float max = 0;
        for (int k = 0; k < K; k++) {
            max = Math.max(max, Math.abs(w[n * K + k]));
        }
        return max / 7f;
    }

    private static float[] gaussian(long seed, int count, double std) {
        Random r = new Random(seed);
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) (r.nextGaussian() * std);
        }
        return v;
    }

}
