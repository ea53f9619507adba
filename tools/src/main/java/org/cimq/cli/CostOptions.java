package org.cimq.cli;

import org.cimq.cim.cost.AdcScaling;
import org.cimq.cim.cost.CostModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The hardware cost model's parameters ({@link CostModel}), defaulting to the paper's NeuroSim
 * figures: 16-level flash ADCs taking 86% of the energy and 57% of the area.
 */
public final class CostOptions {
    @Option(names = "--baseline-levels", paramLabel = "L0", description = "ADC levels of the baseline (default 16).")
    int baselineLevels = CostModel.PAPER.baselineLevels();

    @Option(names = "--energy-share", paramLabel = "F", description = "ADC share of the baseline's energy, 0..1 (default 0.86).")
    double energyShare = CostModel.PAPER.energyShare();

    @Option(names = "--area-share", paramLabel = "F", description = "ADC share of the baseline's area, 0..1 (default 0.57).")
    double areaShare = CostModel.PAPER.areaShare();

    @Option(names = "--adc-type", paramLabel = "T",
            description = "flash (energy and area ∝ L−1 comparators, default) or sar (∝ ceil(log2 L) bit cycles).")
    String adcType = "flash";

    /** The cost model; a bad value is a usage error naming the option. */
    public CostModel model(CommandSpec spec) {
        AdcScaling scaling;
        try {
            scaling = AdcScaling.parse(adcType);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--adc-type: " + e.getMessage());
        }
        if (baselineLevels < 2) {
            throw new ParameterException(spec.commandLine(), "--baseline-levels must be >= 2, got " + baselineLevels);
        }
        check(spec, "--energy-share", energyShare);
        check(spec, "--area-share", areaShare);
        return new CostModel(baselineLevels, energyShare, areaShare, scaling);
    }

    private static void check(CommandSpec spec, String option, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new ParameterException(spec.commandLine(), option + " must be in [0, 1], got " + v);
        }
    }
}
