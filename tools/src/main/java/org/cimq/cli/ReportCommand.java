package org.cimq.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.cimq.cim.CimTransformException;
import org.cimq.cim.RangeCalibration;
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
import org.cimq.cli.report.ReportData;
import org.cimq.cli.report.ReportLevels;
import org.cimq.cli.report.ReportWriter;
import org.cimq.cli.report.Sweep;
import org.cimq.cli.report.SweepFile;
import org.cimq.data.Dataset;
import org.cimq.data.Split;
import org.cimq.ir.Model;
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
        CimConfig cfg = ReportLevels.resolve(cim.resolve(), spec, "report", notes);
        int levels = cfg.adcLevels();
        Sweep sweep = sweepFile != null ? SweepFile.read(sweepFile) : null;
        Model prepared = CimBuildRequest.load(model);
        if (CimNodes.isTransformed(prepared)) {
            throw new CimTransformException(model + ": already transformed (it imports domain " + CimNodes.DOMAIN
                    + "); give the float model");
        }
        CimPlans plans = CimPlans.of(prepared, cfg);
        Ranges ranges = calibration.ranges() != null ? ranges(calibration.ranges(), cfg, plans) : null;

        ReportWriter.Counts counts = null;
        if (data != null) {
            Dataset train = data.open(spec, Split.TRAIN).limit(calibration.images(spec));
            CimBuild.check(prepared, model, train);
            PrintWriter err = spec.commandLine().getErr();
            RangeCalibration.Histograms h;
            try (Progress p = Progress.start(err, output.quiet(), "histograms", 2L * train.size())) {
                h = RangeCalibration.histograms(cfg.with("granularity", "layer"), prepared, CimBuild.images(train, batch),
                        train.size(), CimBuild.steps(p));
            }
            counts = new ReportWriter.Counts(h.histograms(), ReportWriter.calibration(train.name(), train.size()), ranges,
                    ranges != null ? calibration.ranges().getFileName().toString() : null);
        }
        ReportData d = ReportWriter.data(model.getFileName().toString(), prepared, cfg, costModel, counts, sweep,
                sweepFile != null ? sweepFile.getFileName().toString() : null, notes);
        String html = ReportWriter.write(d, out);
        double seconds = (System.nanoTime() - start) / 1e9;
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("wrote %s (%d mapped layers, %s, %s; %,d bytes) in %.1f s%n", out, plans.layers().size(),
                counts != null ? "histograms of " + counts.calibration() : "no histograms",
                sweep != null ? sweep.points().size() + " sweep points" : "no sweep", html.length(), seconds);
        stdout.flush();
        output.writeJson(new Result(model.toString(), out.toString(), levels, data != null ? calibration.images(spec) : null,
                sweep != null ? sweep.points().size() : null, seconds, d.costs()));
        return 0;
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
