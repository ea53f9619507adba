package org.cimq.cim.cost;

import org.cimq.cim.TilePlan;

/**
 * One mapped layer's hardware cost per inference (one input image) at L ADC levels.
 *
 * @param layer          the layer's node name
 * @param arrays         R×C arrays the layer occupies
 * @param rowTiles       arrays along the im2col rows, over all groups (each is read out separately)
 * @param columns        weight-slice columns of all groups (output channels × slices, plus reference columns)
 * @param inputCycles    bit-serial input cycles (input planes)
 * @param positions      output positions per image
 * @param conversions    ADC conversions per image, one per partial sum: rowTiles × columns × inputCycles × positions
 * @param adcEnergy      ADC energy per image in baseline conversions: conversions × size(L) / size(baseline)
 */
public record LayerCost(String layer, int arrays, int rowTiles, int columns, int inputCycles, long positions,
                        long conversions, double adcEnergy) {
    /** The cost of {@code plan} at {@code levels} under {@code model}. */
    public static LayerCost of(TilePlan plan, CostModel model, int levels) {
        int rowTiles = plan.groups() * plan.rowTiles();
        int columns = plan.columnsPerGroup();
        long conversions = plan.adcConversionsPerImage();
        if (conversions != (long) rowTiles * columns * plan.planes() * plan.positions()) {
            throw new IllegalStateException(plan.layer() + ": conversions " + conversions + " != row tiles × columns × cycles"
                    + " × positions");
        }
        return new LayerCost(plan.layer(), plan.arrays(), rowTiles, plan.groups() * columns, plan.planes(), plan.positions(),
                conversions, conversions * model.adcEnergyPerConversion(levels));
    }
}
