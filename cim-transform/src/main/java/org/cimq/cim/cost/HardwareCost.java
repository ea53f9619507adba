package org.cimq.cim.cost;

import java.util.ArrayList;
import java.util.List;
import org.cimq.cim.TilePlan;

/**
 * The hardware cost of a mapped network at L ADC levels under a {@link CostModel}: one
 * {@link LayerCost} per mapped layer (plan order) and the totals: arrays, ADC conversions and
 * ADC energy (in baseline conversions) per image, comparators per flash ADC (L − 1), and the
 * accelerator's energy and area relative to the baseline with their savings.
 */
public record HardwareCost(int levels, CostModel model, int comparatorsPerAdc, List<LayerCost> layers, long arrays,
                           long conversions, double adcEnergy, double relativeEnergy, double relativeArea,
                           double energySaving, double areaSaving) {
    public HardwareCost {
        layers = List.copyOf(layers);
    }

    /** The cost of the layers planned in {@code plans} at {@code levels} (≥ 2). */
    public static HardwareCost of(List<TilePlan> plans, CostModel model, int levels) {
        int comparators = CostModel.comparators(levels);
        List<LayerCost> layers = new ArrayList<>();
        long arrays = 0;
        long conversions = 0;
        double energy = 0;
        for (TilePlan p : plans) {
            LayerCost c = LayerCost.of(p, model, levels);
            layers.add(c);
            arrays += c.arrays();
            conversions += c.conversions();
            energy += c.adcEnergy();
        }
        return new HardwareCost(levels, model, comparators, layers, arrays, conversions, energy, model.relativeEnergy(levels),
                model.relativeArea(levels), model.energySaving(levels), model.areaSaving(levels));
    }
}
