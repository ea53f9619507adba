package org.cimq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cimq.cim.RangesAdapter;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.RangesFile;
import org.cimq.cli.cim.CimBuild;
import org.cimq.cli.cim.CimReport;
import org.cimq.cli.cim.CimTables;
import org.cimq.cli.cim.Provenance;
import org.cimq.data.Dataset;
import org.cimq.data.Split;
import org.cimq.ir.Model;
import org.cimq.onnx.OnnxWriter;
import org.cimq.cim.QdqPreparation;
import org.cimq.onnx.OnnxImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cimq transform MODEL --dataset ... -o OUT.onnx}: maps a float model onto CIM arrays,
 * calibrating on the first images of the train split, and writes the CIM model (atomically)
 * with its provenance in metadata_props ({@link Provenance}).
 */
@Command(name = "transform", description = {"Map a float model onto CIM arrays and write the CIM model as ONNX.",
    "Input scales (and minmax ADC steps, unless --ranges gives them) come from the first images of the train split."})
public final class TransformCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Mixin
    DataOptions data;

    @Mixin
    CimConfigOptions cim;

    @Mixin
    CalibrationOptions calibration;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The float .onnx file.")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "The CIM model to write (.onnx).")
    Path out;

    @Option(names = "--ranges-out", paramLabel = "FILE", description = "Also write the ADC steps used as a ranges.json.")
    Path rangesOut;

    @Option(names = "--batch", defaultValue = "100", paramLabel = "B", description = "Calibration images per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() {
        if (spec.commandLine().getParseResult().hasMatchedOption("--split")) {
            throw new ParameterException(spec.commandLine(), "transform calibrates on the train split; --split does not apply");
        }
        if (batch < 1) {
            throw new ParameterException(spec.commandLine(), "--batch must be >= 1, got " + batch);
        }
        CimConfig cfg = cim.resolve();
        Dataset train = data.open(spec, Split.TRAIN).limit(calibration.images(spec));
        Model prepared = QdqPreparation.prepare(OnnxImporter.load(model));
        PrintWriter err = spec.commandLine().getErr();
        CimBuild.Built b = CimBuild.run(prepared, model, cfg, train, calibration.ranges(), batch, err, output.quiet());
        Model cimModel = b.result().model();
        Provenance.stamp(cimModel, b, model);
        try {
            OnnxWriter.write(cimModel, out);
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": cannot write the model: " + e.getMessage(), e);
        }
        if (rangesOut != null) {
            RangesFile.write(RangesAdapter.toRanges(b.result().adc(), b.rangesMethod(), cfg), rangesOut);
        }
        CimReport report = CimReport.of(b);
        PrintWriter stdout = spec.commandLine().getOut();
        CimTables.printReport(report, stdout);
        stdout.printf("wrote %s%s%n", out, rangesOut != null ? " and " + rangesOut : "");
        stdout.flush();
        output.writeJson(new TransformResult(model.toString(), cimModel.metadata().get(Provenance.SOURCE_SHA256),
                out.toString(), rangesOut == null ? null : rangesOut.toString(), report));
        return 0;
    }
}
