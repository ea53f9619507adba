package org.cimq.cim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.cimq.cim.calib.RangeSearch;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.Granularity;
import org.cimq.cim.config.LayerRange;
import org.cimq.cim.config.Ranges;
import org.cimq.cim.config.RangesFile;
import org.cimq.runtime.Executor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The whole range calibration on a small model: per-column mse steps with reference columns
 * survive a ranges file round trip (column order of {@link RangesAdapter}) and give a runnable
 * model; the objective computed from histograms equals the error the model's AdcQuantize nodes
 * make (same partial sums, per column and per array); every granularity yields its step form.
 */
class RangeCalibrationTest {
    private static final CimConfig CFG = CimConfig.DEFAULTS.with("digital_layers", "").with("signed_inputs", "split")
            .with("rows", "6").with("adc_levels", "5");

    @Test
    void columnStepsRoundTripThroughARangesFileAndRun() {
        CimConfig cfg = CFG.with("granularity", "column").with("weight_scheme", "offset");
        List<INDArray> calib = CimTestModels.batches(11, 2, 8);
        var prepared = CimTestModels.mixed(7);
        RangeCalibration.Result r = RangeCalibration.run(cfg, prepared, calib::iterator, 16, RangeSearch.Method.MSE, false, null);
        Ranges ranges = RangesFile.read(write(RangesAdapter.toRanges(r.adc(), "mse", cfg, r.layers())));
        assertEquals(Granularity.COLUMN, ranges.granularity());
        Map<String, AdcSetting> back = RangesAdapter.toSettings(ranges, r.layers(), r.plans(), cfg, "ranges.json");
        for (String layer : r.adc().keySet()) {
            double[][][] want = r.adc().get(layer).columnDeltas();
            double[][][] got = back.get(layer).columnDeltas();
            assertEquals(want.length, got.length, layer);
            for (int t = 0; t < want.length; t++) {
                for (int j = 0; j < want[t].length; j++) {
                    for (int c = 0; c < want[t][j].length; c++) {
                        assertEquals(want[t][j][c], got[t][j][c], 0, layer + " [" + t + "][" + j + "][" + c + "]");
                    }
                }
            }
        }
        var model = new CimModelBuilder(cfg).transformed(prepared, r.inputs(), back).model();
        float[] y = new Executor(model).run(CimTestModels.batches(3, 1, 2).get(0))[0].dup('c').data().asFloat();
        for (float v : y) {
            assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void objectiveFromHistogramsEqualsTheErrorTheAdcNodesMake() {
        for (String g : new String[] {"column", "array"}) {
            CimConfig cfg = CFG.with("granularity", g).with("weight_scheme", "offset");
            List<INDArray> calib = CimTestModels.batches(11, 2, 8);
            var prepared = CimTestModels.mixed(7);
            RangeCalibration.Result r = RangeCalibration.run(cfg, prepared, calib::iterator, 16, RangeSearch.Method.MSE, false,
                    null);
            var model = new CimModelBuilder(cfg).transformed(prepared, r.inputs(), r.adc()).model();
            Executor ex = new Executor(model);
            Map<String, INDArray> sums = new java.util.HashMap<>();
            double[] observed = new double[1];
            for (INDArray b : calib) {
                ex.run(Map.of(model.graph().inputs().get(0).name(), b), (v, a) -> {
                    org.cimq.ir.Node p = v.producer();
                    if (p == null || !p.domain().equals(org.cimq.runtime.cim.CimOps.DOMAIN)) {
                        return;
                    }
                    if (p.opType().equals(org.cimq.runtime.cim.CimOps.ARRAY)) {
                        sums.put(v.name(), a.dup('c'));
                    } else if (p.opType().equals(org.cimq.runtime.cim.CimOps.ADC)) {
                        org.cimq.ir.Node array = p.input(0).producer();
                        var h = r.histograms().get(array.attrString("layer", ""));
                        float[] ps = sums.get(p.input(0).name()).data().asFloat();
                        float[] q = a.dup('c').data().asFloat();
                        int block = ps.length / (h.planes() * h.slices());
                        for (int i = 0; i < ps.length; i++) {
                            int pj = i / block;
                            double w = h.planeWeight(pj / h.slices()) * h.sliceWeight(pj % h.slices());
                            observed[0] += w * w * ((double) q[i] - ps[i]) * ((double) q[i] - ps[i]);
                        }
                    }
                });
            }
            var withAdc = org.cimq.cim.calib.PartialSumHistograms.run(model, calib.iterator(), 6, true, null);
            double predicted = 0;
            for (var h : withAdc.values()) {
                predicted += org.cimq.cim.calib.RangeSearch.objective(h, r.adc().get(h.layer()), false);
            }
            assertTrue(predicted > 0);
            assertEquals(predicted, observed[0], 1e-5 * predicted, g);
        }
    }

    @Test
    void eachGranularityGivesItsForm() {
        List<INDArray> calib = CimTestModels.batches(11, 1, 8);
        var prepared = CimTestModels.mixed(7);
        for (String g : new String[] {"network", "layer", "array"}) {
            CimConfig cfg = CFG.with("granularity", g);
            RangeCalibration.Result r = RangeCalibration.run(cfg, prepared, calib::iterator, 8, RangeSearch.Method.MSE, true, null);
            Ranges ranges = RangesAdapter.toRanges(r.adc(), "mse", cfg, r.layers());
            assertEquals(cfg.granularity(), ranges.granularity());
            for (AdcSetting s : r.adc().values()) {
                assertEquals(g.equals("array"), s.arrayDeltas() != null, g);
                assertEquals(5, s.levels());
            }
            if (g.equals("network")) {
                assertEquals(1, r.adc().values().stream().mapToDouble(AdcSetting::delta).distinct().count());
            }
        }
    }

    @Test
    void aRangesFileMayFixInputScales() {
        CimConfig cfg = CFG.with("granularity", "layer");
        List<INDArray> calib = CimTestModels.batches(11, 1, 8);
        var prepared = CimTestModels.mixed(7);
        RangeCalibration.Result r = RangeCalibration.run(cfg, prepared, calib::iterator, 8, RangeSearch.Method.MSE, false, null);
        Ranges measured = RangesAdapter.toRanges(r.adc(), "mse", cfg, r.layers());
        String first = measured.layers().get(0).node();
        float calibrated = r.inputs().get(first).scale();
        double fixed = calibrated * 2.5;
        List<LayerRange> layers = new java.util.ArrayList<>(measured.layers());
        layers.set(0, layers.get(0).withInputScale(fixed));
        Ranges withScale = RangesFile.read(write(new Ranges("held", cfg.granularity(), cfg.quantizer(), layers, Map.of())));
        INDArray x = CimTestModels.batches(3, 1, 2).get(0);
        CimModelBuilder b = new CimModelBuilder(cfg);
        CimModelBuilder.Result plain = b.build(prepared, calib::iterator, 8, measured, "m.json", null);
        CimModelBuilder.Result held = b.build(prepared, calib::iterator, 8, withScale, "h.json", null);
        assertEquals((float) fixed, held.inputs().get(first).scale(), "the file's scale, not the percentile");
        assertEquals(r.inputs().get(first).mode(), held.inputs().get(first).mode());
        for (String other : r.inputs().keySet()) {
            if (!other.equals(first)) {
                assertEquals(plain.inputs().get(other).scale(), held.inputs().get(other).scale(), other);
            }
        }
        float[] a = new Executor(plain.model()).run(x)[0].dup('c').data().asFloat();
        float[] h = new Executor(held.model()).run(x)[0].dup('c').data().asFloat();
        assertTrue(!java.util.Arrays.equals(a, h), "the fixed scale changes the CIM model's output");
        List<LayerRange> stray = new java.util.ArrayList<>(measured.layers());
        stray.add(LayerRange.noAdc("/not/a/layer").withInputScale(1.0));
        Ranges bad = new Ranges("held", cfg.granularity(), cfg.quantizer(), stray, Map.of());
        CimTransformException e = org.junit.jupiter.api.Assertions.assertThrows(CimTransformException.class,
                () -> b.build(prepared, calib::iterator, 8, bad, "bad.json", null));
        assertEquals("bad.json: layer '/not/a/layer': inputScale given for a node that is not a mapped layer of this model",
                e.getMessage());
    }

    private static java.nio.file.Path write(Ranges r) {
        try {
            java.nio.file.Path f = java.nio.file.Files.createTempFile("ranges", ".json");
            f.toFile().deleteOnExit();
            RangesFile.write(r, f);
            return f;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
