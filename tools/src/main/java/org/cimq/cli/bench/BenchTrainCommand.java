package org.cimq.cli.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cimq.cim.MappedLayer;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.train.Backward;
import org.cimq.cim.train.Checkpoint;
import org.cimq.cim.train.LayerQuant;
import org.cimq.cim.train.LayerQuants;
import org.cimq.cim.train.Recalibration;
import org.cimq.cim.train.Trainer;
import org.cimq.cim.train.TrainingData;
import org.cimq.cli.CimConfigOptions;
import org.cimq.cli.DataOptions;
import org.cimq.cli.OutputOptions;
import org.cimq.cli.RetrainSetup;
import org.cimq.cli.cim.CimBuildRequest;
import org.cimq.data.Dataset;
import org.cimq.data.Split;
import org.cimq.ir.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code cimq bench train}: the cost of retraining ({@code cimq retrain}'s {@link Trainer}, same
 * forward, backward ({@code --backward}, {@link Backward}), optimiser and augmentation) with the ADC in the loop (L from the
 * configuration, 3 when it says none; mse steps) and without it (L = 0), in one run on the same
 * training images. Each configuration trains one epoch over {@code --images} images; the first
 * {@code --warmup} steps (graph compilation, JIT) are not timed. Reports seconds per 1,000
 * training images, the projected time of a 50,000-image epoch, and the process's peak heap and RSS.
 */
@Command(name = "train", description = {"Retraining cost with the ADC in the loop and without it (L = 0), same run.",
    "Prints seconds per 1,000 training images and the projected 50,000-image epoch."})
public final class BenchTrainCommand implements Callable<Integer> {
    /** The issue's goal: a 50,000-image epoch in at most this many minutes on 2 cores. */
    static final double GOAL_EPOCH_MINUTES = 15;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Mixin
    DataOptions data;

    @Mixin
    CimConfigOptions cim;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The float .onnx file.")
    Path model;

    @Option(names = "--images", defaultValue = "1024", paramLabel = "N",
            description = "Training images per configuration (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--batch", defaultValue = "128", paramLabel = "B", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--warmup", defaultValue = "1", paramLabel = "W", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--calib-images", defaultValue = "500", paramLabel = "N",
            description = "Train images for the input scales and mse steps (default: ${DEFAULT-VALUE}).")
    int calibImages;

    @Option(names = "--backward", defaultValue = "fake-quant-scaled", paramLabel = "MODE", description = RetrainSetup.BACKWARD_HELP)
    String backward;

    @Option(names = "--lr", defaultValue = "0.001", paramLabel = "LR", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--learn-steps", description = "Also time the ADC configuration with its steps learned (retrain --learn-steps: "
            + "two probe evaluations of every mapped layer per step), as a third row.")
    boolean learnSteps;

    /** One configuration's timing. */
    public record Row(String configuration, int levels, double setupSeconds, int timedSteps, int timedImages,
                      double timedSeconds, double secondsPer1000Images, double projectedEpochMinutes, double trainLoss) { }

    /** The JSON report. */
    public record Result(String model, String dataset, String backward, int images, int batch, int warmupSteps, Object cim, List<Row> rows,
                         double adcOverLossless, double goalEpochMinutes, long peakHeapBytes, long peakRssBytes) { }

    @Override
    public Integer call() {
        CimBuildRequest.checkTrainOnly(spec, "bench train", batch);
        Backward mode = RetrainSetup.backward(spec, backward);
        if (images < 1 || calibImages < 1 || warmup < 0) {
            throw new ParameterException(spec.commandLine(), "--images and --calib-images must be >= 1, --warmup >= 0");
        }
        if ((long) (warmup + 1) * batch > images) {
            throw new ParameterException(spec.commandLine(), "--images " + images + " leaves no timed step after " + warmup
                    + " warm-up step(s) of " + batch + " images");
        }
        CimConfig cfg = cim.resolve();
        int levels = cfg.adcLevels() == 0 ? 3 : cfg.adcLevels();
        cfg = cfg.with("adc_levels", Integer.toString(levels));
        LayerQuants.checkSupported(cfg);
        PrintWriter err = spec.commandLine().getErr();
        Dataset calib = data.open(spec, Split.TRAIN).limit(calibImages);
        Dataset train = data.open(spec, Split.TRAIN).limit(images);
        RetrainSetup.Inputs in = RetrainSetup.read(model, cfg, train, calib, data.kind());
        Model prepared = in.prepared();
        List<MappedLayer> layers = in.layers();
        TrainingData td = in.data();
        Recalibration recal = in.recal();
        List<Row> rows = new ArrayList<>();
        for (int l : new int[] {levels, 0}) {
            rows.add(time(prepared, layers, cfg, l, td, recal, mode, false, err));
        }
        if (learnSteps) {
            rows.add(time(prepared, layers, cfg, levels, td, recal, mode, true, err));
        }
        PeakMemory mem = PeakMemory.now();
        Result r = new Result(model.toString(), train.toString(), mode.id(), td.count(), batch, warmup, cfg.toMap(), rows,
                rows.get(0).secondsPer1000Images() / rows.get(1).secondsPer1000Images(), GOAL_EPOCH_MINUTES, mem.heapBytes(),
                mem.rssBytes());
        print(r, spec.commandLine().getOut());
        output.writeJson(r);
        return 0;
    }

    private Row time(Model prepared, List<MappedLayer> layers, CimConfig cfg, int levels, TrainingData td, Recalibration recal,
                     Backward mode, boolean learned, PrintWriter err) {
        String label = levels == 0 ? "L=0 (no ADC)" : "L=" + levels + " (ADC in the loop" + (learned ? ", steps learned)" : ")");
        if (!output.quiet()) {
            err.println("cimq bench train: " + label + ": input scales" + (levels >= 2 ? " and mse steps" : "") + ", then "
                    + td.count() + " training images");
            err.flush();
        }
        long t0 = System.nanoTime();
        org.cimq.cim.train.Parameters p = org.cimq.cim.train.Parameters.of(prepared);
        Map<String, LayerQuant> quant = recal.run(p, levels, null);
        double setup = (System.nanoTime() - t0) / 1e9;
        Trainer trainer = new Trainer(prepared, layers, cfg,
                new Trainer.Options(1, batch, lr, 0.9, 5e-4, 0, new int[] {levels}, 0, null, "bench", mode));
        if (learned) {
            trainer.learningSteps(0.005);
        }
        StepClock clock = new StepClock(warmup);
        Trainer.Result trained = trainer.run(td, new Checkpoint("bench", 0, 0, p.values(), new LinkedHashMap<>(), quant),
                recal, clock, null);
        double perThousand = clock.timedSeconds() / clock.timedImages() * 1000;
        if (!output.quiet()) {
            err.printf("  %s: %.1f s per 1,000 training images%n", label, perThousand);
            err.flush();
        }
        return new Row(label, levels, setup, clock.timedSteps(), clock.timedImages(), clock.timedSeconds(), perThousand,
                perThousand * 50 / 60, trained.epochs().get(0).loss());
    }

    static void print(Result r, PrintWriter out) {
        MarkdownTable t = new MarkdownTable("configuration", "s / 1,000 images", "50,000-image epoch (min)", "timed steps",
                "setup (s)");
        for (Row row : r.rows()) {
            t.row(row.configuration(), String.format("%.2f", row.secondsPer1000Images()),
                    String.format("%.1f", row.projectedEpochMinutes()), Integer.toString(row.timedSteps()),
                    String.format("%.1f", row.setupSeconds()));
        }
        t.print(out);
        out.printf("%nADC in the loop / no ADC: %.2fx; goal: a 50,000-image epoch <= %.0f min (with the ADC: %s); peak heap %.0f MB,"
                + " peak RSS %s%n", r.adcOverLossless(), r.goalEpochMinutes(),
                r.rows().get(0).projectedEpochMinutes() <= r.goalEpochMinutes() ? "met" : "not met", r.peakHeapBytes() / 1e6,
                r.peakRssBytes() < 0 ? "unknown" : String.format("%.0f MB", r.peakRssBytes() / 1e6));
        out.printf("%d training images (%s), batch %d, %d untimed warm-up step(s) per configuration, --backward %s; %s%n", r.images(),
                r.dataset(), r.batch(), r.warmupSteps(), r.backward(), org.cimq.runtime.OpenMpWaitPolicy.describe());
        out.flush();
    }

    /** Times the steps after the first {@code warmup} from the trainer's step callbacks. */
    private static final class StepClock implements Trainer.Listener {
        private final int warmup;
        private int steps;
        private long last;
        private int timedSteps;
        private int timedImages;
        private long timedNanos;

        StepClock(int warmup) {
            this.warmup = warmup;
        }

        @Override
        public void epochStart(int epoch, int levels, int steps, int firstStep, int images) {
            last = System.nanoTime();
        }

        @Override
        public void step(int images, double runningLoss, double runningAccuracy) {
            long now = System.nanoTime();
            if (steps >= warmup) {
                timedSteps++;
                timedImages += images;
                timedNanos += now - last;
            }
            steps++;
            last = now;
        }

        @Override
        public void epochEnd(Trainer.EpochSummary summary) {
        }

        @Override
        public void recalibrating(int epoch, int levels) {
        }

        int timedSteps() {
            return timedSteps;
        }

        int timedImages() {
            return timedImages;
        }

        double timedSeconds() {
            return timedNanos / 1e9;
        }
    }
}
