package org.cimq.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cimq.cli.cim.CimEngineFactory;
import org.cimq.cli.cim.CimReport;
import org.cimq.cli.cim.CimTables;
import org.cimq.cli.engine.Engine;
import org.cimq.cli.engine.EngineKind;
import org.cimq.data.Dataset;
import org.cimq.data.Split;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cimq eval MODEL --dataset ...}: top-1 accuracy of a classifier on a data set; with CIM
 * options, of its CIM model built here (calibrated on the train split), and of an
 * already-transformed model as it is.
 */
@Command(name = "eval", description = {"Top-1 accuracy of a classification model on a data set.",
    "With --cim or any CIM option, of its CIM model, calibrated on the first images of the train split; "
            + "a model already transformed by 'cimq transform' runs as it is."})
public final class EvalCommand implements Callable<Integer> {
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

    @Parameters(index = "0", paramLabel = "MODEL", description = "The .onnx file.")
    Path model;

    @Option(names = "--limit", paramLabel = "N", description = "Only the first N images.")
    Integer limit;

    @Option(names = "--batch", defaultValue = "100", paramLabel = "B", description = "Images per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--engine", defaultValue = "cimq", paramLabel = "ENGINE", description = "cimq or ort (default: ${DEFAULT-VALUE}).")
    EngineKind engineKind;

    @Option(names = "--reference-kernels",
            description = "Run CIM layers on the plain per-array kernels instead of the bit-packed one (same results, slower).")
    boolean referenceKernels;

    @Option(names = "--threads", paramLabel = "T", description = "Threads within an op (default: number of processors).")
    Integer threads;

    @Override
    public Integer call() {
        if (batch < 1) {
            throw new ParameterException(spec.commandLine(), "--batch must be >= 1, got " + batch);
        }
        if (limit != null && limit < 0) {
            throw new ParameterException(spec.commandLine(), "--limit must be >= 0, got " + limit);
        }
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (t < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be >= 1, got " + t);
        }
        boolean cimAsked = cim.given() || calibration.given();
        if (cimAsked && engineKind != EngineKind.CIMQ) {
            throw new ParameterException(spec.commandLine(), "CIM models run on --engine cimq only");
        }
        CimEngineFactory.Request request = cimAsked ? new CimEngineFactory.Request(cim.resolve(), calibration.ranges(),
                data.open(spec, Split.TRAIN).limit(calibration.images(spec)), batch) : null;
        Dataset d = data.open(spec);
        if (limit != null) {
            d = d.limit(limit);
        }
        PrintWriter err = spec.commandLine().getErr();
        Evaluation.Score score;
        String engineName;
        CimReport report;
        CimEngineFactory.Opened opened = CimEngineFactory.open(model, engineKind, t, request, err, output.quiet(), referenceKernels);
        try (Engine engine = opened.engine()) {
            report = opened.report();
            engineName = engine.name();
            if (!output.quiet()) {
                err.println("cimq eval: " + engine.describe() + " on " + d);
                err.flush();
            }
            try (Progress p = Progress.start(err, output.quiet(), "eval", d.size())) {
                score = Evaluation.run(engine, d, batch, p);
            }
        }
        EvalResult r = new EvalResult(model.toString(), engineName, d.name(), d.split().toString(), score.images(),
                score.correct(), score.top1(), score.seconds(), score.images() / Math.max(score.seconds(), 1e-9),
                batch, t, boxed(d.normalization().mean()), boxed(d.normalization().std()), report);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("top-1 %.4f (%d/%d) on %s %s, engine %s, %.2f s (%.1f images/s)%n", r.top1(), r.correct(), r.images(),
                r.dataset(), r.split(), r.engine(), r.seconds(), r.imagesPerSecond());
        if (report != null) {
            CimTables.printReport(report, out);
        }
        out.flush();
        output.writeJson(r);
        return 0;
    }

    static java.util.List<Float> boxed(float[] v) {
        java.util.List<Float> l = new java.util.ArrayList<>();
        for (float f : v) {
            l.add(f);
        }
        return l;
    }
}
