package org.cimq.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.train.LayerQuant;
import org.cimq.cim.train.Parameters;
import org.cimq.cim.train.Trainer;
import org.cimq.data.Dataset;

/**
 * {@code retrain --test-each-epoch}: after every epoch, that epoch's weights are written as a model of
 * their own ({@code OUT}'s stem + {@code .epoch-N.onnx}, with its mse ranges file next to it) and its
 * CIM test top-1 is measured at the epoch's L exactly as the final model's is ({@link RetrainOutputs}):
 * the accuracy curve of a run, each point reproducible with {@code cimq eval}, and each epoch's model
 * kept on disk when a later epoch is interrupted.
 */
final class RetrainEpochTests {
    /** One epoch's model, ranges (null at L = 0) and test top-1. */
    record EpochTest(int epoch, int levels, String model, String ranges, int images, int correct, double top1) { }

    /** Writes a model with {@code params} (trained with input scales and steps {@code quant}) as its weights to {@code path}. */
    @FunctionalInterface
    interface ModelWriter {
        void write(Parameters params, Map<String, LayerQuant> quant, Path path);
    }

    private final Path out;
    private final CimConfig cfg;
    private final Dataset calib;
    private final Dataset test;
    private final ModelWriter writer;
    private final PrintWriter err;
    private final boolean quiet;
    private final List<EpochTest> done = new ArrayList<>();
    private RetrainOutputs.HeldQuantizer held;
    private List<org.cimq.cim.MappedLayer> mapped;

    RetrainEpochTests(Path out, CimConfig cfg, Dataset calib, Dataset test, ModelWriter writer, PrintWriter err, boolean quiet) {
        this.out = out;
        this.cfg = cfg;
        this.calib = calib;
        this.test = test;
        this.writer = writer;
        this.err = err;
        this.quiet = quiet;
    }

    /**
     * Tests every epoch's model with the quantizer it trained against (its input scales and steps, held or learned as
     * {@code how} says: its own ranges file) instead of its mse ranges.
     */
    RetrainEpochTests holding(RetrainOutputs.HeldQuantizer how, List<org.cimq.cim.MappedLayer> layers) {
        this.held = how;
        this.mapped = layers;
        return this;
    }

    /** {@code OUT.onnx} → {@code OUT.epoch-N.onnx}. */
    static Path epochModel(Path out, int epoch) {
        String name = out.getFileName().toString();
        String stem = name.endsWith(".onnx") ? name.substring(0, name.length() - 5) : name;
        return out.resolveSibling(stem + ".epoch-" + epoch + ".onnx");
    }

    /** Writes and measures the model of the epoch {@code s} ended with. */
    EpochTest measure(Trainer.EpochSummary s, Parameters params, Map<String, LayerQuant> quant) {
        Path model = epochModel(out, s.epoch());
        writer.write(params, quant, model);
        CimConfig c = cfg.with("adc_levels", Integer.toString(s.levels()));
        Path ranges = held != null ? RetrainOutputs.writeHeldRanges(model, RetrainOutputs.siblingRanges(model), quant, c, calib, held, mapped)
                : s.levels() >= 2 ? RetrainOutputs.writeRanges(model, RetrainOutputs.siblingRanges(model), c, calib, err, quiet)
                : null;
        Evaluation.Score score = RetrainOutputs.evaluate(model, c, ranges, calib, test, err, quiet);
        EpochTest t = new EpochTest(s.epoch(), s.levels(), model.toString(), ranges == null ? null : ranges.toString(), score.images(),
                score.correct(), score.top1());
        done.add(t);
        if (!quiet) {
            err.printf("cimq retrain: epoch %d (L=%d): CIM test top-1 %.4f (%d/%d), %s%n", s.epoch(), s.levels(), t.top1(), t.correct(),
                    t.images(), model);
            err.flush();
        }
        return t;
    }

    /** The epochs measured so far, in order. */
    List<EpochTest> done() {
        return List.copyOf(done);
    }
}
