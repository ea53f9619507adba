package org.cimq.cli.cim;

import org.cimq.cim.TilePlan;

/**
 * A layer's place on the arrays, as reported: K rows and N output channels, Conv groups, S
 * weight slices, input planes, row × column tiles per group, arrays in all, the fraction of
 * their cells holding a weight digit, and ADC conversions per input image.
 */
public record PlanSummary(int k, int n, int groups, int slices, int planes, int rowTiles, int colTiles, int arrays,
                          double utilization, long adcConversionsPerImage) {
    public static PlanSummary of(TilePlan p) {
        return new PlanSummary(p.k(), p.n(), p.groups(), p.slices(), p.planes(), p.rowTiles(), p.colTiles(), p.arrays(),
                p.utilization(), p.adcConversionsPerImage());
    }
}
