package org.cimq.cim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cimq.cim.calib.LayerHistograms;
import org.cimq.cim.calib.MinMaxSteps;
import org.cimq.cim.calib.PartialSumHistograms;
import org.cimq.cim.calib.PartialSumMax;
import org.cimq.ir.Model;
import org.cimq.cim.calib.RangeSearch;
import org.cimq.cim.calib.RangeSearch.Method;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.Granularity;
import org.cimq.cim.config.Quantizer;
import org.cimq.runtime.cim.CimLayerFusion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Histograms of the partial sums of a small CIM model (every layer kind, partial tiles) and the
 * range search on them: counts add up to the partial sums computed, minmax agrees with
 * {@link PartialSumMax}, mse is never worse than minmax or sigma3 and gets better with finer
 * granularity, and the objective matches a hand computation.
 */
class PartialSumHistogramsTest {
    private static final CimConfig CFG = CimConfig.DEFAULTS.with("digital_layers", "").with("signed_inputs", "split")
            .with("rows", "5");
    private static final int IMAGES = 16;

    @Test
    void countsAddUpAndSearchesBehave() {
        List<INDArray> calib = CimTestModels.batches(11, 2, 8);
        CimModelBuilder.Result plain = new CimModelBuilder(CFG).build(CimTestModels.mixed(7), calib::iterator, IMAGES, null, null);
        List<Integer> progress = new ArrayList<>();
        Map<String, LayerHistograms> h = PartialSumHistograms.run(plain.model(), calib.iterator(), 5, true, progress::add);
        assertEquals(List.of(8, 16), progress);
        assertEquals(plain.plans().keySet(), h.keySet());
        for (LayerHistograms l : h.values()) {
            TilePlan p = plain.plans().get(l.layer());
            assertEquals(p.partialSumsPerImage() * IMAGES, l.total(), l.layer());
            long columns = 0;
            for (int t = 0; t < l.arrays(); t++) {
                for (int j = 0; j < l.slices(); j++) {
                    for (int c = 0; c < l.channels(t); c++) {
                        for (int q = 0; q < l.planes(); q++) {
                            columns += java.util.Arrays.stream(l.columnCounts(t, j, c, q)).sum();
                        }
                    }
                }
            }
            assertEquals(l.total(), columns, l.layer() + ": per-column counts");
        }

        int levels = 5;
        Quantizer zt = Quantizer.ZERO_TREAD;
        Map<String, AdcSetting> minmax = RangeSearch.run(h, Method.MINMAX, Granularity.ARRAY, levels, zt, false);
        Map<String, AdcSetting> expected = MinMaxSteps.settings(PartialSumMax.run(plain.model(), calib.iterator(), null),
                levels, zt, Granularity.ARRAY);
        for (String layer : h.keySet()) {
            assertArrayEquals(expected.get(layer).arrayDeltas(), minmax.get(layer).arrayDeltas(), 0, layer);
        }

        Map<String, AdcSetting> layerMse = RangeSearch.run(h, Method.MSE, Granularity.LAYER, levels, zt, false);
        Map<String, AdcSetting> arrayMse = RangeSearch.run(h, Method.MSE, Granularity.ARRAY, levels, zt, false);
        Map<String, AdcSetting> columnMse = RangeSearch.run(h, Method.MSE, Granularity.COLUMN, levels, zt, false);
        Map<String, AdcSetting> layerMinmax = RangeSearch.run(h, Method.MINMAX, Granularity.LAYER, levels, zt, false);
        Map<String, AdcSetting> layerSigma = RangeSearch.run(h, Method.SIGMA3, Granularity.LAYER, levels, zt, false);
        Map<String, AdcSetting> network = RangeSearch.run(h, Method.MSE_NETWORK, Granularity.LAYER, levels, zt, false);
        Map<String, AdcSetting> networkMinmax = RangeSearch.run(h, Method.MINMAX, Granularity.NETWORK, levels, zt, false);
        double netMse = 0;
        double netMinmax = 0;
        for (LayerHistograms l : h.values()) {
            String n = l.layer();
            double mse = RangeSearch.objective(l, layerMse.get(n), false);
            assertTrue(mse <= RangeSearch.objective(l, layerMinmax.get(n), false), n + ": mse vs minmax");
            assertTrue(mse <= RangeSearch.objective(l, layerSigma.get(n), false), n + ": mse vs sigma3");
            double array = RangeSearch.objective(l, arrayMse.get(n), false);
            assertTrue(array <= mse * (1 + 1e-12), n + ": array vs layer");
            assertTrue(RangeSearch.objective(l, columnMse.get(n), false) <= array * (1 + 1e-12), n + ": column vs array");
            assertEquals(l.arrays(), columnMse.get(n).columnDeltas().length);
            assertEquals(network.values().iterator().next().delta(), network.get(n).delta());
            netMse += RangeSearch.objective(l, network.get(n), false);
            netMinmax += RangeSearch.objective(l, networkMinmax.get(n), false);
        }
        assertTrue(netMse <= netMinmax, "mse-network vs network minmax");
    }

    /**
     * The minmax baseline a build without steps picks (from the fused kernels' counts) is the one
     * the reference kernels' largest |partial sum| gives, at every granularity it supports.
     */
    @ParameterizedTest
    @ValueSource(strings = {"layer", "array", "network"})
    void buildsMinmaxBaselineIsTheReferenceKernelsLargestPartialSum(String granularity) {
        CimConfig cfg = CFG.with("adc_levels", "3").with("granularity", granularity);
        List<INDArray> calib = CimTestModels.batches(11, 2, 8);
        CimModelBuilder builder = new CimModelBuilder(cfg);
        CimModelBuilder.Result built = builder.build(CimTestModels.mixed(7), calib::iterator, IMAGES, null, null);
        Model plain = builder.transformed(CimTestModels.mixed(7), built.inputs(), Map.of()).model();
        Map<String, AdcSetting> expected = MinMaxSteps.settings(PartialSumMax.run(plain, calib.iterator(), null), 3,
                cfg.quantizer(), cfg.granularity());
        assertEquals(expected.keySet(), built.adc().keySet());
        for (String layer : expected.keySet()) {
            AdcSetting e = expected.get(layer);
            AdcSetting b = built.adc().get(layer);
            assertEquals(e.delta(), b.delta(), layer);
            assertArrayEquals(e.arrayDeltas(), b.arrayDeltas(), layer);
            assertTrue(granularity.equals("array") ? e.arrayDeltas() != null : e.delta() > 0, layer);
        }
    }

    /** The fused kernels' own counting gives exactly the reference kernels' histograms, per array and per column. */
    @ParameterizedTest
    @ValueSource(strings = {"rows=5", "rows=128", "rows=7,cell_bits=2,dac_bits=2", "rows=9,mapping=channel-aligned",
        "rows=10,mapping=balanced",
        "rows=6,weight_scheme=offset", "rows=4,weight_bits=6,input_bits=5,dac_bits=2,signed_inputs=twos-complement"})
    void fusedCountsEqualTheReferenceKernels(String overrides) {
        CimConfig cfg = CFG;
        for (String kv : overrides.split(",")) {
            String[] p = kv.split("=", 2);
            cfg = cfg.with(p[0], p[1]);
        }
        List<INDArray> calib = CimTestModels.batches(11, 2, 8);
        CimModelBuilder.Result plain = new CimModelBuilder(cfg).build(CimTestModels.mixed(7), calib::iterator, IMAGES, null, null);
        CimLayerFusion fusion = new CimLayerFusion();
        fusion.run(CimModelBuilder.copy(plain.model()));
        assertEquals(plain.plans().size(), fusion.fusedLayers().size(), overrides + ": every layer fuses, so every layer is counted by its fused kernel");
        Map<String, LayerHistograms> fused = PartialSumHistograms.run(plain.model(), calib.iterator(), 3, true, null, true);
        Map<String, LayerHistograms> reference = PartialSumHistograms.run(plain.model(), calib.iterator(), 3, true, null, false);
        assertEquals(reference.keySet(), fused.keySet());
        for (LayerHistograms r : reference.values()) {
            LayerHistograms f = fused.get(r.layer());
            String what = overrides + ", " + r.layer();
            assertTrue(r.total() > 0, what);
            assertEquals(r.total(), f.total(), what);
            assertEquals(r.arrays(), f.arrays(), what);
            int bound = Math.max(r.bound(), f.bound());
            for (int t = 0; t < r.arrays(); t++) {
                assertEquals(r.channels(t), f.channels(t), what);
                for (int q = 0; q < r.planes(); q++) {
                    for (int j = 0; j < r.slices(); j++) {
                        assertArrayEquals(widened(r.counts(t, q, j), r.bound(), bound), widened(f.counts(t, q, j), f.bound(), bound),
                                what + ", array " + t + ", plane " + q + ", slice " + j);
                        for (int c = 0; c < r.channels(t); c++) {
                            assertArrayEquals(widened(r.columnCounts(t, j, c, q), r.bound(), bound),
                                    widened(f.columnCounts(t, j, c, q), f.bound(), bound), what + ", column " + c);
                        }
                    }
                }
            }
        }
    }

    private static long[] widened(long[] counts, int from, int to) {
        long[] w = new long[2 * to + 1];
        System.arraycopy(counts, 0, w, to - from, counts.length);
        return w;
    }

    @Test
    void objectiveByHandWithPlaneWeightsAndGrowth() {
        LayerHistograms l = new LayerHistograms("x", 1, new double[] {1, 2}, new double[] {1}, 1, false);
        l.add(0, Nd4j.createFromArray(new float[][][] {{{1, -1, 0}}, {{2, 0, 0}}}), 2);
        assertEquals(2, l.bound());
        assertEquals(6, l.total());
        assertArrayEquals(new long[] {0, 0, 2, 0, 1}, l.counts(0, 1, 0));
        AdcSetting s = AdcSetting.uniform(3, Quantizer.ZERO_TREAD, 2.5);
        // Q(±1) = 0, Q(2) = 2.5: plane 0 errs 1 + 1, plane 1 errs 0.25 with weight 2² = 4
        assertEquals(2 + 4 * 0.25, RangeSearch.objective(l, s, false), 0);
        assertEquals(2 + 0.25, RangeSearch.objective(l, s, true), 0);
    }
}
