package org.cimq.cli.cim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.cimq.cim.QdqPreparation;
import org.cimq.cli.CalibrationOptions;
import org.cimq.cli.CimConfigOptions;
import org.cimq.cli.DataOptions;
import org.cimq.data.Split;
import org.cimq.ir.Model;
import org.cimq.onnx.OnnxImporter;
import org.cimq.onnx.OnnxWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * What {@code transform} and {@code export} share: check their options, load and prepare the
 * model, build its CIM form calibrated on the train split, and write a model atomically.
 */
public final class CimBuildRequest {
    private CimBuildRequest() {
    }

    /** Builds the CIM model of {@code model}; {@code command} names the command in usage errors. */
    public static CimBuild.Built build(CommandSpec spec, String command, Path model, DataOptions data, CimConfigOptions cim,
                                       CalibrationOptions calibration, int batch, boolean quiet) {
        checkTrainOnly(spec, command, batch);
        var cfg = cim.resolve();
        var train = data.open(spec, Split.TRAIN).limit(calibration.images(spec));
        return CimBuild.run(load(model), model, cfg, train, calibration.ranges(), batch, spec.commandLine().getErr(), quiet);
    }

    /** Usage errors for commands that calibrate on the train split: {@code --split} given, or a batch below 1. */
    public static void checkTrainOnly(CommandSpec spec, String command, int batch) {
        if (spec.commandLine().getParseResult().hasMatchedOption("--split")) {
            throw new ParameterException(spec.commandLine(), command + " calibrates on the train split; --split does not apply");
        }
        if (batch < 1) {
            throw new ParameterException(spec.commandLine(), "--batch must be >= 1, got " + batch);
        }
    }

    /** Imports and prepares a float model for the CIM transform, keeping QDQ weights ({@link QdqPreparation}). */
    public static Model load(Path model) {
        return QdqPreparation.prepare(OnnxImporter.load(model));
    }

    /** Writes {@code m} to {@code out} atomically; an I/O failure names the file. */
    public static void write(Model m, Path out) {
        try {
            OnnxWriter.write(m, out);
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": cannot write the model: " + e.getMessage(), e);
        }
    }
}
