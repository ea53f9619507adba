package org.cimq.cim.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RangesTest {
    private static final Ranges R = new Ranges("minmax", Granularity.LAYER, Quantizer.ZERO_TREAD,
            List.of(LayerRange.single("/a", 3, 1.0), LayerRange.single("/b", 3, 2.0), LayerRange.single("/c", 3, 2.0)),
            Map.of());

    private static String coversError(List<String> mapped) {
        return assertThrows(CimConfigException.class, () -> R.checkCovers(mapped, "ranges.json")).getMessage();
    }

    @Test
    void coversAcceptsTheExactSetInAnyOrder() {
        R.checkCovers(List.of("/c", "/a", "/b"), "ranges.json");
        assertEquals(3, R.layers().size());
    }

    @Test
    void missingRangeNamesTheFirstMappedLayer() {
        assertEquals("ranges.json: does not match the model: no range for mapped layer '/d' (and 1 more)",
                coversError(List.of("/a", "/d", "/b", "/c", "/e")));
    }

    @Test
    void strayRangeNamesTheFirstUnmappedNode() {
        assertEquals("ranges.json: does not match the model: layer '/b' is not a mapped layer of the model",
                coversError(List.of("/a", "/c")));
    }

    @Test
    void bothDirectionsInOneLine() {
        assertEquals("ranges.json: does not match the model: no range for mapped layer '/x'; "
                + "layer '/a' is not a mapped layer of the model (and 2 more)", coversError(List.of("/x")));
    }

    @Test
    void checkMatchesComparesGranularityAndQuantizer() {
        R.checkMatches(CimConfig.DEFAULTS, "r.json");
        assertEquals("r.json: granularity: the ranges are per layer, the configuration asks for array",
                assertThrows(CimConfigException.class,
                        () -> R.checkMatches(CimConfig.DEFAULTS.with("granularity", "array"), "r.json")).getMessage());
        assertEquals("r.json: quantizer: the ranges are for zero-tread, the configuration asks for mid-rise",
                assertThrows(CimConfigException.class,
                        () -> R.checkMatches(CimConfig.DEFAULTS.with("quantizer", "mid-rise"), "r.json")).getMessage());
    }

    @Test
    void checkMatchesRefusesOtherArraysAndNamesEveryDifferentField() {
        CimConfig found = CimConfig.DEFAULTS.with(Map.of("rows", "64", "mapping", "balanced"));
        Ranges r = new Ranges("mse", Granularity.LAYER, Quantizer.ZERO_TREAD, R.layers(), Map.of(), ArraySetup.of(found));
        r.checkMatches(found.with("adc_levels", "5"), "r.json");
        r.checkMatches(found.with("activation_percentile", "99"), "r.json");
        assertEquals("r.json: cim.rows: the ranges were found for 64, the configuration has 128; cim.mapping: the ranges "
                + "were found for balanced, the configuration has flat (a step is in partial-sum units of the arrays it was "
                + "found for: calibrate again, or run with the ranges' settings)",
                assertThrows(CimConfigException.class, () -> r.checkMatches(CimConfig.DEFAULTS, "r.json")).getMessage());
        assertEquals("r.json: cim.weight_scheme: the ranges were found for differential, the configuration has offset (a step is in partial-sum units of "
                + "the arrays it was found for: calibrate again, or run with the ranges' settings)",
                assertThrows(CimConfigException.class,
                        () -> r.checkMatches(found.with("weight_scheme", "offset"), "r.json")).getMessage());
        R.checkMatches(CimConfig.DEFAULTS.with("rows", "7"), "r.json"); // a file that records no arrays: unchecked
    }

    @Test
    void formMustMatchGranularity() {
        CimConfigException e = assertThrows(CimConfigException.class, () -> new Ranges("m", Granularity.COLUMN,
                Quantizer.ZERO_TREAD, List.of(LayerRange.perArray("/a", 3, 1.0)), Map.of()));
        assertEquals("layer '/a': deltas: granularity column needs one delta per column of each array, "
                + "got one delta per array", e.getMessage());
    }

    @Test
    void layerRangeRejectsTwoFormsAndL1() {
        assertEquals("layer '/a': deltas: give one of a single delta, per-array deltas or per-column deltas",
                assertThrows(CimConfigException.class,
                        () -> new LayerRange("/a", 3, 1.0, new double[] {1.0}, null, Double.NaN)).getMessage());
        assertEquals("layer '/a': levels: must be 0 (no ADC) or an integer from 2 to 65536, got 1",
                assertThrows(CimConfigException.class, () -> LayerRange.single("/a", 1, 1.0)).getMessage());
        assertEquals("layer '/a': delta: must be a finite number > 0, got Infinity",
                assertThrows(CimConfigException.class,
                        () -> LayerRange.single("/a", 3, Double.POSITIVE_INFINITY)).getMessage());
        assertEquals("layer '/a': deltas: must not be empty",
                assertThrows(CimConfigException.class, () -> LayerRange.perArray("/a", 3)).getMessage());
    }

    @Test
    void extraMayNotUseReservedNames() {
        assertEquals("layers: reserved field, not an extra one", assertThrows(CimConfigException.class,
                () -> new Ranges("m", Granularity.LAYER, Quantizer.ZERO_TREAD, List.of(), Map.of("layers", "x")))
                .getMessage());
    }
}
