package org.cimq.cim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cimq.cim.config.CimConfig;
import org.cimq.ir.Model;
import org.cimq.runtime.cim.InputMode;
import org.junit.jupiter.api.Test;

/** Tile plans of the test model's layers, counted by hand. */
class TilePlannerTest {
    private static final Model MODEL = CimTestModels.mixed(3);
    private static final List<MappedLayer> LAYERS = MappedLayers.find(MODEL.graph());

    @Test
    void findsEveryMappableLayerWithItsMatrix() {
        assertEquals(5, LAYERS.size());
        assertEquals(List.of(LayerKind.CONV, LayerKind.CONV, LayerKind.CONV, LayerKind.GEMM, LayerKind.MATMUL),
                LAYERS.stream().map(MappedLayer::kind).toList());
        assertEquals(36, LAYERS.get(0).k());
        assertEquals(27, LAYERS.get(1).k(), "group 2: 3 input channels × 3 × 3 per group");
        assertEquals(4, LAYERS.get(2).k(), "depthwise 2 × 2");
        assertEquals(24, LAYERS.get(3).k());
        assertEquals(5, LAYERS.get(4).k());
    }

    @Test
    void flatAndChannelAlignedTilesCountedByHand() {
        CimConfig cfg = CimConfig.DEFAULTS.with("rows", "16").with("cols", "8");
        TilePlan conv1 = TilePlanner.plan(LAYERS.get(0), cfg, InputMode.UNSIGNED, 36);
        // K = 36 on 16 rows: 16 + 16 + 4; columns 6 channels × 3 slices = 18 on 8-column arrays: 3 tiles
        assertEquals(3, conv1.rowTiles());
        assertArrayEquals(new int[] {0, 16, 32, 36}, conv1.rowStarts());
        assertEquals(3, conv1.colTiles());
        assertEquals(9, conv1.arrays());
        assertEquals(36.0 * 18 / (9 * 16 * 8), conv1.utilization(), 1e-12);
        assertEquals(3L * 18 * 4 * 36, conv1.adcConversionsPerImage(), "row tiles × columns × planes × positions");

        TilePlan aligned = TilePlanner.plan(LAYERS.get(0), cfg.with("mapping", "channel-aligned"), InputMode.UNSIGNED, 36);
        // floor(16 / 9) = 1 channel (9 rows) per array: 4 row tiles
        assertArrayEquals(new int[] {0, 9, 18, 27, 36}, aligned.rowStarts());

        TilePlan grouped = TilePlanner.plan(LAYERS.get(1), cfg, InputMode.SPLIT, 9);
        // per group: K = 27 → 2 row tiles; 3 channels × 3 slices = 9 columns → 2 column tiles; 2 groups
        assertEquals(8, grouped.arrays());
        assertEquals(8, grouped.planes(), "split inputs double the 4 planes");

        TilePlan offset = TilePlanner.plan(LAYERS.get(3), cfg.with("weight_scheme", "offset"), InputMode.UNSIGNED, 1);
        assertEquals(4, offset.slices());
        assertEquals(4, offset.referenceColumns());
        assertTrue(offset.columnsPerGroup() > 5 * 4);
    }

    @Test
    void balancedMappingSpreadsFlatsArrayCountEvenly() {
        CimConfig cfg = CimConfig.DEFAULTS.with("rows", "16").with("cols", "8").with("mapping", "balanced");
        // K = 36 on 16 rows: flat needs 3 arrays (16 + 16 + 4); balanced cuts the same 3 into 12 + 12 + 12
        TilePlan conv1 = TilePlanner.plan(LAYERS.get(0), cfg, InputMode.UNSIGNED, 36);
        assertArrayEquals(new int[] {0, 12, 24, 36}, conv1.rowStarts());
        assertEquals(9, conv1.arrays());
        // K = 27 per group: 2 arrays of 13 and 14 rows (floor(27/2) = 13)
        assertArrayEquals(new int[] {0, 13, 27}, TilePlanner.plan(LAYERS.get(1), cfg, InputMode.UNSIGNED, 9).rowStarts());
        // ResNet-20's layers on 128 rows: 144 → 72 + 72 (flat: 128 + 16); 576 → 5 arrays of 115 or 116 rows
        assertArrayEquals(new int[] {0, 72, 144}, TilePlanner.balanced(144, 128));
        assertArrayEquals(new int[] {0, 115, 230, 345, 460, 576}, TilePlanner.balanced(576, 128));
        assertArrayEquals(new int[] {0, 128, 256}, TilePlanner.balanced(256, 128), "a multiple of R is cut as flat cuts it");
        assertArrayEquals(new int[] {0, 5}, TilePlanner.balanced(5, 128));
    }

    @Test
    void channelAlignedRefusesKernelsLargerThanAnArray() {
        CimConfig cfg = CimConfig.DEFAULTS.with("rows", "8").with("mapping", "channel-aligned");
        CimTransformException e = assertThrows(CimTransformException.class,
                () -> TilePlanner.plan(LAYERS.get(0), cfg, InputMode.UNSIGNED, 36));
        assertTrue(e.getMessage().contains("needs 9 rows"), e.getMessage());
    }

    @Test
    void digitalLayersByPositionNameAndIndex() {
        assertEquals(3, LayerSelection.mapped(LAYERS, List.of("first", "last")).size());
        assertEquals(List.of(LAYERS.get(0), LAYERS.get(2), LAYERS.get(3)),
                LayerSelection.mapped(LAYERS, List.of("1", "-1")));
        assertEquals(4, LayerSelection.mapped(LAYERS, List.of(LAYERS.get(2).name())).size());
        CimTransformException e = assertThrows(CimTransformException.class, () -> LayerSelection.mapped(LAYERS, List.of("nope")));
        assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains(LAYERS.get(0).name()), e.getMessage());
        e = assertThrows(CimTransformException.class, () -> LayerSelection.mapped(LAYERS, List.of("7")));
        assertTrue(e.getMessage().contains("0..4"), e.getMessage());
    }
}
