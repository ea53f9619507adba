package org.cimq.cim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
 * those of the full model built with the chosen steps; the cached-prefix run gives the full
 * model's logits bit for bit, at either cut, on fused or reference kernels; and the search on
 * fused kernels chooses the steps, with the scores, of the search on the reference kernels.
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

    /**
     * acc-layer proper ({@link AccuracySearch#accLayer}): a common factor on the mse steps and on the mse-network
     * step, then the greedy pass from the better of the two. Its sample score is at least acc-network's (the
     * network-wise method it must beat), at least the common factor's on the mse steps, and at least mse's; its
     * listener counts every candidate of the three stages in order; the score it reports is the full model's.
     */
    @Test
    void accLayerScoresAtLeastAccNetworkAndTheCommonFactorOnTheSample() {
        RangeCalibration.Result r = RangeCalibration.run(CFG, PREPARED, IMAGES::iterator, 64, RangeSearch.Method.MSE, false, null);
        Map<String, AdcSetting> network = RangeSearch.run(r.histograms(), RangeSearch.Method.MSE_NETWORK, Granularity.NETWORK, 3,
                Quantizer.ZERO_TREAD, false);
        CimModelBuilder builder = new CimModelBuilder(CFG);
        AccuracySearch.Result accNetwork = AccuracySearch.network(builder, PREPARED, r.inputs(), network, SAMPLE, OPTIONS, null);
        AccuracySearch.Result scaledMse = AccuracySearch.network(builder, PREPARED, r.inputs(), r.adc(), SAMPLE, OPTIONS, null);
        int[] calls = {0};
        AccuracySearch.Result acc = AccuracySearch.accLayer(builder, PREPARED, r.inputs(), List.of(r.adc(), network), SAMPLE,
                OPTIONS, (done, total) -> {
                    calls[0]++;
                    assertEquals(calls[0], done);
                    assertEquals((2 + r.adc().size()) * 13, total);
                });
        assertEquals((2 + r.adc().size()) * 13, calls[0]);
        assertEquals(calls[0], acc.candidates());
        assertEquals(fullModelScore(r, r.adc()), acc.start(), "the first start is the mse steps");
        assertEquals(fullModelScore(r, acc.adc()), acc.best());
        assertFalse(accNetwork.best().betterThan(acc.best()), acc.best() + " vs acc-network " + accNetwork.best());
        assertFalse(scaledMse.best().betterThan(acc.best()), acc.best() + " vs common factor on mse " + scaledMse.best());
        assertFalse(acc.start().betterThan(acc.best()));
        System.out.printf("L=3 sample: mse %s, acc-network %s, mse x factor %s, acc-layer %s%n", acc.start(), accNetwork.best(),
                scaledMse.best(), acc.best());
    }

    /**
     * With a significance z, a candidate must beat the best by more than z paired standard errors: a z no gain can reach
     * keeps every start step (acc-network and acc-layer), a moderate z still never ends below the start and scores
     * what the full model scores.
     */
    @Test
    void significanceKeepsTheStartUnlessAGainStandsOut() {
        RangeCalibration.Result r = RangeCalibration.run(CFG, PREPARED, IMAGES::iterator, 64, RangeSearch.Method.MSE, false, null);
        CimModelBuilder builder = new CimModelBuilder(CFG);
        AccuracySearch.Options never = OPTIONS.withSignificance(1e6);
        AccuracySearch.Result net = AccuracySearch.network(builder, PREPARED, r.inputs(), r.adc(), SAMPLE, never, null);
        AccuracySearch.Result layer = AccuracySearch.layerwise(builder, PREPARED, r.inputs(), r.adc(), SAMPLE, never, null);
        for (AccuracySearch.Result res : List.of(net, layer)) {
            assertEquals(res.start(), res.best());
            for (String l : r.adc().keySet()) {
                assertEquals(r.adc().get(l).delta(), res.adc().get(l).delta(), l);
            }
        }
        AccuracySearch.Result some = AccuracySearch.layerwise(builder, PREPARED, r.inputs(), r.adc(), SAMPLE,
                OPTIONS.withSignificance(1), null);
        AccuracySearch.Result any = AccuracySearch.layerwise(builder, PREPARED, r.inputs(), r.adc(), SAMPLE, OPTIONS, null);
        assertFalse(some.start().betterThan(some.best()));
        assertEquals(fullModelScore(r, some.adc()), some.best());
        assertTrue(some.best().correct() > some.start().correct(), "the gain at L = 3 stands out: " + some.best());
        assertFalse(some.best().betterThan(any.best()), "z = 0 keeps every strict gain, so it scores at least as well here");
        assertThrows(IllegalArgumentException.class, () -> OPTIONS.withSignificance(-1));
    }

    /**
     * Stopping sure losers early changes nothing but the time: acc-layer and acc-network choose the
     * same steps with the same scores as when every candidate runs the whole sample, and some
     * candidates did stop early.
     */
    @Test
    void stoppingLosersEarlyChoosesWhatTheExhaustiveSearchChooses() {
        for (String granularity : List.of("layer", "network")) {
            CimConfig cfg = CFG.with("granularity", granularity);
            boolean network = granularity.equals("network");
            RangeCalibration.Result r = RangeCalibration.run(cfg, PREPARED, IMAGES::iterator, 64,
                    network ? RangeSearch.Method.MSE_NETWORK : RangeSearch.Method.MSE, false, null);
            AccuracySearch.Result[] results = new AccuracySearch.Result[2];
            for (int stop = 0; stop < 2; stop++) {
                AccuracySearch.Options o = new AccuracySearch.Options(OPTIONS.factors(), OPTIONS.cacheBudget(), true, stop == 1);
                CimModelBuilder builder = new CimModelBuilder(cfg);
                results[stop] = network ? AccuracySearch.network(builder, PREPARED, r.inputs(), r.adc(), SAMPLE, o, null)
                        : AccuracySearch.layerwise(builder, PREPARED, r.inputs(), r.adc(), SAMPLE, o, null);
            }
            AccuracySearch.Result all = results[0];
            AccuracySearch.Result stopped = results[1];
            assertEquals(0, all.stopped(), granularity);
            assertTrue(stopped.stopped() > 0, granularity + ": no candidate stopped early");
            assertEquals(all.start(), stopped.start(), granularity);
            assertEquals(all.best(), stopped.best(), granularity);
            assertEquals(network ? 13 : 13 * r.adc().size(), stopped.candidates(), granularity);
            assertEquals(all.candidates(), stopped.candidates(), granularity);
            for (String layer : all.adc().keySet()) {
                assertEquals(all.adc().get(layer).delta(), stopped.adc().get(layer).delta(), granularity + ", " + layer);
            }
            System.out.printf("%s: %d of %d candidates stopped early%n", granularity, stopped.stopped(), stopped.candidates());
        }
    }

    /**
     * Layer 1 of 5 with a new step (per array: a different factor on each array): at the ADC-input
     * cut the fused kernel runs layer 0 in the prefix and layers 2-4 in the suffix; at the
     * layer-input cut it also runs layer 1, whose steps are then changed inside the fused node.
     */
    @Test
    void cachedPrefixGivesTheFullModelsLogitsAtEitherCutOnEitherKernels() {
        for (String granularity : List.of("layer", "array")) {
            CimConfig cfg = CFG.with("granularity", granularity);
            RangeCalibration.Result r = RangeCalibration.run(cfg, PREPARED, IMAGES::iterator, 64, RangeSearch.Method.MSE, false,
                    null);
            String layer = new ArrayList<>(r.adc().keySet()).get(1);
            Model reference = new CimModelBuilder(cfg).transformed(PREPARED, r.inputs(), r.adc()).model();
            List<Node> adcNodes = reference.graph().nodes().stream()
                    .filter(n -> n.opType().equals(CimOps.ADC) && n.input(0).producer().attrString("layer", "").equals(layer))
                    .toList();
            assertTrue(adcNodes.size() >= 2, "layer " + layer + " has several arrays");
            double[] steps = new double[adcNodes.size()];
            for (Node n : adcNodes) {
                int t = (int) n.input(0).producer().attrInt("array", -1);
                double base = n.attrFloat("delta", Float.NaN);
                steps[t] = granularity.equals("layer") ? base * 1.7 : base * (1.3 + 0.4 * t);
            }
            Map<String, AdcSetting> changed = new java.util.LinkedHashMap<>(r.adc());
            AdcSetting old = r.adc().get(layer);
            changed.put(layer, granularity.equals("layer") ? old.scaled(1.7)
                    : new AdcSetting(old.levels(), old.quantizer(), 0, steps, null));
            Executor full = new Executor(new CimModelBuilder(cfg).transformed(PREPARED, r.inputs(), changed).model());
            for (long budget : new long[] {Long.MAX_VALUE, 0}) {
                for (boolean fused : new boolean[] {true, false}) {
                    String what = granularity + ", budget " + budget + ", fused " + fused;
                    Model m = new CimModelBuilder(cfg).transformed(PREPARED, r.inputs(), r.adc()).model();
                    List<Node> nodes = m.graph().nodes().stream()
                            .filter(n -> n.opType().equals(CimOps.ADC)
                                    && n.input(0).producer().attrString("layer", "").equals(layer))
                            .toList();
                    CachedSuffix cut = new CachedSuffix(m, nodes.stream().map(n -> n.output(0).name()).toList(), SAMPLE,
                            budget, fused);
                    assertEquals(budget > 0, cut.atAdcInputs(), what);
                    assertEquals(fused ? (budget > 0 ? 4 : 5) : 0, cut.fusedLayers(), what);
                    for (Node n : nodes) {
                        cut.setDelta(n.output(0).name(), steps[(int) n.input(0).producer().attrInt("array", -1)]);
                    }
                    for (int b = 0; b < SAMPLE.size(); b++) {
                        float[] want = full.run(SAMPLE.get(b).images())[0].dup('c').data().asFloat();
                        float[] got = cut.logits(b).dup('c').data().asFloat();
                        assertArrayEquals(want, got, 0f, what + ", batch " + b);
                    }
                }
            }
        }
    }

    /**
     * acc-layer (layer steps at either cut, array steps) and acc-network, the latter two cut at the
     * layer inputs (the changed steps inside fused nodes): the same steps and scores on fused and
     * reference kernels. 5 candidates over [Δ/2, 2Δ] to keep the test short.
     */
    @Test
    void fusedKernelsChooseTheReferenceKernelsStepsWithTheSameScores() {
        for (String granularity : List.of("layer", "array", "network")) {
            CimConfig cfg = CFG.with("granularity", granularity);
            boolean network = granularity.equals("network");
            RangeCalibration.Result r = RangeCalibration.run(cfg, PREPARED, IMAGES::iterator, 64,
                    network ? RangeSearch.Method.MSE_NETWORK : RangeSearch.Method.MSE, false, null);
            for (long budget : granularity.equals("layer") ? new long[] {1L << 30, 0} : new long[] {0}) {
                AccuracySearch.Result[] results = new AccuracySearch.Result[2];
                for (int fused = 0; fused < 2; fused++) {
                    AccuracySearch.Options o = new AccuracySearch.Options(StepFactors.geometric(1, 2), budget, fused == 1);
                    CimModelBuilder builder = new CimModelBuilder(cfg);
                    results[fused] = network ? AccuracySearch.network(builder, PREPARED, r.inputs(), r.adc(), SAMPLE, o, null)
                            : AccuracySearch.layerwise(builder, PREPARED, r.inputs(), r.adc(), SAMPLE, o, null);
                }
                String what = granularity + ", budget " + budget;
                AccuracySearch.Result ref = results[0];
                AccuracySearch.Result fast = results[1];
                assertEquals(ref.start(), fast.start(), what);
                assertEquals(ref.best(), fast.best(), what);
                assertEquals(ref.candidates(), fast.candidates(), what);
                assertEquals(ref.adc().keySet(), fast.adc().keySet(), what);
                for (String layer : ref.adc().keySet()) {
                    AdcSetting a = ref.adc().get(layer);
                    AdcSetting b = fast.adc().get(layer);
                    assertEquals(a.delta(), b.delta(), what + ", " + layer);
                    assertArrayEquals(a.arrayDeltas(), b.arrayDeltas(), what + ", " + layer);
                }
                boolean moved = ref.adc().keySet().stream().anyMatch(l -> ref.adc().get(l).delta() != r.adc().get(l).delta()
                        || !java.util.Arrays.equals(ref.adc().get(l).arrayDeltas(), r.adc().get(l).arrayDeltas()));
                assertTrue(moved, what + ": the search left every step where it started");
            }
        }
    }
}
