package org.cimq.cim.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The cost model's numbers against hand computations and the paper's reported savings (PAPER.md). */
class CostModelTest {
    private static final double EPS = 1e-12;

    @Test
    void flashAtThreeLevelsByHand() {
        CostModel m = CostModel.PAPER;
        // ADC part: (3 − 1) / (16 − 1) = 2/15 of the baseline's
        assertEquals(2.0 / 15, m.adcEnergyPerConversion(3), EPS);
        assertEquals(0.14 + 0.86 * 2 / 15, m.relativeEnergy(3), EPS);   // 0.254667
        assertEquals(0.43 + 0.57 * 2 / 15, m.relativeArea(3), EPS);     // 0.506
        assertEquals(0.7453333333333333, m.energySaving(3), 1e-12);
        assertEquals(0.494, m.areaSaving(3), 1e-12);
        assertEquals(2, CostModel.comparators(3));
        assertEquals(15, CostModel.comparators(16));
    }

    @Test
    void threeLevelsMatchThePapersReportedSavings() {
        CostModel m = CostModel.PAPER;
        // paper: 16 → 3 levels saves 46–74% of the energy (CIFAR-10) and about 50% of the area
        int energyPercent = (int) Math.floor(100 * m.energySaving(3));
        assertTrue(energyPercent >= 46 && energyPercent <= 74, "energy saving " + m.energySaving(3));
        assertEquals(0.50, m.areaSaving(3), 0.01);
    }

    @Test
    void baselineCostsItselfAndOtherLevelsScaleWithComparators() {
        CostModel m = CostModel.PAPER;
        assertEquals(1, m.relativeEnergy(16), EPS);
        assertEquals(1, m.relativeArea(16), EPS);
        assertEquals(0.14 + 0.86 / 15, m.relativeEnergy(2), EPS);
        assertEquals(0.14 + 0.86 * 4 / 15, m.relativeEnergy(5), EPS);
        assertEquals(0.14 + 0.86 * 31 / 15, m.relativeEnergy(32), EPS);
        assertTrue(m.energySaving(32) < 0, "more levels than the baseline cost more");
    }

    @Test
    void sarScalesWithWholeBits() {
        CostModel m = new CostModel(16, 0.86, 0.57, AdcScaling.SAR);
        assertEquals(1, AdcScaling.SAR.size(2));
        assertEquals(2, AdcScaling.SAR.size(3));
        assertEquals(2, AdcScaling.SAR.size(4));
        assertEquals(3, AdcScaling.SAR.size(5));
        assertEquals(4, AdcScaling.SAR.size(16));
        assertEquals(5, AdcScaling.SAR.size(17));
        assertEquals(0.14 + 0.86 * 2 / 4, m.relativeEnergy(3), EPS);
        assertEquals(0.43 + 0.57 * 2 / 4, m.relativeArea(3), EPS);
    }

    @Test
    void everyParameterCanBeOverridden() {
        CostModel m = new CostModel(8, 0.5, 0.25, AdcScaling.FLASH);
        assertEquals(0.5 + 0.5 * 2 / 7, m.relativeEnergy(3), EPS);
        assertEquals(0.75 + 0.25 * 2 / 7, m.relativeArea(3), EPS);
    }

    @Test
    void refusesNoAdcAndBadParameters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CostModel.PAPER.relativeEnergy(0));
        assertTrue(e.getMessage().contains("no ADC"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CostModel.comparators(1));
        assertThrows(IllegalArgumentException.class, () -> new CostModel(1, 0.5, 0.5, AdcScaling.FLASH));
        assertThrows(IllegalArgumentException.class, () -> new CostModel(16, 1.2, 0.5, AdcScaling.FLASH));
        assertThrows(IllegalArgumentException.class, () -> new CostModel(16, 0.5, Double.NaN, AdcScaling.FLASH));
        assertEquals(AdcScaling.SAR, AdcScaling.parse("SAR"));
        assertThrows(IllegalArgumentException.class, () -> AdcScaling.parse("pipeline"));
    }
}
