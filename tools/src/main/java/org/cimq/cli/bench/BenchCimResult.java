package org.cimq.cli.bench;

import java.util.List;
import java.util.Map;

/**
 * {@code cimq bench cim}'s report: one row per engine on the same batches (ORT float first, the
 * reference of every ratio), the process's peak heap and RSS, the CIM work per image, and which
 * inner loop the fused CIM kernel ran (native AVX-512 or Java, {@code CimNative.status()}).
 */
public record BenchCimResult(String model, String dataset, String split, int images, int batch, int threads, int warmup,
                             int passes, Map<String, Object> cim, String ranges, long partialSumsPerImage, List<Row> engines,
                             long peakHeapBytes, long peakRssBytes, double cimTimeOverOrtFloat, String fusedKernelLoop) {
    /** One engine: timed seconds, images/s, ratio of its speed to ORT float's, top-1, partial sums and ADC conversions per second. */
    public record Row(String engine, String description, double seconds, double imagesPerSecond, double speedRatioToOrt,
                      double top1, double partialSumsPerSecond, double adcConversionsPerSecond) { }
}
