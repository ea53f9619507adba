package org.cimq.cli.bench;

import java.util.ArrayList;
import java.util.List;
import org.cimq.data.Batch;
import org.cimq.data.BatchIterator;
import org.cimq.data.Dataset;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The timing options every benchmark shares, their checks, and the in-memory batches they time. */
public final class BenchOptions {
    @Option(names = "--images", defaultValue = "1000", paramLabel = "N", description = "Images to time (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--batch", defaultValue = "100", paramLabel = "B", description = "Images per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "T", description = "Threads, every engine (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--warmup", defaultValue = "1", paramLabel = "W", description = "Untimed batches per engine first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--passes", defaultValue = "1", paramLabel = "P", description = "Timed passes over the images (default: ${DEFAULT-VALUE}).")
    int passes;

    /** Usage errors for values out of range. */
    void check(CommandSpec spec) {
        require(spec, images >= 1, "--images must be >= 1, got " + images);
        require(spec, batch >= 1, "--batch must be >= 1, got " + batch);
        require(spec, threads >= 1, "--threads must be >= 1, got " + threads);
        require(spec, warmup >= 0, "--warmup must be >= 0, got " + warmup);
        require(spec, passes >= 1, "--passes must be >= 1, got " + passes);
    }

    private static void require(CommandSpec spec, boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }

    /** All batches of {@code d}, loaded into memory before timing. */
    List<Batch> load(Dataset d) {
        List<Batch> batches = new ArrayList<>();
        try (BatchIterator it = d.batches(batch)) {
            it.forEachRemaining(batches::add);
        }
        return batches;
    }
}
