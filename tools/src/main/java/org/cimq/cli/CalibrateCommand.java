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
import org.cimq.cim.search.AccuracySearch;
import org.cimq.cim.search.CalibrationMethod;
import org.cimq.cim.search.LabelledBatch;
import org.cimq.cim.search.RangeChoice;
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
 * ADC steps of every mapped layer over the first N images of the train split ({@link StepCalibration})
 * and writes them as a ranges.json (with the model file and the calibration images as extra fields). Histogram
 * methods read the partial-sum histograms alone ({@link RangeCalibration}); {@code acc-layer} and
 * {@code acc-network} then score candidates around the mse / mse-network steps by top-1 on the
 * first {@code --search-images} of those images ({@link org.cimq.cim.search.AccuracySearch}). The network methods
 * write granularity network. The file is written once, at the end, atomically: an interrupted or
 * failed run leaves none.
 */
@Command(name = "calibrate", description = {"Find ADC steps from partial-sum histograms and write them as ranges.json.",
    "Methods: minmax, sigma3 (mean ± 3σ), mse (exhaustive search, output-domain error; --plain: partial-sum MSE),",
    "mse-network (one step for all layers), acc-layer (greedy per layer: candidates around mse scored by top-1 on",
    "labelled images), acc-network (one step, candidates around mse-network). Calibrates on the first images of",
    "the train split."})
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
            description = "minmax, sigma3, mse, mse-network, acc-layer or acc-network (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--plain", description = "mse methods: minimise the plain partial-sum MSE, not the output-domain error.")
    boolean plain;

    @Option(names = "--calib-images", paramLabel = "N",
            description = "Calibrate on the first N images of the train split (default " + CalibrationOptions.DEFAULT_IMAGES + ").")
    int images = CalibrationOptions.DEFAULT_IMAGES;

    @Option(names = "--search-images", paramLabel = "N", description = SearchSample.HELP)
    Integer searchImages;

    @Mixin
    SignificanceOption significance;

    @Option(names = "--batch", defaultValue = "100", paramLabel = "B", description = "Calibration images per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    /** One layer's result in the JSON report: its steps (min and max over arrays or columns) and objective. */
    public record LayerResult(String layer, int levels, double minDelta, double maxDelta, double objective) { }

    /**
     * The JSON report; for acc methods also the images scored, the candidates, and the top-1 on
     * those images with the starting (mse / mse-network) and the chosen steps (null otherwise).
     */
    public record Result(String model, String output, String method, int images, double histogramMillis, double searchMillis,
                         Integer searchImages, Integer candidates, Double startTop1, Double calibTop1,
                         List<LayerResult> layers) { }

    @Override
    public Integer call() {
        CimBuildRequest.checkTrainOnly(spec, "calibrate", batch);
        if (images < 1) {
            throw new ParameterException(spec.commandLine(), "--calib-images must be >= 1, got " + images);
        }
        CalibrationMethod m;
        try {
            m = CalibrationMethod.parse(method);
        } catch (CimTransformException e) {
            throw new ParameterException(spec.commandLine(), "--method: " + e.getMessage());
        }
        AccuracySearch.Options searchOptions = significance.searchOptions(spec);
        if (searchImages != null && searchImages < 1) {
            throw new ParameterException(spec.commandLine(), "--search-images must be >= 1, got " + searchImages);
        }
        CimConfig cfg = cim.resolve();
        if (cfg.adcLevels() < 2) {
            throw new ParameterException(spec.commandLine(), "calibrate needs an ADC: give --adc-levels L (L >= 2)");
        }
        Dataset train = data.open(spec, Split.TRAIN).limit(images);
        Model prepared = CimBuildRequest.load(model);
        CimBuild.check(prepared, model, train);
        PrintWriter err = spec.commandLine().getErr();
        RangeCalibration.Histograms h = StepCalibration.histograms(cfg, prepared, train, batch, err, output.quiet());
        Dataset searched = data.open(spec, Split.TRAIN).limit(SearchSample.images(m, searchImages));
        List<LabelledBatch> sample = m.searched() ? CimBuild.labelled(searched, batch) : List.of();
        long start = System.nanoTime();
        RangeChoice.Choice choice = StepCalibration.choose(m, h, cfg, prepared, plain, sample, searchOptions, err,
                output.quiet());
        long took = System.nanoTime() - start;
        cfg = choice.config();
        String name = m.id() + (plain && m != CalibrationMethod.MINMAX && m != CalibrationMethod.SIGMA3 ? "-plain" : "");
        Ranges base = RangesAdapter.toRanges(choice.adc(), name, cfg, h.layers());
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("model", model.getFileName().toString());
        extra.put("calibration", train.name() + " train, first " + train.size() + " images");
        if (m.searched()) {
            extra.put("search", "top-1 on the first " + searched.size() + " of them: " + fmt(choice.startScore().top1())
                    + " with the " + m.histogramMethod().id() + " steps, " + fmt(choice.score().top1()) + " chosen");
        }
        RangesFile.write(base.withExtra(extra), out);

        List<LayerResult> layers = new ArrayList<>();
        TextTable table = new TextTable("  ", "layer", "L", "delta", "objective");
        for (Map.Entry<String, AdcSetting> e : choice.adc().entrySet()) {
            double[] d = deltas(e.getValue());
            double min = Arrays.stream(d).min().orElseThrow();
            double max = Arrays.stream(d).max().orElseThrow();
            double obj = RangeSearch.objective(h.histograms().get(e.getKey()), e.getValue(), plain);
            layers.add(new LayerResult(e.getKey(), e.getValue().levels(), min, max, obj));
            table.row(e.getKey(), e.getValue().levels(), min == max ? fmt(min) : fmt(min) + " .. " + fmt(max),
                    String.format("%.6g", obj));
        }
        PrintWriter stdout = spec.commandLine().getOut();
        table.print(stdout);
        double ms = took / 1e6;
        double hms = h.histogramNanos() / 1e6;
        if (m.searched()) {
            stdout.printf("top-1 on %d calibration images: %.4f with the %s steps, %.4f with the %s steps (%d candidates,"
                    + " %d stopped early as sure losers)%n", searched.size(), choice.startScore().top1(), m.histogramMethod().id(),
                    choice.score().top1(), name, choice.candidates(), choice.stopped());
        }
        stdout.printf("histograms of %d images in %.1f s; %s steps (granularity %s) searched in %.1f ms; wrote %s%n",
                train.size(), hms / 1000, name, cfg.granularity().id(), ms, out);
        stdout.flush();
        output.writeJson(new Result(model.toString(), out.toString(), name, train.size(), hms, ms,
                m.searched() ? searched.size() : null, m.searched() ? choice.candidates() : null,
                m.searched() ? choice.startScore().top1() : null, m.searched() ? choice.score().top1() : null, layers));
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
