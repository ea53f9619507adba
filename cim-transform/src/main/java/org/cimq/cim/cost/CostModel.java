package org.cimq.cim.cost;

/**
 * Energy and area of a CIM accelerator relative to the same accelerator with
 * {@code baselineLevels}-level ADCs, the ADCs taking the fractions {@code energyShare} and
 * {@code areaShare} of the baseline's total. Only the ADC part changes with L, by
 * {@link AdcScaling#size}(L) / size(baseline); the rest (arrays, drivers, shift-add, buffers) is
 * unchanged:
 * <pre>
 *   relative energy(L) = (1 − energyShare) + energyShare · size(L) / size(baseline)
 *   relative area(L)   = (1 − areaShare)   + areaShare   · size(L) / size(baseline)
 * </pre>
 * {@link #PAPER} is the paper's NeuroSim setting (128×128 arrays, 32 nm, flash ADCs: at 16 levels
 * the ADCs are 86% of the energy and 57% of the area), so with flash ADCs
 * energy(L) = 0.14 + 0.86·(L−1)/15 and area(L) = 0.43 + 0.57·(L−1)/15. The shares hold for the
 * whole accelerator, so every layer's relative cost is the same; per layer, the ADC energy is
 * counted in baseline conversions ({@link #adcEnergyPerConversion}).
 */
public record CostModel(int baselineLevels, double energyShare, double areaShare, AdcScaling scaling) {
    /** The paper's figures: 16-level flash ADCs, 86% of the energy, 57% of the area. */
    public static final CostModel PAPER = new CostModel(16, 0.86, 0.57, AdcScaling.FLASH);

    public CostModel {
        if (baselineLevels < 2) {
            throw new IllegalArgumentException("baseline levels must be >= 2, got " + baselineLevels);
        }
        share("energy share", energyShare);
        share("area share", areaShare);
        if (scaling == null) {
            throw new IllegalArgumentException("ADC scaling is missing");
        }
    }

    private static void share(String what, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1], got " + v);
        }
    }

    /** Comparators of one flash ADC with L levels: L − 1. */
    public static int comparators(int levels) {
        check(levels);
        return levels - 1;
    }

    /** Energy (and area) of one L-level ADC relative to one baseline ADC: size(L) / size(baseline). */
    public double adcEnergyPerConversion(int levels) {
        check(levels);
        return scaling.size(levels) / scaling.size(baselineLevels);
    }

    /** Total energy relative to the baseline. */
    public double relativeEnergy(int levels) {
        return 1 - energyShare + energyShare * adcEnergyPerConversion(levels);
    }

    /** Total area relative to the baseline. */
    public double relativeArea(int levels) {
        return 1 - areaShare + areaShare * adcEnergyPerConversion(levels);
    }

    /** 1 − relative energy: the fraction of the baseline's energy saved (negative when L costs more). */
    public double energySaving(int levels) {
        return 1 - relativeEnergy(levels);
    }

    /** 1 − relative area. */
    public double areaSaving(int levels) {
        return 1 - relativeArea(levels);
    }

    private static void check(int levels) {
        if (levels < 2) {
            throw new IllegalArgumentException("L = " + levels + " is not a cost point: an ADC has at least 2 levels"
                    + (levels == 0 ? " (L = 0 means no ADC, a lossless reference)" : ""));
        }
    }
}
