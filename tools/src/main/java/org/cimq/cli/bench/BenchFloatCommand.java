package org.cimq.cli.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.cimq.cli.DataOptions;
import org.cimq.cli.OutputOptions;
import org.cimq.cli.engine.Engine;
import org.cimq.cli.engine.EngineKind;
import org.cimq.data.Batch;
import org.cimq.data.Dataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

    @Mixin
    BenchOptions bench;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The .onnx file.")
    Path model;

    @Override
    public Integer call() {
        bench.check(spec);
        Dataset d = data.open(spec).limit(bench.images);
        List<Batch> batches = bench.load(d);
        PrintWriter err = spec.commandLine().getErr();
        try (Engine ort = EngineKind.ORT.open(model, bench.threads); Engine cimq = EngineKind.CIMQ.open(model, bench.threads)) {
            Engine[] engines = {ort, cimq};
            if (!output.quiet()) {
                err.println("cimq bench float: " + ort.describe() + " vs " + cimq.describe() + " on " + d);
                err.flush();
            }
            EngineRace race = new EngineRace(engines, batches);
            race.warmUp(bench.warmup);
            race.time(bench.passes, output.quiet() ? null : err);
            BenchFloatResult r = race.result(model.toString(), d, bench.batch, bench.threads, bench.warmup, bench.passes);
            print(r, spec.commandLine().getOut());
            output.writeJson(r);
        }
        return 0;
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
