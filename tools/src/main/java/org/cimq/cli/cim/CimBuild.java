package org.cimq.cli.cim;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.cimq.cim.AdcSetting;
import org.cimq.cim.CimModelBuilder;
import org.cimq.cim.CimTransformException;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.Ranges;
import org.cimq.cim.config.RangesFile;
import org.cimq.cim.search.LabelledBatch;
import org.cimq.cli.Progress;
import org.cimq.cli.engine.Engine;
import org.cimq.data.Batch;
import org.cimq.data.BatchIterator;
import org.cimq.data.Dataset;
import org.cimq.ir.Model;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Builds the CIM model of a prepared float model with {@link CimModelBuilder}: input scales from
 * the calibration images, ADC steps by minmax over the same images (two passes) or from a
 * ranges file (checked against the configuration's granularity and quantizer first).
 */
public final class CimBuild {
    /** The images calibration read: data set name, split and count. */
    public record Calibration(String dataset, String split, int images) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dataset", dataset);
            m.put("split", split);
            m.put("images", images);
            return m;
        }
    }

    /**
     * A built model with its configuration, how its ADC steps were found ("minmax", "file:NAME",
     * or "none" when L = 0 and no file was given) and its calibration images.
     */
    public record Built(CimConfig config, CimModelBuilder.Result result, String rangesMethod, Calibration calibration) { }

    private CimBuild() {
    }

    /**
     * @param source      the model file, for messages
     * @param calibration the calibration images (already limited to N)
     * @param rangesFile  a ranges.json, or null for minmax steps
     */
    public static Built run(Model prepared, Path source, CimConfig cfg, Dataset calibration, Path rangesFile, int batch,
                            PrintWriter err, boolean quiet) {
        check(prepared, source, calibration);
        Ranges ranges = null;
        if (rangesFile != null) {
            ranges = RangesFile.read(rangesFile);
            ranges.checkMatches(cfg, rangesFile.toString());
        }
        boolean minmax = ranges == null && cfg.adcLevels() > 0;
        if (!quiet) {
            err.println("cimq: calibrating on " + calibration + (minmax ? ": input scales, then minmax ADC steps" : ""));
            err.flush();
        }
        Supplier<Iterator<INDArray>> images = () -> arrays(calibration.batches(batch));
        CimModelBuilder builder = new CimModelBuilder(cfg);
        CimModelBuilder.Result result;
        try (Progress p = Progress.start(err, quiet, "calibrate", (long) calibration.size() * (minmax ? 2 : 1))) {
            IntConsumer done = steps(p);
            result = ranges != null
                    ? builder.build(prepared, images, calibration.size(), ranges, rangesFile.toString(), done)
                    : builder.build(prepared, images, calibration.size(), (Map<String, AdcSetting>) null, done);
        }
        String method = ranges != null ? "file:" + rangesFile.getFileName() : minmax ? "minmax" : "none";
        return new Built(cfg, result, method,
                new Calibration(calibration.name(), calibration.split().toString(), calibration.size()));
    }

    /** Refuses a model already transformed, or calibration images that do not fit its input or are none. */
    public static void check(Model prepared, Path source, Dataset calibration) {
        if (CimNodes.isTransformed(prepared)) {
            throw new CimTransformException(source + ": already transformed (it imports domain " + CimNodes.DOMAIN
                    + "); run it without CIM options");
        }
        Value input = prepared.graph().inputs().get(0);
        TensorType t = input.type();
        Engine.checkInput(input.name(), t == null || !t.hasRank() ? null : t.shapeOrMinusOne(), calibration.channels(),
                calibration.height(), calibration.width());
        if (calibration.size() == 0) {
            throw new IllegalArgumentException(calibration + ": no images to calibrate on");
        }
    }

    /** A fresh iterator over the images of {@code d} in batches of {@code batch}, at each call. */
    public static Supplier<Iterator<INDArray>> images(Dataset d, int batch) {
        return () -> arrays(d.batches(batch));
    }

    /** Turns the builder's "images done in this pass" into progress steps; a smaller count starts a new pass. */
    public static IntConsumer steps(Progress p) {
        int[] last = {0};
        return done -> {
            p.step(done >= last[0] ? done - last[0] : done);
            last[0] = done;
        };
    }

    /** The images of {@code d} with their labels, in batches of {@code batch}, read into memory. */
    public static List<LabelledBatch> labelled(Dataset d, int batch) {
        List<LabelledBatch> out = new ArrayList<>();
        try (BatchIterator it = d.batches(batch)) {
            while (it.hasNext()) {
                Batch b = it.next();
                out.add(new LabelledBatch(b.toNdArray(), b.labels()));
            }
        }
        return out;
    }

    private static Iterator<INDArray> arrays(BatchIterator batches) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return batches.hasNext();
            }

            @Override
            public INDArray next() {
                return batches.next().toNdArray();
            }
        };
    }
}
