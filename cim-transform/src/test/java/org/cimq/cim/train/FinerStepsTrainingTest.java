package org.cimq.cim.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Retraining with finer ADC steps than one per layer (CIM-SPEC's per-array and per-column granularities), held through
 * the run: the runtime forward applies each column's own step (equal steps give the layer step's output bit for bit,
 * and changing one column's step changes that output channel only), checkpoints keep the steps (and still read the
 * one-step-per-layer files of version 1), a run resumes to the same weights with its steps untouched, and the
 * engines that compute one step per layer refuse finer ones by name.
 */
class FinerStepsTrainingTest {
    private static final CimConfig CFG = CimConfig.DEFAULTS.with("digital_layers", "").with("rows", "16").with("adc_levels", "3");
    private static final int K = 40;
    private static final int N = 3;

    @TempDir
    Path dir;

    @Test
    void eachColumnsStepReachesOnlyItsOutputChannel() {
        Model prepared = TrainTestModels.gemm(5, K, N, true);
        CimConfig cfg = CFG.with("granularity", "column");
        List<MappedLayer> layers = LayerSelection.mapped(MappedLayers.find(prepared.graph()), cfg.digitalLayers());
        MappedLayer l = layers.get(0);
        int[] starts = TilePlanner.plan(l, cfg, InputMode.UNSIGNED).rowStarts();
        RuntimeCimForward forward = new RuntimeCimForward(prepared, cfg, layers, false);
        Parameters params = Parameters.of(prepared);
        INDArray x = TrainTestModels.gaussianRows(7, 6, K);
        float delta = 2f;
        float[] single = logits(forward, params, l, new LayerQuant(0.25f, 3, delta, starts), x);
        double[][][] columns = new double[starts.length - 1][3][N];
        for (double[][] array : columns) {
            for (double[] slice : array) {
                java.util.Arrays.fill(slice, delta);
            }
        }
        assertArrayEquals(single, logits(forward, params, l, new LayerQuant(0.25f, 3, 0f, starts, null, columns), x),
                "equal column steps are the layer's step");
        columns[0][0][1] = 0.5;
        columns[1][1][1] = 5;
        float[] changed = logits(forward, params, l, new LayerQuant(0.25f, 3, 0f, starts, null, columns), x);
        int differ = 0;
        for (int i = 0; i < single.length; i++) {
            if (i % N != 1) {
                assertEquals(single[i], changed[i], "output " + i + " is not channel 1's");
            } else if (single[i] != changed[i]) {
                differ++;
            }
        }
        assertTrue(differ > 0, "channel 1's own steps changed none of its outputs");
        double[] arraySteps = new double[starts.length - 1];
        java.util.Arrays.fill(arraySteps, delta);
        assertArrayEquals(single, logits(forward, params, l, new LayerQuant(0.25f, 3, 0f, starts, arraySteps, null), x),
                "equal array steps are the layer's step");
    }

    @Test
    void checkpointsKeepFinerStepsAndReadVersionOne() throws IOException {
        int[] starts = {0, 16, 32, 40};
        Map<String, LayerQuant> quant = new LinkedHashMap<>();
        quant.put("a", new LayerQuant(0.5f, 3, 0f, starts, new double[] {1.5, 2.5, 3.5}, null));
        quant.put("c", new LayerQuant(0.25f, 5, 0f, starts, null, new double[][][] {{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}, {{9, 10}, {11, 12}}}));
        quant.put("s", new LayerQuant(0.125f, 3, 2.75f, starts));
        Map<String, INDArray> params = Map.of("w", Nd4j.create(new float[] {1, 2, 3}, new long[] {3}, 'c'));
        Path file = dir.resolve(Checkpoint.FILE);
        new Checkpoint("fp", 1, 2, params, Map.of(), quant).write(file);
        Map<String, LayerQuant> back = Checkpoint.read(file).quant();
        assertArrayEquals(quant.get("a").arrayDeltas(), back.get("a").arrayDeltas());
        assertNull(back.get("a").columnDeltas());
        for (int t = 0; t < 3; t++) {
            for (int j = 0; j < 2; j++) {
                assertArrayEquals(quant.get("c").columnDeltas()[t][j], back.get("c").columnDeltas()[t][j]);
            }
        }
        assertEquals(2.75f, back.get("s").delta());
        assertTrue(!back.get("s").finerSteps());

        Path v1 = dir.resolve("v1.bin");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(v1))) {
            out.writeUTF("cimq-checkpoint");
            out.writeInt(1);
            out.writeUTF("fp");
            out.writeInt(3);
            out.writeInt(4);
            out.writeInt(0);
            out.writeInt(0);
            out.writeInt(1);
            out.writeUTF("s");
            out.writeFloat(0.125f);
            out.writeInt(3);
            out.writeFloat(2.75f);
            out.writeInt(starts.length);
            for (int s : starts) {
                out.writeInt(s);
            }
        }
        Checkpoint old = Checkpoint.read(v1);
        assertEquals(3, old.epoch());
        assertEquals(2.75f, old.quant().get("s").delta());
        assertArrayEquals(starts, old.quant().get("s").rowStarts());
        assertTrue(!old.quant().get("s").finerSteps());
    }

    @Test
    void columnStepsAreHeldThroughARunThatResumesExactly() {
        CimConfig cfg = CFG.with("adc_levels", "0").with("granularity", "column");
        TrainTestSetup t = new TrainTestSetup(cfg, 48);
        Checkpoint start = t.fresh(3);
        Trainer.Result[] runs = t.straightAndResumed(dir, new int[] {3, 3}, Trainer::holdingQuantizer);
        for (Map.Entry<String, LayerQuant> e : start.quant().entrySet()) {
            double[][][] want = e.getValue().columnDeltas();
            assertNotNull(want, "the start has per-column steps: " + e.getKey());
            for (Trainer.Result r : runs) {
                double[][][] got = r.quant().get(e.getKey()).columnDeltas();
                for (int a = 0; a < want.length; a++) {
                    for (int j = 0; j < want[a].length; j++) {
                        assertArrayEquals(want[a][j], got[a][j], e.getKey() + " array " + a + " slice " + j);
                    }
                }
            }
        }
        TrainingException arrays = assertThrows(TrainingException.class,
                () -> t.trainer(1, 16, 0.01, new int[] {3}, null, Backward.ARRAYS));
        assertEquals("backward arrays computes one ADC step per layer; granularity column trains with fake-quant-scaled or fake-quant",
                arrays.getMessage());
        TrainingException learn = assertThrows(TrainingException.class,
                () -> t.trainer(1, 16, 0.01, new int[] {3}, null, Backward.FAKE_QUANT_SCALED).learningSteps(0.01));
        assertEquals("learning ADC steps needs one step per layer, got granularity column", learn.getMessage());
        TrainTestSetup network = new TrainTestSetup(CFG.with("adc_levels", "0").with("granularity", "network"), 16);
        TrainingException shared = assertThrows(TrainingException.class,
                () -> network.trainer(1, 16, 0.01, new int[] {3}, null, Backward.FAKE_QUANT_SCALED).learningSteps(0.01));
        assertEquals("learning ADC steps needs one step per layer, got granularity network", shared.getMessage());
    }

    private static float[] logits(RuntimeCimForward forward, Parameters params, MappedLayer l, LayerQuant q, INDArray x) {
        return forward.run(params, Map.of(l.name(), q), x).logits().dup('c').data().asFloat();
    }
}
