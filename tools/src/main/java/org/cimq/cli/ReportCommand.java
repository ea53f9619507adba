package org.cimq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.cimq.cim.CimTransformException;
import org.cimq.cim.RangeCalibration;
import org.cimq.cim.calib.RangeSearch;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.CimConfigException;
import org.cimq.cim.config.LayerRange;
import org.cimq.cim.config.Ranges;
import org.cimq.cim.config.RangesFile;
import org.cimq.cim.cost.CostModel;
import org.cimq.cim.cost.HardwareCost;
import org.cimq.cli.cim.CimBuild;
import org.cimq.cli.cim.CimBuildRequest;
import org.cimq.cli.cim.CimNodes;
import org.cimq.cli.cim.CimPlans;
import org.cimq.cli.report.LayerHistogram;
import org.cimq.cli.report.ReportData;
import org.cimq.cli.report.ReportHistograms;
import org.cimq.cli.report.ReportHtml;
import org.cimq.cli.report.Sweep;
import org.cimq.cli.report.SweepFile;
import org.cimq.data.Dataset;
import org.cimq.data.Split;
import org.cimq.ir.Model;
import org.cimq.onnx.AtomicFiles;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cimq report MODEL --cim ... [-L 3] [--dataset D --data DIR --calib-images N] [--ranges R.json]
 * [--sweep SWEEP.json] -o report.html}: one self-contained HTML page with the tile plan, each mapped
 * layer's partial-sum histogram with the ADC drawn on it (when data is given), accuracy against ADC
 * levels (when a sweep is given) and the hardware cost. The sweep and ranges files are read before
 * any data; the page is written atomically at the end.
 */
@Command(name = "report", description = {"Write an HTML report: tile plan, partial-sum histograms with the ADC levels,",
    "accuracy against ADC levels (from a sweep JSON) and hardware cost. Self-contained: inline SVG, no network."})
public final class ReportCommand implements Callable<Integer> {
    /** L when neither -L nor the configuration gives one: the paper's headline ADC. */
    static final int DEFAULT_LEVELS = 3;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Mixin
    CimConfigOptions cim;

    @Mixin
    CostOptions costOptions;

    @ArgGroup(exclusive = false, heading = "Calibration data (optional: without it, no histograms)%n")
    DataOptions data;

    @Mixin
    CalibrationOptions calibration;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The float .onnx file.")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The .html file to write.")
    Path out;

    @Option(names = "--sweep", paramLabel = "FILE", description = "Accuracy sweep JSON (top-1 per method and L).")
    Path sweepFile;

    @Option(names = "--batch", defaultValue = "100", paramLabel = "B", description = "Calibration images per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    /** The JSON report: what was written, at which L, from how much data, in how long, and the costs shown. */
    public record Result(String model, String output, int levels, Integer calibImages, Integer sweepPoints, double seconds,
                         List<HardwareCost> costs) { }

    @Override
    public Integer call() {
        long start = System.nanoTime();
        CostModel costModel = costOptions.model(spec);
        if (data == null && calibration.images != null) {
            throw new ParameterException(spec.commandLine(), "--calib-images needs --dataset");
        }
        if (data != null) {
            CimBuildRequest.checkTrainOnly(spec, "report", batch);
        }
        List<String> notes = new ArrayList<>();
        CimConfig cfg = withLevels(cim.resolve(), notes);
        int levels = cfg.adcLevels();
        Sweep sweep = sweepFile != null ? SweepFile.read(sweepFile) : null;
        Model prepared = CimBuildRequest.load(model);
        if (CimNodes.isTransformed(prepared)) {
            throw new CimTransformException(model + ": already transformed (it imports domain " + CimNodes.DOMAIN
                    + "); give the float model");
        }
        CimPlans plans = CimPlans.of(prepared, cfg);
        Ranges ranges = calibration.ranges() != null ? ranges(calibration.ranges(), cfg, plans) : null;

        List<LayerHistogram> histograms = null;
        String calibrated = null;
        if (data != null) {
            Dataset train = data.open(spec, Split.TRAIN).limit(calibration.images(spec));
            CimBuild.check(prepared, model, train);
            PrintWriter err = spec.commandLine().getErr();
            RangeCalibration.Result r;
            try (Progress p = Progress.start(err, output.quiet(), "histograms", 2L * train.size())) {
                r = RangeCalibration.run(cfg.with("granularity", "layer"), prepared, CimBuild.images(train, batch), train.size(),
                        RangeSearch.Method.MSE, false, CimBuild.steps(p));
            }
            histograms = ReportHistograms.of(r.histograms(), levels, cfg.quantizer(), ranges,
                    ranges != null ? calibration.ranges().getFileName().toString() : null);
            calibrated = train.name() + " train, first " + train.size() + " images";
        }
        List<HardwareCost> costs = new ArrayList<>();
        var tilePlans = CimPlans.tilePlans(prepared, cfg);
        costs.add(HardwareCost.of(tilePlans, costModel, levels));
        TreeSet<Integer> others = new TreeSet<>(List.of(2, 3, 4, 5, 8, 9, 16, costModel.baselineLevels()));
        if (sweep != null) {
            sweep.points().forEach(p -> others.add(p.levels()));
        }
        others.removeIf(l -> l < 2 || l == levels);
        others.forEach(l -> costs.add(HardwareCost.of(tilePlans, costModel, l)));

        String source = histograms == null ? "none (no data)" : ranges != null ? "file:" + calibration.ranges().getFileName()
                : "mse (searched on the calibration images)";
        ReportData d = new ReportData(model.getFileName().toString(), plans, levels, source, calibrated, histograms, sweep,
                sweepFile != null ? sweepFile.getFileName().toString() : null, costs, notes);
        String html = ReportHtml.render(d);
        try {
            AtomicFiles.writeString(out, html);
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": cannot write the report: " + e.getMessage(), e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("wrote %s (%d mapped layers, %s, %s; %,d bytes) in %.1f s%n", out, plans.layers().size(),
                histograms != null ? "histograms of " + calibrated : "no histograms",
                sweep != null ? sweep.points().size() + " sweep points" : "no sweep", html.length(), seconds);
        stdout.flush();
        output.writeJson(new Result(model.toString(), out.toString(), levels, data != null ? calibration.images(spec) : null,
                sweep != null ? sweep.points().size() : null, seconds, costs));
        return 0;
    }

    /** cfg with L = 3 when no L was given; an explicit L below 2 (0 = no ADC) is a usage error. */
    private CimConfig withLevels(CimConfig cfg, List<String> notes) {
        if (cfg.adcLevels() >= 2) {
            return cfg;
        }
        boolean given = spec.commandLine().getParseResult().hasMatchedOption("--adc-levels");
        if (given) {
            throw new ParameterException(spec.commandLine(), "report needs an ADC: -L must be >= 2; L = 0 (no ADC) is not a cost "
                    + "point");
        }
        notes.add("No ADC levels were given (-L); the report uses L = " + DEFAULT_LEVELS + ".");
        return cfg.with("adc_levels", String.valueOf(DEFAULT_LEVELS));
    }

    /** The ranges file, checked against the configuration, the mapped layers and L; errors name the file. */
    private static Ranges ranges(Path file, CimConfig cfg, CimPlans plans) {
        Ranges r = RangesFile.read(file);
        r.checkMatches(cfg, file.toString());
        List<String> mapped = plans.layers().stream().map(CimPlans.Row::layer).toList();
        r.checkCovers(mapped, file.toString());
        for (String layer : mapped) {
            LayerRange l = r.forNode(layer).orElseThrow();
            if (l.levels() != cfg.adcLevels()) {
                throw new CimConfigException(file + ": layer '" + layer + "': levels: " + l.levels() + ", the report is for L = "
                        + cfg.adcLevels());
            }
        }
        return r;
    }
}
