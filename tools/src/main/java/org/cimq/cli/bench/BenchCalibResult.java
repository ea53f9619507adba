package org.cimq.cli.bench;

import java.util.List;
import java.util.Map;

/**
 * {@code cimq bench calib}'s report: the seconds of each calibration phase in run order with its
 * share of the phases timed so far, the goals of issue 4 checked against them, the process's peak
 * heap and RSS, whether the acc searches ran on the reference kernels instead of the fused ones,
 * and whether every phase finished ({@code complete} false in the report written after each phase
 * of a run that was then interrupted).
 */
public record BenchCalibResult(String model, String dataset, int calibImages, int searchImages, int levels, int batch,
                               boolean referenceKernels, int cimThreads, String ompNumThreads, Map<String, Object> cim,
                               List<Phase> phases,
                               double totalSeconds, List<Goal> goals, long peakHeapBytes, long peakRssBytes,
                               boolean complete) {
    /**
     * One phase: seconds and share of the total; for the acc methods also the candidates scored, how
     * many of them stopped before the end of the sample as sure losers, and the search sample's top-1
     * with the starting and with the chosen steps (null otherwise).
     */
    public record Phase(String phase, double seconds, double share, Integer candidates, Integer stoppedEarly, Double startTop1,
                        Double top1) { }

    /** A time limit on the sum of some phases; {@code seconds} and {@code met} are null until they all ran. */
    public record Goal(String goal, List<String> phases, double limitSeconds, Double seconds, Boolean met) { }
}
