package org.cimq.cim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.cimq.cim.cost.CostModel;
import org.cimq.cim.cost.HardwareCost;
import org.cimq.cim.cost.LayerCost;
import org.cimq.cim.config.CimConfig;
import org.cimq.runtime.cim.InputMode;
import org.junit.jupiter.api.Test;

/** Per-layer and total costs of real tile plans, counted by hand (the layers of TilePlannerTest). */
class HardwareCostTest {
    private static final List<MappedLayer> LAYERS = MappedLayers.find(CimTestModels.mixed(3).graph());

    @Test
    void layersAndTotalsCountedByHand() {
        CimConfig cfg = CimConfig.DEFAULTS.with("rows", "16").with("cols", "8");
        TilePlan conv = TilePlanner.plan(LAYERS.get(0), cfg, InputMode.UNSIGNED, 36);
        TilePlan grouped = TilePlanner.plan(LAYERS.get(1), cfg, InputMode.SPLIT, 9);
        HardwareCost c = HardwareCost.of(List.of(conv, grouped), CostModel.PAPER, 3);

        LayerCost a = c.layers().get(0);
        // K = 36 on 16 rows: 3 row tiles; 6 channels × 3 slices = 18 columns on 8-column arrays: 3 column tiles
        assertEquals(9, a.arrays());
        assertEquals(3, a.rowTiles());
        assertEquals(18, a.columns());
        assertEquals(4, a.inputCycles());
        assertEquals(36, a.positions());
        assertEquals(3L * 18 * 4 * 36, a.conversions());
        assertEquals(3.0 * 18 * 4 * 36 * 2 / 15, a.adcEnergy(), 1e-9);

        LayerCost b = c.layers().get(1);
        // 2 groups × (2 row tiles × 2 column tiles); per group 3 channels × 3 slices; split inputs: 8 cycles
        assertEquals(8, b.arrays());
        assertEquals(4, b.rowTiles());
        assertEquals(18, b.columns());
        assertEquals(8, b.inputCycles());
        assertEquals(4L * 9 * 8 * 9, b.conversions(), "per group: 2 row tiles × 9 columns; 2 groups");

        assertEquals(17, c.arrays());
        assertEquals(a.conversions() + b.conversions(), c.conversions());
        assertEquals(2, c.comparatorsPerAdc());
        assertEquals(c.conversions() * 2.0 / 15, c.adcEnergy(), 1e-9);
        assertEquals(0.7453333333333333, c.energySaving(), 1e-12);
        assertEquals(0.494, c.areaSaving(), 1e-12);
    }
}
