package org.cimq.cli.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.cimq.cim.RangeCalibration;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.Granularity;
import org.cimq.cim.search.AccuracySearch;
import org.cimq.cim.search.CalibrationMethod;
import org.cimq.cim.search.LabelledBatch;
import org.cimq.cim.search.RangeChoice;
import org.cimq.cli.CalibrationOptions;
import org.cimq.cli.CimConfigOptions;
import org.cimq.cli.DataOptions;
import org.cimq.cli.OutputOptions;
import org.cimq.cli.SearchSample;
import org.cimq.cli.StepCalibration;
import org.cimq.cli.cim.CimBuild;
import org.cimq.cli.cim.CimBuildRequest;
import org.cimq.data.Dataset;
import org.cimq.data.Split;
import org.cimq.ir.Model;
import org.cimq.runtime.cim.CimThreads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cimq bench calib}: the time of every phase of ADC step calibration in one run, on the
 * code path of {@code cimq calibrate} ({@link StepCalibration}): input scales and partial-sum
 * histograms over the first N train images, the {@code mse} and {@code mse-network} steps from
 * the histograms, reading the labelled search images, then {@code acc-network} and
 * {@code acc-layer} scored on them. Prints a Markdown table (phase, seconds, share) and the goals
 * of issue 4 ({@code mse} for all layers under 1 s after the histograms, {@code acc-layer} under
 * 10 min); the {@code --json} report is rewritten after each phase, so an interrupted run keeps
 * the phases it finished.
 */
@Command(name = "calib", description = {"Time every phase of ADC step calibration (cimq calibrate's code path) in one run:",
    "input scales, histograms, mse, mse-network, search sample, acc-network, acc-layer. Prints a Markdown table",
    "(phase, seconds, share) and the goals: mse under 1 s after the histograms, acc-layer under 10 min."})
public final class BenchCalibCommand implements Callable<Integer> {
    /** The goals' limits, seconds. */
    static final double MSE_LIMIT = 1;
    static final double ACC_LAYER_LIMIT = 600;

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

    @Option(names = "--calib-images", paramLabel = "N",
            description = "Calibrate on the first N train images (default " + CalibrationOptions.DEFAULT_IMAGES + ").")
    int calibImages = CalibrationOptions.DEFAULT_IMAGES;

    @Option(names = "--search-images", paramLabel = "N",
            description = "acc methods: score candidates on the first N calibration images (default "
                    + SearchSample.ACC_LAYER_IMAGES + ", at most --calib-images).")
    int searchImages = SearchSample.ACC_LAYER_IMAGES;

    @Option(names = "--levels", paramLabel = "L",
            description = "ADC levels to calibrate for, >= 2 (default: the configuration's, or 3 when it has no ADC).")
    Integer levels;

    @Option(names = "--batch", defaultValue = "100", paramLabel = "B", description = "Images per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--reference-kernels",
            description = "Run the acc searches on the per-array reference kernels (slow; same steps and scores), to compare.")
    boolean reference;

    private final List<BenchCalibResult.Phase> phases = new ArrayList<>();
    private CimConfig cfg;
    private Dataset train;
    private Dataset searched;

    @Override
    public Integer call() {
        CimBuildRequest.checkTrainOnly(spec, "bench calib", batch);
        if (calibImages < 1 || searchImages < 1) {
            throw new ParameterException(spec.commandLine(), "--calib-images and --search-images must be >= 1, got "
                    + calibImages + " and " + searchImages);
        }
        cfg = cim.resolve();
        int l = levels != null ? levels : cfg.adcLevels() >= 2 ? cfg.adcLevels() : 3;
        if (l < 2 || l > CimConfig.MAX_SIZE) {
            throw new ParameterException(spec.commandLine(), "--levels must be an integer from 2 to " + CimConfig.MAX_SIZE
                    + ", got " + l);
        }
        cfg = cfg.with("adc_levels", Integer.toString(l));
        if (cfg.granularity() != Granularity.LAYER && cfg.granularity() != Granularity.ARRAY) {
            throw new ParameterException(spec.commandLine(), "bench calib times acc-layer, which needs granularity layer or "
                    + "array, got " + cfg.granularity().id());
        }
        train = data.open(spec, Split.TRAIN).limit(calibImages);
        searched = train.limit(searchImages);
        Model prepared = CimBuildRequest.load(model);
        CimBuild.check(prepared, model, train);
        PrintWriter err = spec.commandLine().getErr();
        boolean quiet = output.quiet();
        if (!quiet) {
            err.printf("cimq bench calib: %s, L = %d, %d calibration and %d search images, %d CIM threads%n", train, l,
                    train.size(), searched.size(), CimThreads.count());
            err.flush();
        }

        long start = System.nanoTime();
        RangeCalibration.Histograms h = StepCalibration.histograms(cfg, prepared, train, batch, err, quiet);
        double both = (System.nanoTime() - start) / 1e9;
        double counting = h.histogramNanos() / 1e9;
        phase("input scales", both - counting, null);
        phase("histograms", counting, null);
        for (CalibrationMethod m : List.of(CalibrationMethod.MSE, CalibrationMethod.MSE_NETWORK)) {
            timed(m.id(), () -> StepCalibration.choose(m, h, cfg, prepared, false, List.of(), err, quiet));
        }
        List<LabelledBatch> sample = timed("search sample", () -> CimBuild.labelled(searched, batch));
        AccuracySearch.Options options = reference ? AccuracySearch.Options.REFERENCE : AccuracySearch.Options.DEFAULT;
        for (CalibrationMethod m : List.of(CalibrationMethod.ACC_NETWORK, CalibrationMethod.ACC_LAYER)) {
            timed(m.id(), () -> StepCalibration.choose(m, h, cfg, prepared, false, sample, options, err, quiet));
        }
        BenchCalibResult r = report(true);
        print(r, spec.commandLine().getOut());
        return 0;
    }

    /** Runs one phase, records its time (and for a step choice its candidates and scores) and rewrites the JSON. */
    private <T> T timed(String name, Supplier<T> work) {
        long start = System.nanoTime();
        T result = work.get();
        phase(name, (System.nanoTime() - start) / 1e9, result instanceof RangeChoice.Choice c ? c : null);
        return result;
    }

    private void phase(String name, double seconds, RangeChoice.Choice c) {
        boolean scored = c != null && c.score() != null;
        phases.add(new BenchCalibResult.Phase(name, seconds, 0, scored ? c.candidates() : null, scored ? c.stopped() : null,
                scored ? c.startScore().top1() : null, scored ? c.score().top1() : null));
        report(false);
    }

    /** The report of the phases so far (shares of their total), written to the {@code --json} file. */
    private BenchCalibResult report(boolean complete) {
        double total = phases.stream().mapToDouble(BenchCalibResult.Phase::seconds).sum();
        List<BenchCalibResult.Phase> shared = phases.stream().map(p -> new BenchCalibResult.Phase(p.phase(), p.seconds(),
                total > 0 ? p.seconds() / total : 0, p.candidates(), p.stoppedEarly(), p.startTop1(), p.top1())).toList();
        List<BenchCalibResult.Goal> goals = List.of(
                goal("mse for all layers after the histograms", List.of("mse"), MSE_LIMIT),
                goal("acc-layer search", List.of("acc-layer"), ACC_LAYER_LIMIT),
                goal("calibrate --method acc-layer end to end",
                        List.of("input scales", "histograms", "search sample", "acc-layer"), ACC_LAYER_LIMIT));
        PeakMemory mem = PeakMemory.now();
        BenchCalibResult r = new BenchCalibResult(model.toString(), train.name(), train.size(), searched.size(),
                cfg.adcLevels(), batch, reference, CimThreads.count(), System.getenv("OMP_NUM_THREADS"), cfg.toMap(), shared, total, goals,
                mem.heapBytes(), mem.rssBytes(), complete);
        output.writeJson(r);
        return r;
    }

    private BenchCalibResult.Goal goal(String text, List<String> names, double limit) {
        double sum = 0;
        for (String n : names) {
            var p = phases.stream().filter(x -> x.phase().equals(n)).findFirst();
            if (p.isEmpty()) {
                return new BenchCalibResult.Goal(text, names, limit, null, null);
            }
            sum += p.get().seconds();
        }
        return new BenchCalibResult.Goal(text, names, limit, sum, sum < limit);
    }

    static void print(BenchCalibResult r, PrintWriter out) {
        MarkdownTable t = new MarkdownTable("phase", "seconds", "share", "notes");
        for (BenchCalibResult.Phase p : r.phases()) {
            String notes = p.candidates() == null ? "" : String.format("%d candidates (%d stopped early), top-1 %.4f -> %.4f",
                    p.candidates(), p.stoppedEarly(), p.startTop1(), p.top1());
            t.row(p.phase(), String.format("%.3f", p.seconds()), String.format("%.1f %%", 100 * p.share()), notes);
        }
        t.row("total", String.format("%.3f", r.totalSeconds()), "100.0 %", "");
        t.print(out);
        out.println();
        for (BenchCalibResult.Goal g : r.goals()) {
            out.printf("goal: %s < %.0f s: %.3f s, %s%n", g.goal(), g.limitSeconds(), g.seconds(), g.met() ? "met" : "MISSED");
        }
        out.printf("%s on %s: %d calibration images, %d search images, L = %d, batch %d, acc searches on the %s kernels, "
                + "%d CIM threads, OMP_NUM_THREADS=%s; peak heap %.0f MB, peak RSS %s%n", r.model(), r.dataset(), r.calibImages(),
                r.searchImages(), r.levels(), r.batch(), r.referenceKernels() ? "reference" : "fused", r.cimThreads(),
                r.ompNumThreads() == null ? "unset" : r.ompNumThreads(), r.peakHeapBytes() / 1e6,
                r.peakRssBytes() < 0 ? "unknown" : String.format("%.0f MB", r.peakRssBytes() / 1e6));
        out.flush();
    }
}
