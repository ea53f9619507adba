package org.cimq.cim.train;

/**
 * What a mapped layer's CIM forward needs besides its weights, fixed for one epoch.
 *
 * @param inputScale s_x (float32, as the runtime's CimQuantizeInput uses it)
 * @param levels     ADC levels L (0: no ADC)
 * @param delta      ADC step Δ in partial-sum units (float32, as the AdcQuantize node stores it); unused when L = 0
 * @param rowStarts  the first im2col row of every array, then K ({@code TilePlan.rowStarts})
 */
public record LayerQuant(float inputScale, int levels, float delta, int[] rowStarts) {
    /** Arrays along the rows. */
    public int arrays() {
        return rowStarts.length - 1;
    }
}
