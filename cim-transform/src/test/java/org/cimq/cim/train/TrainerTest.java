package org.cimq.cim.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cimq.cim.config.CimConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The training loop on a tiny task: the loss goes down; a stopped and resumed run ends with the same weights. */
class TrainerTest {
    private static final CimConfig CFG = CimConfig.DEFAULTS.with("digital_layers", "").with("rows", "16");

    @TempDir
    Path dir;

    @Test
    void aFewStepsLowerTheLossWithTheAdcInTheLoop() {
        TrainTestSetup t = new TrainTestSetup(CFG, 64);
        int[] levels = {5, 5, 5, 5, 5, 5};
        Trainer.Result r = t.trainer(6, 16, 0.01, levels, null).run(t.data, t.fresh(5), t.recalibration(), TrainTestSetup.QUIET, null);
        List<Trainer.EpochSummary> e = r.epochs();
        assertEquals(6, e.size());
        assertTrue(e.get(5).loss() < 0.8 * e.get(0).loss(), "loss " + e.get(0).loss() + " → " + e.get(5).loss());
        assertEquals(5, r.quant().values().iterator().next().levels());
    }

    @Test
    void stoppedAndResumedRunsEndWithTheSameWeights() {
        TrainTestSetup t = new TrainTestSetup(CFG, 40);
        int[] levels = {5, 3};
        Path straightFile = dir.resolve("a").resolve(Checkpoint.FILE);
        Map<String, INDArray> straight = t.trainer(2, 16, 0.01, levels, straightFile)
                .run(t.data, t.fresh(5), t.recalibration(), TrainTestSetup.QUIET, null).params().values();
        for (int stopAfter : new int[] {2, 3}) {
            Path file = dir.resolve("b" + stopAfter).resolve(Checkpoint.FILE);
            TrainTestSetup.Recorder stopper = new TrainTestSetup.Recorder(stopAfter);
            assertThrows(TrainingInterruptedException.class,
                    () -> t.trainer(2, 16, 0.01, levels, file).run(t.data, t.fresh(5), t.recalibration(), stopper, stopper.stop));
            Checkpoint c = Checkpoint.read(file);
            assertEquals(0, c.epoch());
            assertEquals(stopAfter, c.step());
            Map<String, INDArray> resumed = t.trainer(2, 16, 0.01, levels, file)
                    .run(t.data, c, t.recalibration(), TrainTestSetup.QUIET, null).params().values();
            for (String k : straight.keySet()) {
                assertArrayEquals(straight.get(k).dup('c').data().asFloat(), resumed.get(k).dup('c').data().asFloat(),
                        k + " after stopping at step " + stopAfter);
            }
            Checkpoint end = Checkpoint.read(file);
            assertEquals(2, end.epoch());
            assertEquals(3, end.quant().values().iterator().next().levels());
        }
    }

    /** The same with Adam, whose moments and step count the checkpoint must carry; and Adam trains the tiny task too. */
    @Test
    void adamRunsResumeToTheSameWeightsAndLowerTheLoss() {
        TrainTestSetup t = new TrainTestSetup(CFG, 40);
        int[] levels = {5, 5};
        Path straightFile = dir.resolve("adam").resolve(Checkpoint.FILE);
        Trainer.Result straight = t.trainer(2, 16, 0.003, levels, straightFile).optimizing(Optimizer.Kind.ADAM)
                .run(t.data, t.fresh(5), t.recalibration(), TrainTestSetup.QUIET, null);
        assertTrue(Checkpoint.read(straightFile).optimizerState().containsKey(AdamW.STEPS), "the checkpoint holds Adam's state");
        Path file = dir.resolve("adam-stopped").resolve(Checkpoint.FILE);
        TrainTestSetup.Recorder stopper = new TrainTestSetup.Recorder(3);
        assertThrows(TrainingInterruptedException.class, () -> t.trainer(2, 16, 0.003, levels, file).optimizing(Optimizer.Kind.ADAM)
                .run(t.data, t.fresh(5), t.recalibration(), stopper, stopper.stop));
        Map<String, INDArray> resumed = t.trainer(2, 16, 0.003, levels, file).optimizing(Optimizer.Kind.ADAM)
                .run(t.data, Checkpoint.read(file), t.recalibration(), TrainTestSetup.QUIET, null).params().values();
        Map<String, INDArray> a = straight.params().values();
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).dup('c').data().asFloat(), resumed.get(k).dup('c').data().asFloat(), k);
        }
        int[] six = {5, 5, 5, 5, 5, 5};
        TrainTestSetup u = new TrainTestSetup(CFG, 64);
        List<Trainer.EpochSummary> e = u.trainer(6, 16, 0.003, six, null).optimizing(Optimizer.Kind.ADAM)
                .run(u.data, u.fresh(5), u.recalibration(), TrainTestSetup.QUIET, null).epochs();
        assertTrue(e.get(5).loss() < 0.8 * e.get(0).loss(), "loss " + e.get(0).loss() + " → " + e.get(5).loss());
    }

    @Test
    void aHeldQuantizerIsKeptThroughEveryEpoch() {
        TrainTestSetup t = new TrainTestSetup(CFG, 48);
        int[] levels = {5, 5, 5};
        Checkpoint start = t.fresh(5);
        TrainTestSetup.Recorder listener = new TrainTestSetup.Recorder(0);
        Path file = dir.resolve("held").resolve(Checkpoint.FILE);
        Trainer.Result held = t.trainer(3, 16, 0.01, levels, file, Backward.FAKE_QUANT_SCALED).holdingQuantizer()
                .run(t.data, start, t.recalibration(), listener, null);
        assertEquals(0, listener.recalibrations);
        Trainer.Result searched = t.trainer(3, 16, 0.01, levels, null, Backward.FAKE_QUANT_SCALED)
                .run(t.data, t.fresh(5), t.recalibration(), listener, null);
        assertEquals(2, listener.recalibrations);
        boolean moved = false;
        for (Map.Entry<String, LayerQuant> e : start.quant().entrySet()) {
            LayerQuant h = held.quant().get(e.getKey());
            LayerQuant c = Checkpoint.read(file).quant().get(e.getKey());
            for (LayerQuant q : new LayerQuant[] {h, c}) {
                assertEquals(e.getValue().inputScale(), q.inputScale(), e.getKey());
                assertEquals(e.getValue().delta(), q.delta(), e.getKey());
                assertEquals(e.getValue().levels(), q.levels(), e.getKey());
            }
            LayerQuant s = searched.quant().get(e.getKey());
            moved |= s.inputScale() != e.getValue().inputScale() || s.delta() != e.getValue().delta();
        }
        assertTrue(moved, "without holding, the re-search after each epoch moves the quantizer of the new weights");
        assertTrue(held.epochs().get(2).loss() < held.epochs().get(0).loss(), "trains against the held quantizer");
        TrainingException e = assertThrows(TrainingException.class,
                () -> t.trainer(2, 16, 0.01, new int[] {5, 3}, null, Backward.FAKE_QUANT_SCALED).holdingQuantizer());
        assertEquals("a held quantizer needs the same ADC levels in every epoch, got [5, 3]", e.getMessage());
    }
}
