package org.cimq.cim.train;

import org.cimq.cim.AdcSetting;
import org.cimq.cim.config.Quantizer;

/**
 * What a mapped layer's CIM forward needs besides its weights, fixed for one epoch.
 *
 * @param inputScale   s_x (float32, as the runtime's CimQuantizeInput uses it)
 * @param levels       ADC levels L (0: no ADC)
 * @param delta        ADC step Δ in partial-sum units (float32, as the AdcQuantize node stores it) at granularity layer
 *                     (or network); unused when L = 0 or when finer steps are given
 * @param rowStarts    the first im2col row of every array, then K ({@code TilePlan.rowStarts})
 * @param arrayDeltas  one Δ per array (granularity array), or null
 * @param columnDeltas one Δ per array, weight slice and output column ({@link AdcSetting#columnDeltas()}, granularity
 *                     column), or null; at most one of the two is given
 */
public record LayerQuant(float inputScale, int levels, float delta, int[] rowStarts, double[] arrayDeltas,
                         double[][][] columnDeltas) {
    public LayerQuant {
        if (arrayDeltas != null && columnDeltas != null) {
            throw new IllegalArgumentException("per-array and per-column steps at once");
        }
    }

    /** A layer with one step (granularity layer or network). */
    public LayerQuant(float inputScale, int levels, float delta, int[] rowStarts) {
        this(inputScale, levels, delta, rowStarts, null, null);
    }

    /** Arrays along the rows. */
    public int arrays() {
        return rowStarts.length - 1;
    }

    /** Whether the steps are finer than one per layer (per array or per column). */
    public boolean finerSteps() {
        return arrayDeltas != null || columnDeltas != null;
    }

    /** This layer with another input scale, all else kept. */
    public LayerQuant withInputScale(float scale) {
        return new LayerQuant(scale, levels, delta, rowStarts, arrayDeltas, columnDeltas);
    }

    /** This layer with another single step, all else kept (only for one step per layer). */
    public LayerQuant withDelta(float step) {
        if (finerSteps()) {
            throw new IllegalStateException("a single step for a layer with per-array or per-column steps");
        }
        return new LayerQuant(inputScale, levels, step, rowStarts);
    }

    /** The ADC of this layer as the runtime builds it, with {@code quantizer}. */
    public AdcSetting adc(Quantizer quantizer) {
        return levels == 0 ? AdcSetting.NONE : new AdcSetting(levels, quantizer, delta, arrayDeltas, columnDeltas);
    }
}
