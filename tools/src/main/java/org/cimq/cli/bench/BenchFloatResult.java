package org.cimq.cli.bench;

import java.util.List;

/**
 * The outcome of {@code cimq bench float}, as written to JSON. {@code agreement} is the
 * fraction of images on which both engines predict the same class.
 */
public record BenchFloatResult(String model, String dataset, String split, int images, int batch, int threads,
                               int warmup, int passes, List<EngineTiming> engines, double agreement) {
}
