package org.cimq.cim.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cimq.cim.LayerSelection;
import org.cimq.cim.MappedLayer;
import org.cimq.cim.MappedLayers;
import org.cimq.cim.config.CimConfig;
import org.cimq.ir.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A tiny learnable task on {@link TrainTestModels#cnn}: the label is which third of the image is brightest. */
final class TrainTestSetup {
    final CimConfig cfg;
    final Model prepared = TrainTestModels.cnn(3);
    final List<MappedLayer> layers;
    final TrainingData data;
    final List<INDArray> calib;

    TrainTestSetup(CimConfig cfg, int images) {
        this.cfg = cfg;
        this.layers = LayerSelection.mapped(MappedLayers.find(prepared.graph()), cfg.digitalLayers());
        INDArray x = TrainTestModels.batches(21, 1, images).get(0);
        float[] v = x.dup('c').data().asFloat();
        int[] labels = new int[images];
        for (int i = 0; i < images; i++) {
            double[] thirds = new double[3];
            for (int k = 0; k < 72; k++) {
                thirds[(k % 36) / 12] += v[i * 72 + k];
            }
            labels[i] = thirds[0] > thirds[1] ? (thirds[0] > thirds[2] ? 0 : 2) : (thirds[1] > thirds[2] ? 1 : 2);
        }
        this.data = new TrainingData(v, labels, images, 2, 6, 6, 3, false);
        this.calib = List.of(x);
    }

    Recalibration recalibration() {
        return new Recalibration(prepared, cfg, calib::iterator, data.count());
    }

    Checkpoint fresh(int levels) {
        return new Checkpoint("test", 0, 0, Parameters.of(prepared).values(), null,
                recalibration().run(Parameters.of(prepared), levels, null));
    }

    Trainer trainer(int epochs, int batch, double lr, int[] levels, Path checkpoint) {
        return trainer(epochs, batch, lr, levels, checkpoint, Backward.ARRAYS);
    }

    Trainer trainer(int epochs, int batch, double lr, int[] levels, Path checkpoint, Backward backward) {
        return new Trainer(prepared, layers, cfg,
                new Trainer.Options(epochs, batch, lr, 0.9, 5e-4, 7, levels, 0, checkpoint, "test", backward));
    }

    static final Trainer.Listener QUIET = new Trainer.Listener() {
        @Override
        public void epochStart(int epoch, int levels, int steps, int firstStep, int images) {
        }

        @Override
        public void step(int images, double runningLoss, double runningAccuracy) {
        }

        @Override
        public void epochEnd(Trainer.EpochSummary summary) {
        }

        @Override
        public void recalibrating(int epoch, int levels) {
        }
    };

    /** A listener that asks for a stop after {@code stopAfter} steps (never when &lt; 1) and counts recalibrations. */
    static final class Recorder implements Trainer.Listener {
        final java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        private final int stopAfter;
        private int steps;
        int recalibrations;

        Recorder(int stopAfter) {
            this.stopAfter = stopAfter;
        }

        @Override
        public void epochStart(int epoch, int levels, int steps, int firstStep, int images) {
        }

        @Override
        public void step(int images, double runningLoss, double runningAccuracy) {
            if (++steps == stopAfter) {
                stop.set(true);
            }
        }

        @Override
        public void epochEnd(Trainer.EpochSummary summary) {
        }

        @Override
        public void recalibrating(int epoch, int levels) {
            recalibrations++;
        }
    }

    /**
     * Trains with {@code configure}'s trainer (two epochs of batch 16 at lr 0.01 over {@code levels}, the runtime's scaled
     * engine) uninterrupted with its checkpoint in {@code dir/a}, and again stopped after four steps (checkpoint in
     * {@code dir/b}) and resumed from that checkpoint; asserts that both end with the same weights.
     * @return the uninterrupted run's result, then the resumed run's
     */
    Trainer.Result[] straightAndResumed(Path dir, int[] levels, java.util.function.UnaryOperator<Trainer> configure) {
        return straightAndResumed(dir, levels, Backward.FAKE_QUANT_SCALED, configure);
    }

    /** As above, with the {@code engine} given. */
    Trainer.Result[] straightAndResumed(Path dir, int[] levels, Backward engine, java.util.function.UnaryOperator<Trainer> configure) {
        Path straightFile = dir.resolve("a").resolve(Checkpoint.FILE);
        Trainer.Result straight = configure.apply(trainer(2, 16, 0.01, levels, straightFile, engine))
                .run(data, fresh(3), recalibration(), QUIET, null);
        Path file = dir.resolve("b").resolve(Checkpoint.FILE);
        Recorder stopper = new Recorder(4);
        org.junit.jupiter.api.Assertions.assertThrows(TrainingInterruptedException.class,
                () -> configure.apply(trainer(2, 16, 0.01, levels, file, engine))
                        .run(data, fresh(3), recalibration(), stopper, stopper.stop));
        Trainer.Result resumed = configure.apply(trainer(2, 16, 0.01, levels, file, engine))
                .run(data, Checkpoint.read(file), recalibration(), QUIET, null);
        for (String k : straight.params().values().keySet()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(straight.params().values().get(k).dup('c').data().asFloat(),
                    resumed.params().values().get(k).dup('c').data().asFloat(), k);
        }
        return new Trainer.Result[] {straight, resumed};
    }

    static Map<String, INDArray> copy(Map<String, INDArray> m) {
        Map<String, INDArray> c = new java.util.LinkedHashMap<>();
        m.forEach((k, v) -> c.put(k, v.dup('c')));
        return c;
    }
}
