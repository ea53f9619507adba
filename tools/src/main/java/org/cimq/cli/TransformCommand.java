package org.cimq.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cimq.cim.RangesAdapter;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.RangesFile;
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
        CimBuild.Built b = CimBuildRequest.build(spec, "transform", model, data, cim, calibration, batch, output.quiet());
        CimConfig cfg = b.config();
        Model cimModel = b.result().model();
        Provenance.stamp(cimModel, b, model);
        CimBuildRequest.write(cimModel, out);
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
