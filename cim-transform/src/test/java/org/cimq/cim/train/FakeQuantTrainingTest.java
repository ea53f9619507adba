package org.cimq.cim.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.cimq.cim.config.CimConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training with the fake-quant engine on the tiny task of {@link TrainTestSetup}: with 3-level ADCs
 * the CIM model's accuracy (measured on the runtime's CIM model) rises; a stopped and resumed run
 * ends with the same weights as an uninterrupted one.
 */
class FakeQuantTrainingTest {
    private static final CimConfig CFG = CimConfig.DEFAULTS.with("digital_layers", "").with("rows", "16");

    @TempDir
    Path dir;

    @Test
    void threeLevelAccuracyRisesWithTraining() {
        TrainTestSetup t = new TrainTestSetup(CFG, 96);
        Checkpoint start = t.fresh(3);
        double before = cimAccuracy(t, Parameters.of(TrainTestSetup.copy(start.params())), start.quant());
        int[] levels = {3, 3, 3, 3, 3, 3, 3, 3};
        Trainer.Result r = t.trainer(8, 16, 0.01, levels, null, Backward.FAKE_QUANT)
                .run(t.data, start, t.recalibration(), TrainTestSetup.QUIET, null);
        double after = cimAccuracy(t, r.params(), r.quant());
        assertTrue(after >= before + 0.15, "L=3 CIM accuracy " + before + " → " + after);
        assertTrue(r.epochs().get(7).accuracy() > r.epochs().get(0).accuracy(),
                "training accuracy " + r.epochs().get(0).accuracy() + " → " + r.epochs().get(7).accuracy());
    }

    @Test
    void stoppedAndResumedRunsEndWithTheSameWeights() {
        TrainTestSetup t = new TrainTestSetup(CFG, 40);
        int[] levels = {5, 3};
        Map<String, INDArray> straight = t.trainer(2, 16, 0.01, levels, dir.resolve("a").resolve(Checkpoint.FILE), Backward.FAKE_QUANT)
                .run(t.data, t.fresh(5), t.recalibration(), TrainTestSetup.QUIET, null).params().values();
        Path file = dir.resolve("b").resolve(Checkpoint.FILE);
        TrainTestSetup.Recorder stopper = new TrainTestSetup.Recorder(2);
        assertThrows(TrainingInterruptedException.class, () -> t.trainer(2, 16, 0.01, levels, file, Backward.FAKE_QUANT)
                .run(t.data, t.fresh(5), t.recalibration(), stopper, stopper.stop));
        Checkpoint c = Checkpoint.read(file);
        assertEquals(2, c.step());
        Map<String, INDArray> resumed = t.trainer(2, 16, 0.01, levels, file, Backward.FAKE_QUANT)
                .run(t.data, c, t.recalibration(), TrainTestSetup.QUIET, null).params().values();
        for (String k : straight.keySet()) {
            assertArrayEquals(straight.get(k).dup('c').data().asFloat(), resumed.get(k).dup('c').data().asFloat(), k);
        }
    }

    /** Top-1 of the runtime's CIM model of {@code params} on the task's images. */
    private static double cimAccuracy(TrainTestSetup t, Parameters params, Map<String, LayerQuant> quant) {
        INDArray x = Nd4j.create(t.data.images(), new long[] {t.data.count(), 2, 6, 6}, 'c');
        INDArray logits = new RuntimeCimForward(t.prepared, CFG, t.layers).run(params, quant, x).logits();
        INDArray arg = Nd4j.argMax(logits, 1);
        int correct = 0;
        for (int i = 0; i < t.data.count(); i++) {
            correct += arg.getInt(i) == t.data.labels()[i] ? 1 : 0;
        }
        return (double) correct / t.data.count();
    }
}
