package org.cimq.cli.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.cimq.cli.engine.Engine;
import org.cimq.cli.engine.Logits;
import org.cimq.data.Batch;
import org.cimq.data.Dataset;

/**
 * Times several engines on the same batches. Within a pass the engine that goes first
 * rotates from batch to batch; predictions of the first timed pass give each engine's
 * top-1 and how often the engines agree. Engine 0 is the reference for ratios.
 */
final class EngineRace {
    private final Engine[] engines;
    private final List<Batch> batches;
    private final long[] nanos;
    private final int[][] predictions;
    private final int images;

    EngineRace(Engine[] engines, List<Batch> batches) {
        this.engines = engines;
        this.batches = batches;
        this.nanos = new long[engines.length];
        this.images = batches.stream().mapToInt(Batch::count).sum();
        this.predictions = new int[engines.length][images];
        Batch first = batches.get(0);
        for (Engine e : engines) {
            e.checkInput(first.channels(), first.height(), first.width());
        }
    }

    void warmUp(int count) {
        for (int i = 0; i < count; i++) {
            for (Engine e : engines) {
                e.run(batches.get(i % batches.size()));
            }
        }
    }

    /** Runs the timed passes; {@code err}, if not null, gets one line per pass. */
    void time(int passes, PrintWriter err) {
        for (int p = 0; p < passes; p++) {
            int offset = 0;
            for (int b = 0; b < batches.size(); b++) {
                Batch batch = batches.get(b);
                for (int k = 0; k < engines.length; k++) {
                    int e = (b + p + k) % engines.length;
                    long t0 = System.nanoTime();
                    Logits l = engines[e].run(batch);
                    nanos[e] += System.nanoTime() - t0;
                    if (p == 0) {
                        for (int i = 0; i < batch.count(); i++) {
                            predictions[e][offset + i] = l.argmax(i);
                        }
                    }
                }
                offset += batch.count();
            }
            if (err != null) {
                err.printf("pass %d/%d done%n", p + 1, passes);
                err.flush();
            }
        }
    }

    /** Timed seconds of engine e over all passes. */
    double seconds(int e) {
        return nanos[e] / 1e9;
    }

    /** Images in one pass. */
    int images() {
        return images;
    }

    /** Top-1 of engine e on the first timed pass. */
    double top1(int e) {
        return fractionEqual(predictions[e], labels());
    }

    /** Fraction of images on which engines a and b predict the same class. */
    double agreement(int a, int b) {
        return fractionEqual(predictions[a], predictions[b]);
    }

    private int[] labels() {
        int[] labels = new int[images];
        int offset = 0;
        for (Batch b : batches) {
            System.arraycopy(b.labels(), 0, labels, offset, b.count());
            offset += b.count();
        }
        return labels;
    }

    BenchFloatResult result(String model, Dataset d, int batch, int threads, int warmup, int passes) {
        List<EngineTiming> timings = new ArrayList<>();
        double reference = (double) images * passes / (nanos[0] / 1e9);
        for (int e = 0; e < engines.length; e++) {
            double seconds = nanos[e] / 1e9;
            double speed = (double) images * passes / seconds;
            timings.add(new EngineTiming(engines[e].name(), engines[e].describe(), seconds, speed, speed / reference, top1(e)));
        }
        return new BenchFloatResult(model, d.name(), d.split().toString(), images, batch, threads, warmup, passes, timings,
                agreement(0, engines.length - 1));
    }

    private static double fractionEqual(int[] a, int[] b) {
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            same += a[i] == b[i] ? 1 : 0;
        }
        return a.length == 0 ? 0 : (double) same / a.length;
    }
}
