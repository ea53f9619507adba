package org.cimq.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.DoubleStream;
import org.cimq.cim.AdcSetting;
import org.cimq.cim.CimTransformException;
import org.cimq.cim.RangeCalibration;
import org.cimq.cim.RangesAdapter;
import org.cimq.cim.calib.RangeSearch;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.Ranges;
import org.cimq.cim.config.RangesFile;
import org.cimq.cli.cim.CimBuild;
import org.cimq.cli.cim.CimBuildRequest;
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
 * {@code cimq calibrate MODEL --cim ... -L L --method M -o ranges.json --dataset ...}: finds the
 * ADC steps of every mapped layer from partial-sum histograms over the first N images of the
 * train split ({@link RangeCalibration}) and writes them as a ranges.json (with the model file
 * and the calibration images as extra fields). mse-network writes granularity network.
 */
@Command(name = "calibrate", description = {"Find ADC steps from partial-sum histograms and write them as ranges.json.",
    "Methods: minmax, sigma3 (mean ± 3σ), mse (exhaustive search, output-domain error; --plain: partial-sum MSE),",
    "mse-network (one step for all layers). Calibrates on the first images of the train split."})
public final class CalibrateCommand implements Callable<Integer> {
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

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The ranges.json to write.")
    Path out;

    @Option(names = "--method", defaultValue = "mse", paramLabel = "M",
            description = "minmax, sigma3, mse or mse-network (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--plain", description = "mse methods: minimise the plain partial-sum MSE, not the output-domain error.")
    boolean plain;

    @Option(names = "--calib-images", paramLabel = "N",
            description = "Calibrate on the first N images of the train split (default " + CalibrationOptions.DEFAULT_IMAGES + ").")
    int images = CalibrationOptions.DEFAULT_IMAGES;

    @Option(names = "--batch", defaultValue = "100", paramLabel = "B", description = "Calibration images per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    /** One layer's result in the JSON report: its steps (min and max over arrays or columns) and objective. */
    public record LayerResult(String layer, int levels, double minDelta, double maxDelta, double objective) { }

    /** The JSON report. */
    public record Result(String model, String output, String method, int images, double histogramMillis, double searchMillis,
                         List<LayerResult> layers) { }

    @Override
    public Integer call() {
        CimBuildRequest.checkTrainOnly(spec, "calibrate", batch);
        if (images < 1) {
            throw new ParameterException(spec.commandLine(), "--calib-images must be >= 1, got " + images);
        }
        RangeSearch.Method m;
        try {
            m = RangeSearch.Method.parse(method);
        } catch (CimTransformException e) {
            throw new ParameterException(spec.commandLine(), "--method: " + e.getMessage());
        }
        CimConfig cfg = cim.resolve();
        if (cfg.adcLevels() < 2) {
            throw new ParameterException(spec.commandLine(), "calibrate needs an ADC: give --adc-levels L (L >= 2)");
        }
        if (m == RangeSearch.Method.MSE_NETWORK) {
            cfg = cfg.with("granularity", "network");
        }
        Dataset train = data.open(spec, Split.TRAIN).limit(images);
        Model prepared = CimBuildRequest.load(model);
        CimBuild.check(prepared, model, train);
        PrintWriter err = spec.commandLine().getErr();
        RangeCalibration.Result r;
        try (Progress p = Progress.start(err, output.quiet(), "calibrate", 2L * train.size())) {
            r = RangeCalibration.run(cfg, prepared, CimBuild.images(train, batch), train.size(), m, plain, CimBuild.steps(p));
        }
        String name = m.id() + (plain && m != RangeSearch.Method.MINMAX && m != RangeSearch.Method.SIGMA3 ? "-plain" : "");
        Ranges base = RangesAdapter.toRanges(r.adc(), name, cfg, r.layers());
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("model", model.getFileName().toString());
        extra.put("calibration", train.name() + " train, first " + train.size() + " images");
        RangesFile.write(new Ranges(base.method(), base.granularity(), base.quantizer(), base.layers(), extra), out);

        List<LayerResult> layers = new ArrayList<>();
        TextTable table = new TextTable("  ", "layer", "L", "delta", "objective");
        for (Map.Entry<String, AdcSetting> e : r.adc().entrySet()) {
            double[] d = deltas(e.getValue());
            double min = Arrays.stream(d).min().orElseThrow();
            double max = Arrays.stream(d).max().orElseThrow();
            double obj = RangeSearch.objective(r.histograms().get(e.getKey()), e.getValue(), plain);
            layers.add(new LayerResult(e.getKey(), e.getValue().levels(), min, max, obj));
            table.row(e.getKey(), e.getValue().levels(), min == max ? fmt(min) : fmt(min) + " .. " + fmt(max),
                    String.format("%.6g", obj));
        }
        PrintWriter stdout = spec.commandLine().getOut();
        table.print(stdout);
        double ms = r.searchNanos() / 1e6;
        double hms = r.histogramNanos() / 1e6;
        stdout.printf("histograms of %d images in %.1f s; %s steps (granularity %s) searched in %.1f ms; wrote %s%n",
                train.size(), hms / 1000, name, cfg.granularity().id(), ms, out);
        stdout.flush();
        output.writeJson(new Result(model.toString(), out.toString(), name, train.size(), hms, ms, layers));
        return 0;
    }

    private static double[] deltas(AdcSetting s) {
        if (s.columnDeltas() != null) {
            return Arrays.stream(s.columnDeltas()).flatMap(Arrays::stream).flatMapToDouble(DoubleStream::of).toArray();
        }
        return s.arrayDeltas() != null ? s.arrayDeltas() : new double[] {s.delta()};
    }

    private static String fmt(double d) {
        return String.format("%.6g", d);
    }
}
