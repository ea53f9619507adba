package org.cimq.cim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cimq.cim.calib.RangeSearch;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.Granularity;
import org.cimq.cim.config.Quantizer;
import org.cimq.cim.search.AccuracySearch;
import org.cimq.cim.search.CachedSuffix;
import org.cimq.cim.search.LabelledBatch;
import org.cimq.cim.search.SampleScore;
import org.cimq.cim.search.StepFactors;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.runtime.Executor;
import org.cimq.runtime.cim.CimOps;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The accuracy-scored ADC search on a small all-mapped network at L = 3, with labels the float
 * model's own predictions (float top-1 = 100 %): acc-layer beats minmax clearly and never scores
 * below its mse start; acc-network never below mse-network; scores reported by the search are
 * those of the full model built with the chosen steps; and the cached-prefix run gives the full
 * model's logits bit for bit, at either cut.
 */
class AccuracySearchTest {
    private static final CimConfig CFG = CimConfig.DEFAULTS.with("digital_layers", "").with("signed_inputs", "split")
            .with("rows", "6").with("adc_levels", "3");
    private static final Model PREPARED = CimTestModels.mixed(7);
    private static final List<INDArray> IMAGES = CimTestModels.batches(11, 4, 16);
    private static final List<LabelledBatch> SAMPLE = teacherLabels();
    /** 13 candidates over [Δ/4, 4Δ], to keep the test short. */
    private static final AccuracySearch.Options OPTIONS = new AccuracySearch.Options(StepFactors.geometric(2, 3), 1L << 30);

    private static List<LabelledBatch> teacherLabels() {
        Executor ex = new Executor(CimModelBuilder.copy(PREPARED));
        List<LabelledBatch> out = new ArrayList<>();
        for (INDArray b : IMAGES) {
            INDArray y = ex.run(b)[0];
            int[] labels = new int[(int) b.size(0)];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = y.getRow(i).argMax().getInt(0);
            }
            out.add(new LabelledBatch(b, labels));
        }
        return out;
    }

    private static SampleScore fullModelScore(RangeCalibration.Result r, Map<String, AdcSetting> adc) {
        Executor ex = new Executor(new CimModelBuilder(CFG).transformed(PREPARED, r.inputs(), adc).model());
        SampleScore s = SampleScore.EMPTY;
        for (LabelledBatch b : SAMPLE) {
            s = s.plus(SampleScore.of(ex.run(b.images())[0], b.labels()));
        }
        return s;
    }

    @Test
    void accLayerBeatsMinmaxAndNeverLosesToMse() {
        RangeCalibration.Result r = RangeCalibration.run(CFG, PREPARED, IMAGES::iterator, 64, RangeSearch.Method.MSE, false, null);
        Map<String, AdcSetting> minmax = RangeSearch.run(r.histograms(), RangeSearch.Method.MINMAX, Granularity.LAYER, 3,
                Quantizer.ZERO_TREAD, false);
        SampleScore minmaxScore = fullModelScore(r, minmax);
        SampleScore mseScore = fullModelScore(r, r.adc());
        int[] calls = {0, 0};
        AccuracySearch.Result acc = AccuracySearch.layerwise(new CimModelBuilder(CFG), PREPARED, r.inputs(), r.adc(), SAMPLE,
                OPTIONS, (done, total) -> {
                    calls[0]++;
                    calls[1] = total;
                    assertEquals(calls[0], done);
                });
        assertEquals(r.adc().size() * 13, calls[1]);
        assertEquals(calls[1], acc.candidates());
        assertEquals(mseScore, acc.start(), "the search starts from the mse steps, scored as the full model scores them");
        assertEquals(fullModelScore(r, acc.adc()), acc.best(), "the reported score is the full model's with the chosen steps");
        assertTrue(acc.best().correct() >= mseScore.correct(), acc.best() + " vs mse " + mseScore);
        assertTrue(acc.best().top1() >= minmaxScore.top1() + 0.10,
                "acc-layer " + acc.best().top1() + " vs minmax " + minmaxScore.top1() + ", mse " + mseScore.top1());
        System.out.printf("L=3 calibration top-1: minmax %.4f, mse %.4f, acc-layer %.4f%n", minmaxScore.top1(),
                mseScore.top1(), acc.best().top1());
    }

    @Test
    void accNetworkNeverLosesToMseNetwork() {
        CimConfig cfg = CFG.with("granularity", "network");
        RangeCalibration.Result r = RangeCalibration.run(cfg, PREPARED, IMAGES::iterator, 64, RangeSearch.Method.MSE_NETWORK,
                false, null);
        AccuracySearch.Result acc = AccuracySearch.network(new CimModelBuilder(cfg), PREPARED, r.inputs(), r.adc(), SAMPLE,
                OPTIONS, null);
        assertEquals(fullModelScore(r, r.adc()), acc.start());
        assertEquals(fullModelScore(r, acc.adc()), acc.best());
        assertFalse(acc.start().betterThan(acc.best()));
        assertEquals(1, acc.adc().values().stream().mapToDouble(AdcSetting::delta).distinct().count(), "one shared step");
    }

    @Test
    void cachedPrefixGivesTheFullModelsLogitsAtEitherCut() {
        RangeCalibration.Result r = RangeCalibration.run(CFG, PREPARED, IMAGES::iterator, 64, RangeSearch.Method.MSE, false, null);
        String layer = new ArrayList<>(r.adc().keySet()).get(1);
        Map<String, AdcSetting> changed = new java.util.LinkedHashMap<>(r.adc());
        changed.put(layer, r.adc().get(layer).scaled(1.7));
        Executor full = new Executor(new CimModelBuilder(CFG).transformed(PREPARED, r.inputs(), changed).model());
        for (long budget : new long[] {Long.MAX_VALUE, 0}) {
            Model m = new CimModelBuilder(CFG).transformed(PREPARED, r.inputs(), r.adc()).model();
            List<String> adcs = m.graph().nodes().stream()
                    .filter(n -> n.opType().equals(CimOps.ADC) && n.input(0).producer().attrString("layer", "").equals(layer))
                    .map((Node n) -> n.output(0).name()).toList();
            assertFalse(adcs.isEmpty());
            CachedSuffix cut = new CachedSuffix(m, adcs, SAMPLE, budget);
            assertEquals(budget > 0, cut.atAdcInputs());
            for (String a : adcs) {
                cut.setDelta(a, changed.get(layer).delta());
            }
            for (int b = 0; b < SAMPLE.size(); b++) {
                float[] want = full.run(SAMPLE.get(b).images())[0].dup('c').data().asFloat();
                float[] got = cut.logits(b).dup('c').data().asFloat();
                assertArrayEquals(want, got, 0f, "batch " + b + ", budget " + budget);
            }
        }
    }
}
