package org.cimq.cli.sweep;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cimq.cim.CimModelBuilder;
import org.cimq.cim.CimTransformException;
import org.cimq.cim.LayerSelection;
import org.cimq.cim.MappedLayers;
import org.cimq.cim.RangeCalibration;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.Granularity;
import org.cimq.cim.cost.CostModel;
import org.cimq.cim.search.AccuracySearch;
import org.cimq.cim.search.CalibrationMethod;
import org.cimq.cim.search.LabelledBatch;
import org.cimq.cim.search.RangeChoice;
import org.cimq.cli.CalibrationOptions;
import org.cimq.cli.CimConfigOptions;
import org.cimq.cli.CostOptions;
import org.cimq.cli.DataOptions;
import org.cimq.cli.Evaluation;
import org.cimq.cli.OutputOptions;
import org.cimq.cli.Progress;
import org.cimq.cli.SearchSample;
import org.cimq.cli.SignificanceOption;
import org.cimq.cli.cim.CimBuild;
import org.cimq.cli.cim.CimBuildRequest;
import org.cimq.cli.report.ReportLevels;
import org.cimq.cli.report.ReportWriter;
import org.cimq.cli.engine.CimqEngine;
import org.cimq.cli.engine.Engine;
import org.cimq.data.Dataset;
import org.cimq.data.Split;
import org.cimq.ir.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cimq sweep MODEL --cim ... --levels 2,3,... --methods ... --dataset ...}: top-1 on the
 * test split of the CIM model for every (method, L), with the float model's and the lossless
 * (L = 0) CIM model's, printed as a Markdown table and written as {@link SweepReport} JSON.
 *
 * <p>What is shared. Input scales and the partial-sum histograms are collected once, on the L = 0
 * model over the first {@code --calib-images} train images ({@link RangeCalibration#histograms}):
 * neither depends on L or on the method, so every point reads the same histograms. What depends on
 * L is the step choice itself (every method, from the same histograms) and, for the acc methods,
 * the candidate scoring, which runs the model with an L-level ADC on the first
 * {@code --search-images} of those images; each point also builds and evaluates its own model.
 *
 * <p>Interruption. After each finished point the JSON is rewritten atomically with every point
 * so far; with {@code --resume}, points (and float / lossless top-1) already in an existing JSON of
 * the same model file, data set, image counts and configuration are not measured again.
 *
 * <p>Report. {@code --report DIR} ({@link ReportFolder}) also keeps the JSON in {@code DIR/sweep.json}
 * (then {@code --resume} reads it when no {@code --json} is given) and each point's steps in
 * {@code DIR/ranges}, and at the end writes {@code DIR/report.html} from the same histograms: it
 * equals the page of {@code cimq report MODEL --sweep DIR/sweep.json} with the same configuration
 * and calibration images. The folder is created, or refused, before any measurement.
 */
@Command(name = "sweep", description = {"Top-1 of the CIM model for every ADC calibration method and number of levels L,",
    "with float and lossless (L = 0) top-1, as a Markdown table (rows: methods, columns: L) and JSON.",
    "Histograms are collected once on the first train images; accuracy is measured on the test split.",
    "With --report DIR, also the HTML report of cimq report (histograms, accuracy curves, cost) in DIR."})
public final class SweepCommand implements Callable<Integer> {
    /** All methods, in the table's order. */
    public static final String ALL_METHODS = "minmax,sigma3,mse-network,mse,acc-network,acc-layer";

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

    @Option(names = "--levels", required = true, split = ",", paramLabel = "L",
            description = "ADC levels to sweep, comma-separated, each >= 2 (L = 0, lossless, is always measured).")
    List<Integer> levels;

    @Option(names = "--methods", defaultValue = ALL_METHODS, split = ",", paramLabel = "M",
            description = "Calibration methods, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> methods;

    @Option(names = "--calib-images", paramLabel = "N",
            description = "Calibrate on the first N train images (default " + CalibrationOptions.DEFAULT_IMAGES + ").")
    int calibImages = CalibrationOptions.DEFAULT_IMAGES;

    @Option(names = "--search-images", paramLabel = "N", description = SearchSample.HELP)
    Integer searchImages;

    @Mixin
    SignificanceOption significance;

    @Option(names = "--limit", paramLabel = "N", description = "Only the first N test images.")
    Integer limit;

    @Option(names = "--batch", defaultValue = "100", paramLabel = "B", description = "Images per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--ranges-dir", paramLabel = "DIR", description = "Also write each point's ranges.json here (METHOD-L<L>.json).")
    Path rangesDir;

    @Option(names = "--resume", description = "Skip the points already in the --json file, else in DIR/sweep.json of --report "
            + "(same model, data and configuration).")
    boolean resume;

    @Option(names = "--report", paramLabel = "DIR", description = {"Also write DIR/sweep.json (as --json, after every point), "
        + "DIR/ranges/METHOD-L<L>.json and, at the end, DIR/report.html: the page of cimq report MODEL --sweep DIR/sweep.json "
        + "with the same configuration and calibration images, drawn at -L (default " + ReportLevels.DEFAULT_LEVELS + ")."})
    Path reportDir;

    @Mixin
    CostOptions costOptions;

    @Override
    public Integer call() {
        List<Integer> ls = checkedLevels();
        List<CalibrationMethod> ms = checkedMethods();
        CimBuildRequest.checkTrainOnly(spec, "sweep", batch);
        AccuracySearch.Options searchOptions = significance.searchOptions(spec);
        if (calibImages < 1 || (searchImages != null && searchImages < 1) || (limit != null && limit < 0)) {
            throw new ParameterException(spec.commandLine(), "--calib-images and --search-images must be >= 1 and --limit >= 0");
        }
        if (resume && output.json() == null && reportDir == null) {
            throw new ParameterException(spec.commandLine(), "--resume needs --json FILE or --report DIR (the report to resume)");
        }
        CimConfig cfg = cim.resolve();
        List<String> notes = new ArrayList<>();
        CimConfig reportCfg = reportDir != null ? ReportLevels.resolve(cfg, spec, "sweep --report", notes) : null;
        CostModel costModel = reportCostModel();
        for (CalibrationMethod m : ms) {
            if (m == CalibrationMethod.ACC_LAYER && cfg.granularity() != Granularity.LAYER && cfg.granularity() != Granularity.ARRAY) {
                throw new ParameterException(spec.commandLine(), "acc-layer needs granularity layer or array, got "
                        + cfg.granularity().id());
            }
        }
        Dataset train = data.open(spec, Split.TRAIN).limit(calibImages);
        Dataset test = data.open(spec);
        test = limit != null ? test.limit(limit) : test;
        Model prepared = CimBuildRequest.load(model);
        CimBuild.check(prepared, model, train);

        SweepReport report = new SweepReport(model.getFileName().toString(), data.kindId(), test.size(), train.size(),
                searchImages, SearchSample.defaults(), searchOptions.significance(), cfg.toMap(), null, null, List.of());
        Path resumed = output.json() != null ? output.json() : reportDir != null ? ReportFolder.sweepJson(reportDir) : null;
        if (resume && Files.exists(resumed)) {
            SweepReport old = SweepReport.read(resumed);
            if (!old.sameRunAs(report)) {
                throw new IllegalArgumentException(resumed + ": written for another run (model " + old.model() + ", "
                        + old.dataset() + ", " + old.testImages() + " test / " + old.calibImages() + " calibration / "
                        + old.searchImages() + " search images (null: " + old.searchDefaults() + "), significance "
                        + old.significance()
                        + ", or another configuration); remove it or drop --resume");
            }
            report = old;
        }
        List<SweepReport.Point> todo = new ArrayList<>();
        for (CalibrationMethod m : ms) {
            for (int l : ls) {
                if (report.point(m.id(), l) == null) {
                    todo.add(new SweepReport.Point(m.id(), l, 0, null, null, null, 0));
                }
            }
        }
        Dataset searchSplit = data.open(spec, Split.TRAIN);
        String calibration = ReportWriter.calibration(train.name(), train.size());
        PrintWriter err = spec.commandLine().getErr();
        int threads = Runtime.getRuntime().availableProcessors();
        int mappedLayers = LayerSelection.mapped(MappedLayers.find(prepared.graph()), cfg.digitalLayers()).size();
        long work = (report.floatTop1() == null ? test.size() : 0)
                + (report.losslessTop1() == null || !todo.isEmpty() || reportDir != null ? 2L * train.size() : 0)
                + (report.losslessTop1() == null ? test.size() : 0);
        for (SweepReport.Point p : todo) {
            CalibrationMethod m = CalibrationMethod.parse(p.method());
            work += test.size() + (long) searchSplit.limit(SearchSample.images(m, searchImages)).size()
                    * RangeChoice.candidates(m, mappedLayers, cfg, searchOptions);
        }
        if (!output.quiet()) {
            err.printf("cimq sweep: %d of %d points to measure%s on %s%s%n", todo.size(), ms.size() * ls.size(),
                    report.floatTop1() == null ? " (+ float" + (report.losslessTop1() == null ? ", lossless)" : ")") : "", test,
                    reportDir != null ? "; then the report in " + reportDir : "");
            err.flush();
        }
        ReportFolder folder = reportDir != null ? ReportFolder.create(reportDir) : null;
        RangeCalibration.Histograms h;
        try (Progress p = Progress.start(err, output.quiet(), "sweep", work)) {
            if (report.floatTop1() == null) {
                report = report.withFloat(top1(prepared, test, threads, p));
                save(report, folder);
            }
            if (report.losslessTop1() != null && todo.isEmpty() && folder == null) {
                return printed(report, ms, ls);
            }
            h = RangeCalibration.histograms(cfg, prepared, CimBuild.images(train, batch), train.size(), CimBuild.steps(p));
            if (report.losslessTop1() == null) {
                Model lossless = new CimModelBuilder(cfg).transformed(prepared, h.inputs(), Map.of()).model();
                report = report.withLossless(top1(lossless, test, threads, p));
                save(report, folder);
            }
            Map<Integer, List<LabelledBatch>> samples = new HashMap<>(); // by size: the methods' samples share a prefix
            for (SweepReport.Point t : todo) {
                long start = System.nanoTime();
                CalibrationMethod m = CalibrationMethod.parse(t.method());
                Dataset searched = searchSplit.limit(SearchSample.images(m, searchImages));
                List<LabelledBatch> sample = m.searched()
                        ? samples.computeIfAbsent(searched.size(), k -> CimBuild.labelled(searched, batch)) : List.of();
                int[] last = {0};
                RangeChoice.Choice c = RangeChoice.choose(m, h, cfg.with("adc_levels", Integer.toString(t.levels())), prepared,
                        false, sample, searchOptions, (done, all) -> {
                            p.step((long) (done - last[0]) * searched.size());
                            last[0] = done;
                        });
                Model built = new CimModelBuilder(c.config()).transformed(prepared, h.inputs(), c.adc()).model();
                double top1 = top1(built, test, threads, p);
                if (rangesDir != null) {
                    PointRanges.write(rangesDir, c, m, t.levels(), h.layers(), model.getFileName().toString(), calibration);
                }
                if (folder != null) {
                    PointRanges.write(folder.ranges(), c, m, t.levels(), h.layers(), model.getFileName().toString(), calibration);
                }
                report = report.with(new SweepReport.Point(m.id(), t.levels(), top1, c.score() == null ? null : c.score().top1(),
                        c.startScore() == null ? null : c.startScore().top1(), m.searched() ? searched.size() : null,
                        (System.nanoTime() - start) / 1e9));
                save(report, folder);
            }
        }
        if (folder != null) {
            save(report, folder);
            String html = folder.writePage(model.getFileName().toString(), prepared, reportCfg, costModel, h.histograms(),
                    calibration, notes);
            if (!output.quiet()) {
                err.printf("cimq sweep: wrote %s (%,d bytes) and %s%n", folder.page(), html.length(), folder.sweepJson());
                err.flush();
            }
        }
        return printed(report, ms, ls);
    }

    /** The --json file and the report folder's sweep.json, each rewritten atomically. */
    private void save(SweepReport report, ReportFolder folder) {
        output.writeJson(report);
        if (folder != null) {
            folder.writeSweep(report);
        }
    }

    /** The cost model of --report's page, or null without --report; cost options without --report are a usage error. */
    private CostModel reportCostModel() {
        if (reportDir != null) {
            return costOptions.model(spec);
        }
        for (String o : List.of("--baseline-levels", "--energy-share", "--area-share", "--adc-type")) {
            if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                throw new ParameterException(spec.commandLine(), o + " sets the cost table of --report DIR; give --report");
            }
        }
        return null;
    }

    private int printed(SweepReport report, List<CalibrationMethod> ms, List<Integer> ls) {
        PrintWriter out = spec.commandLine().getOut();
        SweepTable.print(report, ms.stream().map(CalibrationMethod::id).toList(), ls, out);
        out.flush();
        output.writeJson(report);
        return 0;
    }

    private double top1(Model m, Dataset test, int threads, Progress p) {
        try (Engine e = CimqEngine.of(m, model, threads)) {
            return Evaluation.run(e, test, batch, p).top1();
        }
    }

    private List<Integer> checkedLevels() {
        LinkedHashSet<Integer> out = new LinkedHashSet<>();
        for (int l : levels) {
            if (l < 2 || l > CimConfig.MAX_SIZE) {
                throw new ParameterException(spec.commandLine(), "--levels: every L must be an integer from 2 to "
                        + CimConfig.MAX_SIZE + ", got " + l + (l == 0 ? " (L = 0, lossless, is always measured)" : "")
                        + (l == 1 ? " (one level is no ADC)" : ""));
            }
            out.add(l);
        }
        return new ArrayList<>(out);
    }

    private List<CalibrationMethod> checkedMethods() {
        LinkedHashSet<CalibrationMethod> out = new LinkedHashSet<>();
        for (String m : methods) {
            try {
                out.add(CalibrationMethod.parse(m.strip()));
            } catch (CimTransformException e) {
                throw new ParameterException(spec.commandLine(), "--methods: " + e.getMessage());
            }
        }
        return new ArrayList<>(out);
    }
}
