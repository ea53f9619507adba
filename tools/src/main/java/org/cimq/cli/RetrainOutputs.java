package org.cimq.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cimq.cim.AdcSetting;
import org.cimq.cim.CimModelBuilder;
import org.cimq.cim.MappedLayer;
import org.cimq.cim.RangeCalibration;
import org.cimq.cim.RangesAdapter;
import org.cimq.cim.calib.RangeSearch;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.LayerRange;
import org.cimq.cim.config.Ranges;
import org.cimq.cim.config.RangesFile;
import org.cimq.cim.train.LayerQuant;
import org.cimq.cim.train.Parameters;
import org.cimq.cli.cim.CimBuild;
import org.cimq.cli.cim.CimBuildRequest;
import org.cimq.cli.cim.CimEngineFactory;
import org.cimq.cli.engine.Engine;
import org.cimq.cli.engine.EngineKind;
import org.cimq.data.Dataset;
import org.cimq.ir.Model;

/**
 * What {@code retrain} does with the model it wrote: its mse ranges, found as {@code cimq calibrate
 * --method mse} finds them, and its top-1 through {@code cimq eval --cim --ranges}'s code path.
 */
final class RetrainOutputs {
    private RetrainOutputs() {
    }

    /** The prepared model with {@code params} as weights and where it came from ({@code source}, {@code recipe}), written to {@code path}. */
    static void writeModel(Model prepared, Parameters params, Path path, String recipe, Path source) {
        Model result = CimModelBuilder.copy(prepared);
        params.writeTo(result);
        result.metadata().put("cimq.retrained_from", source.getFileName().toString());
        result.metadata().put("cimq.retrain", recipe);
        CimBuildRequest.write(result, path);
    }

    /** Calibrates the written model {@code onnx} (read back from disk) and writes its ranges to {@code file}. */
    static Path writeRanges(Path onnx, Path file, CimConfig cfg, Dataset calib, PrintWriter err, boolean quiet) {
        Model exported = CimBuildRequest.load(onnx);
        RangeCalibration.Result r;
        try (Progress p = Progress.start(err, quiet, "calibrate", 2L * calib.size())) {
            r = RangeCalibration.run(cfg, exported, CimBuild.images(calib, 100), calib.size(), RangeSearch.Method.MSE, false,
                    CimBuild.steps(p));
        }
        Ranges base = RangesAdapter.toRanges(r.adc(), "mse", cfg, r.layers());
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("model", onnx.getFileName().toString());
        extra.put("calibration", calib.name() + " train, first " + calib.size() + " images");
        RangesFile.write(base.withExtra(extra), file);
        return file;
    }

    /**
     * What a run that keeps its quantizer did with it: held both, or learned the ADC steps ({@code --learn-steps}) and/or
     * the input scales ({@code --learn-input-scales}), holding the rest.
     */
    record HeldQuantizer(boolean learnedSteps, boolean learnedScales) {
        static final HeldQuantizer HELD = new HeldQuantizer(false, false);

        /** The ranges file's method: learned when anything was learned, else held. */
        String method() {
            return learnedSteps || learnedScales ? "learned" : "held";
        }

        /** The ranges file's calibration note. */
        String describe(Dataset calib) {
            String start = calib.name() + " train, first " + calib.size() + " images";
            if (!learnedSteps && !learnedScales) {
                return "held through retraining (input scales and steps of its start; " + start + ")";
            }
            return (learnedSteps ? "steps" : "input scales") + (learnedSteps && learnedScales ? " and input scales" : "")
                    + " learned in retraining" + (learnedSteps && learnedScales ? "" : learnedSteps ? ", input scales held" : ", steps held")
                    + " from its start (" + start + ")";
        }
    }

    /**
     * Writes the quantizer a {@code --hold-quantizer} run trained against: every mapped layer's L, Δ and input scale
     * (so {@code cimq eval --ranges} uses the same s_x instead of re-measuring it on the new weights).
     */
    static Path writeHeldRanges(Path onnx, Path file, Map<String, LayerQuant> quant, CimConfig cfg, Dataset calib, HeldQuantizer how,
                                List<MappedLayer> mapped) {
        Map<String, AdcSetting> steps = new LinkedHashMap<>();
        quant.forEach((name, q) -> steps.put(name, q.adc(cfg.quantizer())));
        Ranges base = RangesAdapter.toRanges(steps, how.method(), cfg, mapped);
        List<LayerRange> layers = new ArrayList<>();
        for (LayerRange l : base.layers()) {
            layers.add(l.withInputScale(quant.get(l.node()).inputScale()));
        }
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("model", onnx.getFileName().toString());
        extra.put("calibration", how.describe(calib));
        RangesFile.write(new Ranges(how.method(), base.granularity(), cfg.quantizer(), layers, extra, base.arrays()), file);
        return file;
    }

    /** Top-1 through the code path of {@code cimq eval ONNX --cim --ranges R.json --calib-images N}. */
    static Evaluation.Score evaluate(Path onnx, CimConfig cfg, Path rangesFile, Dataset calib, Dataset test, PrintWriter err,
                                     boolean quiet) {
        CimEngineFactory.Request request = new CimEngineFactory.Request(cfg, rangesFile, calib, 100);
        CimEngineFactory.Opened opened = CimEngineFactory.open(onnx, EngineKind.CIMQ, Runtime.getRuntime().availableProcessors(),
                request, err, quiet, false);
        try (Engine engine = opened.engine(); Progress p = Progress.start(err, quiet, "eval", test.size())) {
            return Evaluation.run(engine, test, 100, p);
        }
    }

    /** OUT.onnx → OUT.ranges.json next to it. */
    static Path siblingRanges(Path onnx) {
        String name = onnx.getFileName().toString();
        String stem = name.endsWith(".onnx") ? name.substring(0, name.length() - 5) : name;
        return onnx.resolveSibling(stem + ".ranges.json");
    }
}
