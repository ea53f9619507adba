package org.cimq.cli.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.cimq.cli.DataOptions;
import org.cimq.cli.OutputOptions;
import org.cimq.cli.engine.Engine;
import org.cimq.cli.engine.EngineKind;
import org.cimq.data.Batch;
import org.cimq.data.BatchIterator;
import org.cimq.data.Dataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cimq bench float}: the same in-memory batches through ONNX Runtime and cimq's float
 * executor. Each engine first runs {@code --warmup} batches; then every timed pass runs each
 * batch on both engines, the first engine alternating from batch to batch so that drift in
 * machine load hits both alike.
 */
@Command(name = "float", description = "Float throughput of cimq against ONNX Runtime on the same batches.")
public final class BenchFloatCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Mixin
    DataOptions data;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The .onnx file.")
    Path model;

    @Option(names = "--images", defaultValue = "1000", paramLabel = "N", description = "Images to time (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--batch", defaultValue = "100", paramLabel = "B", description = "Images per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "T", description = "Threads within an op, both engines (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--warmup", defaultValue = "1", paramLabel = "W", description = "Untimed batches per engine first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--passes", defaultValue = "1", paramLabel = "P", description = "Timed passes over the images (default: ${DEFAULT-VALUE}).")
    int passes;

    @Override
    public Integer call() {
        require(images >= 1, "--images must be >= 1, got " + images);
        require(batch >= 1, "--batch must be >= 1, got " + batch);
        require(threads >= 1, "--threads must be >= 1, got " + threads);
        require(warmup >= 0, "--warmup must be >= 0, got " + warmup);
        require(passes >= 1, "--passes must be >= 1, got " + passes);
        Dataset d = data.open(spec).limit(images);
        List<Batch> batches = load(d, batch);
        PrintWriter err = spec.commandLine().getErr();
        try (Engine ort = EngineKind.ORT.open(model, threads); Engine cimq = EngineKind.CIMQ.open(model, threads)) {
            Engine[] engines = {ort, cimq};
            if (!output.quiet()) {
                err.println("cimq bench float: " + ort.describe() + " vs " + cimq.describe() + " on " + d);
                err.flush();
            }
            EngineRace race = new EngineRace(engines, batches);
            race.warmUp(warmup);
            race.time(passes, output.quiet() ? null : err);
            BenchFloatResult r = race.result(model.toString(), d, batch, threads, warmup, passes);
            print(r, spec.commandLine().getOut());
            output.writeJson(r);
        }
        return 0;
    }

    private void require(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }

    private static List<Batch> load(Dataset d, int batchSize) {
        List<Batch> batches = new ArrayList<>();
        try (BatchIterator it = d.batches(batchSize)) {
            it.forEachRemaining(batches::add);
        }
        return batches;
    }

    static void print(BenchFloatResult r, PrintWriter out) {
        MarkdownTable t = new MarkdownTable("engine", "images/s", "ratio to ORT", "top-1");
        for (EngineTiming e : r.engines()) {
            t.row(e.engine(), String.format("%.1f", e.imagesPerSecond()), String.format("%.2f", e.ratioToOrt()),
                    String.format("%.4f", e.top1()));
        }
        t.print(out);
        out.printf("%n%d images (%s %s), batch %d, %d threads, %d warm-up batch(es), %d timed pass(es); "
                + "engines agree on %.2f%% of predictions%n", r.images(), r.dataset(), r.split(), r.batch(), r.threads(),
                r.warmup(), r.passes(), 100 * r.agreement());
        out.flush();
    }
}
