package org.cimq.cli.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cimq.cim.CimModelBuilder;
import org.cimq.cim.TilePlan;
import org.cimq.cim.config.CimConfig;
import org.cimq.cli.CalibrationOptions;
import org.cimq.cli.CimConfigOptions;
import org.cimq.cli.DataOptions;
import org.cimq.cli.OutputOptions;
import org.cimq.cli.cim.CimBuild;
import org.cimq.cli.cim.CimBuildRequest;
import org.cimq.cli.engine.CimqEngine;
import org.cimq.cli.engine.Engine;
import org.cimq.cli.engine.EngineKind;
import org.cimq.data.Batch;
import org.cimq.runtime.cim.CimNative;
import org.cimq.data.Dataset;
import org.cimq.data.Split;
import org.cimq.ir.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cimq bench cim}: on the same in-memory batches, ONNX Runtime float, cimq float, cimq
 * CIM with the ADC (L from the configuration, 3 when it says none; minmax steps or
 * {@code --ranges}) and cimq CIM with L = 0 (same input scales), optionally the CIM model on the
 * reference kernels too. Engines alternate batch by batch ({@link EngineRace}); ratios are of
 * speeds measured in this one run. Peak heap and RSS are the whole process's (all engines).
 */
@Command(name = "cim", description = {"CIM simulation throughput against float inference (ORT and cimq) on the same batches.",
    "Prints images/s, the ratio of each engine to ORT float, partial sums and ADC conversions per second, peak heap and RSS."})
public final class BenchCimCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Mixin
    DataOptions data;

    @Mixin
    BenchOptions bench;

    @Mixin
    CimConfigOptions cim;

    @Mixin
    CalibrationOptions calibration;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The float .onnx file.")
    Path model;

    @Option(names = "--reference-kernels", description = "Also time the CIM model on the plain per-array kernels (slow).")
    boolean reference;

    @Override
    public Integer call() {
        bench.check(spec);
        CimConfig cfg = cim.resolve();
        if (cfg.adcLevels() == 0) {
            cfg = cfg.with("adc_levels", "3");
        }
        PrintWriter err = spec.commandLine().getErr();
        Dataset test = data.open(spec).limit(bench.images);
        Dataset train = data.open(spec, Split.TRAIN).limit(calibration.images(spec));
        Model prepared = CimBuildRequest.load(model);
        CimBuild.Built built = CimBuild.run(prepared, model, cfg, train, calibration.ranges(), bench.batch, err, output.quiet());
        CimModelBuilder.Result lossless = new CimModelBuilder(cfg.with("adc_levels", "0"))
                .transformed(prepared, built.result().inputs(), Map.of());
        long partialSums = built.result().plans().values().stream().mapToLong(TilePlan::adcConversionsPerImage).sum();
        List<Batch> batches = bench.load(test);
        List<String> labels = new ArrayList<>(List.of("ort float", "cimq float", "cimq cim L=" + cfg.adcLevels(), "cimq cim L=0"));
        List<Engine> engines = new ArrayList<>();
        try {
            engines.add(EngineKind.ORT.open(model, bench.threads));
            engines.add(EngineKind.CIMQ.open(model, bench.threads));
            engines.add(CimqEngine.of(built.result().model(), model, bench.threads, false));
            engines.add(CimqEngine.of(lossless.model(), model, bench.threads, false));
            if (reference) {
                labels.add("cimq cim L=" + cfg.adcLevels() + " reference kernels");
                engines.add(CimqEngine.of(built.result().model(), model, bench.threads, true));
            }
            if (!output.quiet()) {
                err.println("cimq bench cim: " + engines.size() + " engines on " + test + ", " + partialSums
                        + " partial sums per image");
                err.flush();
            }
            EngineRace race = new EngineRace(engines.toArray(Engine[]::new), batches);
            race.warmUp(bench.warmup);
            race.time(bench.passes, output.quiet() ? null : err);
            BenchCimResult r = result(race, labels, engines, test, cfg, built, partialSums);
            print(r, spec.commandLine().getOut());
            output.writeJson(r);
        } finally {
            for (Engine e : engines) {
                e.close();
            }
        }
        return 0;
    }

    private BenchCimResult result(EngineRace race, List<String> labels, List<Engine> engines, Dataset test, CimConfig cfg,
                                  CimBuild.Built built, long partialSums) {
        double ortSpeed = (double) race.images() * bench.passes / race.seconds(0);
        List<BenchCimResult.Row> rows = new ArrayList<>();
        for (int e = 0; e < engines.size(); e++) {
            double speed = (double) race.images() * bench.passes / race.seconds(e);
            boolean isCim = e >= 2;
            boolean hasAdc = e == 2 || e == 4;
            rows.add(new BenchCimResult.Row(labels.get(e), engines.get(e).describe(), race.seconds(e), speed, speed / ortSpeed,
                    race.top1(e), isCim ? speed * partialSums : 0, hasAdc ? speed * partialSums : 0));
        }
        PeakMemory mem = PeakMemory.now();
        return new BenchCimResult(model.toString(), test.name(), test.split().toString(), race.images(), bench.batch, bench.threads, bench.warmup,
                bench.passes, cfg.toMap(), built.rangesMethod(), partialSums, rows, mem.heapBytes(), mem.rssBytes(),
                race.seconds(2) / race.seconds(0), CimNative.status());
    }

    static void print(BenchCimResult r, PrintWriter out) {
        MarkdownTable t = new MarkdownTable("engine", "images/s", "speed / ORT float", "top-1", "partial sums/s", "ADC conv/s");
        for (BenchCimResult.Row e : r.engines()) {
            t.row(e.engine(), String.format("%.1f", e.imagesPerSecond()), String.format("%.3f", e.speedRatioToOrt()),
                    String.format("%.4f", e.top1()), String.format("%.3g", e.partialSumsPerSecond()),
                    String.format("%.3g", e.adcConversionsPerSecond()));
        }
        t.print(out);
        out.printf("%nCIM (L with ADC) time / ORT float time: %.1fx; %d partial sums per image; peak heap %.0f MB, "
                + "peak RSS %s (whole process)%n", r.cimTimeOverOrtFloat(), r.partialSumsPerImage(), r.peakHeapBytes() / 1e6,
                r.peakRssBytes() < 0 ? "unknown" : String.format("%.0f MB", r.peakRssBytes() / 1e6));
        out.printf("%d images (%s %s), batch %d, %d threads, %d warm-up batch(es), %d timed pass(es); ADC steps: %s;"
                + " fused kernel loop: %s%n", r.images(), r.dataset(), r.split(), r.batch(), r.threads(), r.warmup(), r.passes(),
                r.ranges(), r.fusedKernelLoop());
        out.flush();
    }
}
