package org.cimq.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cimq.cim.export.OrtLowering;
import org.cimq.cli.cim.CimBuild;
import org.cimq.cli.cim.CimBuildRequest;
import org.cimq.cli.cim.CimReport;
import org.cimq.cli.cim.CimTables;
import org.cimq.cli.cim.Provenance;
import org.cimq.ir.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cimq export MODEL --dataset ... -o OUT.onnx [--format ort|cimq]}: builds the CIM model as
 * {@code transform} does (calibrating on the train split, or with {@code --ranges}) and writes it
 * atomically with its provenance: lowered to standard ONNX ops ({@link OrtLowering}) for
 * {@code ort}, as is for {@code cimq}.
 */
@Command(name = "export", description = {"Map a float model onto CIM arrays and export it as ONNX.",
    "--format ort (default) writes standard ONNX ops only, which ONNX Runtime runs with cimq's results;",
    "--format cimq writes cimq's CIM nodes, as transform does."})
public final class ExportCommand implements Callable<Integer> {
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

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "The model to write (.onnx).")
    Path out;

    @Option(names = "--format", defaultValue = "ort", paramLabel = "FORMAT",
            description = "ort: standard ONNX ops only; cimq: cimq's CIM nodes (default: ${DEFAULT-VALUE}).")
    ExportFormat format;

    @Option(names = "--batch", defaultValue = "100", paramLabel = "B", description = "Calibration images per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() {
        CimBuild.Built b = CimBuildRequest.build(spec, "export", model, data, cim, calibration, batch, output.quiet());
        Model exported = b.result().model();
        if (format == ExportFormat.ORT) {
            OrtLowering.apply(exported);
        }
        Provenance.stamp(exported, b, model);
        exported.metadata().put(ExportFormat.METADATA_KEY, format.id());
        CimBuildRequest.write(exported, out);
        CimReport report = CimReport.of(b);
        PrintWriter stdout = spec.commandLine().getOut();
        CimTables.printReport(report, stdout);
        stdout.printf("wrote %s (format %s)%n", out, format.id());
        stdout.flush();
        output.writeJson(new ExportResult(model.toString(), exported.metadata().get(Provenance.SOURCE_SHA256),
                out.toString(), format.id(), report));
        return 0;
    }
}
