package org.cimq.cli;

import java.util.List;

/** The outcome of {@code cimq eval}, as written to JSON: {@code top1} is a fraction in [0, 1]. */
public record EvalResult(String model, String engine, String dataset, String split, int images, int correct,
                         double top1, double seconds, double imagesPerSecond, int batch, int threads,
                         List<Float> mean, List<Float> std) {
}
