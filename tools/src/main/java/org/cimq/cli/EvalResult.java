package org.cimq.cli;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;
import org.cimq.cli.cim.CimReport;

/**
 * The outcome of {@code cimq eval}, as written to JSON: {@code top1} is a fraction in [0, 1];
 * for a CIM model the {@link CimReport}'s fields ({@code cim}, {@code layers}, {@code totals}, ...)
 * follow at the top level, absent for a float model.
 */
public record EvalResult(String model, String engine, String dataset, String split, int images, int correct,
                         double top1, double seconds, double imagesPerSecond, int batch, int threads,
                         List<Float> mean, List<Float> std, @JsonUnwrapped CimReport cimReport) {
}
