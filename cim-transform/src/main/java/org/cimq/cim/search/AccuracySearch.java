package org.cimq.cim.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cimq.cim.AdcSetting;
import org.cimq.cim.CimModelBuilder;
import org.cimq.cim.CimTransformException;
import org.cimq.cim.calib.InputCalibration;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.runtime.cim.CimOps;

/**
 * The paper's data-driven ADC range search: candidate steps around a starting choice (the
 * histogram {@code mse} steps), each scored by running the CIM model on a labelled calibration
 * sample ({@link SampleScore}: top-1, ties broken by the lower mean cross-entropy).
 * <ul>
 * <li>{@link #accLayer} ({@code acc-layer}): the {@link #network} search from each given start, then
 *     the greedy pass ({@link #layerwise}) from the best of them.</li>
 * <li>{@link #layerwise} (acc-layer's greedy pass): over the mapped layers in graph order;
 *     for layer ℓ the candidates are ℓ's current step times each {@link StepFactors} factor, with
 *     the layers before ℓ at the steps already chosen and the layers after ℓ at their starting
 *     steps; the best candidate is kept. With array granularity all of ℓ's array steps are scaled
 *     together.</li>
 * <li>{@link #network} ({@code acc-network}): every layer's step times the same factor (for the
 *     {@code mse-network} start: one shared Δ), the whole network scored per candidate.</li>
 * </ul>
 * Factor 1 is scored first (for every layer after the first it is the previous layer's best
 * model, whose score is reused) and a candidate replaces the best only when strictly better (with a
 * {@code significance} z > 0: better by more than z paired standard errors, {@link SampleScore#beats}), so the
 * result never scores below the start on the sample: the final score is the start's or better
 * (an invariant the tests check). A candidate stops as soon as the images it got right so far plus
 * the images it has not yet run are fewer than the best's right ones (it can only lose; with
 * {@code stopLosers}, the default): the steps and scores are exactly those of running every
 * candidate to the end, in less time. Only the part of the model a candidate changes runs per
 * candidate ({@link CachedSuffix}), complete layers on the fused kernel unless the options say
 * otherwise; scores are the same either way. Per-column steps are not searched.
 */
public final class AccuracySearch {
    /** Told after each candidate: candidates scored so far and in all. */
    @FunctionalInterface
    public interface Listener {
        void candidateDone(int done, int total);
    }

    /**
     * The default ({@link #DEFAULT}) runs the fused kernels and keeps the searched layer's input, not its partial
     * sums: running the layer again on the fused kernel per candidate is faster than quantizing its cached partial
     * sums on the reference ADC kernels (acc-layer on ResNet-20, 100 search images: 81 s vs 118 s, same steps).
     * {@link #REFERENCE} runs the reference kernels and keeps the partial sums where they fit 1 GiB (there the
     * arrays are the slow part).
     *
     * @param factors      the candidate grid
     * @param cacheBudget  the largest frontier (bytes, whole sample) kept at the ADC inputs ({@link CachedSuffix}); 0:
     *                     always at the layer inputs
     * @param fusedKernels run complete layers on the bit-packed fused kernel (same scores, faster); false: the
     *                     reference kernels
     * @param significance z of {@link SampleScore#beats}: a candidate replaces the best only when its paired gain in
     *                     right answers exceeds z standard errors; 0: any strict improvement (top-1, then
     *                     cross-entropy)
     */
    public record Options(StepFactors factors, long cacheBudget, boolean fusedKernels, boolean stopLosers, double significance) {
        /** The default significance: 0, every strict improvement counts (the paper's rule). */
        public static final double SIGNIFICANCE = 0;
        public static final Options DEFAULT = new Options(StepFactors.DEFAULT, 0, true);
        public static final Options REFERENCE = new Options(StepFactors.DEFAULT, 1L << 30, false);

        public Options {
            if (!(significance >= 0) || Double.isInfinite(significance)) {
                throw new IllegalArgumentException("significance must be a finite z >= 0, got " + significance);
            }
        }

        /** Losing candidates stopped early, at the default significance. */
        public Options(StepFactors factors, long cacheBudget, boolean fusedKernels, boolean stopLosers) {
            this(factors, cacheBudget, fusedKernels, stopLosers, SIGNIFICANCE);
        }

        /** These options with significance {@code z}. */
        public Options withSignificance(double z) {
            return new Options(factors, cacheBudget, fusedKernels, stopLosers, z);
        }

        /** With fused kernels, losing candidates stopped early. */
        public Options(StepFactors factors, long cacheBudget) {
            this(factors, cacheBudget, true);
        }

        /** Losing candidates stopped early. */
        public Options(StepFactors factors, long cacheBudget, boolean fusedKernels) {
            this(factors, cacheBudget, fusedKernels, true);
        }
    }

    /**
     * The chosen steps (layers in the start's order), the start's and the chosen steps' scores, the
     * candidates scored, and how many of those stopped before the end of the sample because they
     * could no longer beat the best so far ({@link CachedSuffix#scoreUnlessBeatenBy}).
     */
    public record Result(Map<String, AdcSetting> adc, SampleScore start, SampleScore best, int candidates, int stopped) { }

    private record AdcNode(String output, String layer, int array) { }

    private AccuracySearch() {
    }

    /**
     * The {@code acc-layer} method: a common-factor search ({@link #network}) from each of {@code starts} (for
     * example the mse steps and the mse-network step), then the greedy pass ({@link #layerwise}) from the best
     * of those. Greedy changes of one layer at a time cannot lift a network whose every layer is mis-scaled (at
     * L ≤ 4 on ResNet-20 the mse steps leave it at chance, and no single layer's step fixes that), so the
     * greedy pass starts where one common factor already got; the result therefore scores on the sample at
     * least as well as every start times its best common factor (acc-network's choice when a start is the
     * mse-network step), and at least as well as the first start. {@link Result#start} is the first start's score;
     * {@link Result#candidates} and {@link Result#stopped} count both stages, and the listener sees
     * {@link #accLayerCandidates} in all.
     */
    public static Result accLayer(CimModelBuilder builder, Model prepared, Map<String, InputCalibration.LayerInput> inputs,
                                  List<Map<String, AdcSetting>> starts, List<LabelledBatch> sample, Options options,
                                  Listener listener) {
        if (starts.isEmpty()) {
            throw new IllegalArgumentException("acc-layer needs at least one start");
        }
        int total = accLayerCandidates(starts.size(), starts.get(0).size(), options);
        int[] offset = {0};
        Listener shifted = listener == null ? null : (done, all) -> listener.candidateDone(offset[0] + done, total);
        Result scaled = null;
        SampleScore first = null;
        int candidates = 0;
        int stopped = 0;
        for (Map<String, AdcSetting> start : starts) {
            Result r = network(builder, prepared, inputs, start, sample, options, shifted);
            first = first == null ? r.start() : first;
            if (scaled == null || r.best().betterThan(scaled.best())) {
                scaled = r;
            }
            candidates += r.candidates();
            stopped += r.stopped();
            offset[0] += r.candidates();
        }
        Result greedy = layerwise(builder, prepared, inputs, scaled.adc(), scaled.best(), sample, options, shifted);
        return new Result(greedy.adc(), first, greedy.best(), candidates + greedy.candidates(), stopped + greedy.stopped());
    }

    /** Candidates {@link #accLayer} scores: one common-factor search per start, then the greedy pass. */
    public static int accLayerCandidates(int starts, int layers, Options options) {
        return (starts + layers) * options.factors().size();
    }

    /** The greedy acc-layer pass alone, from {@code start} (one setting per mapped layer, e.g. the mse steps). */
    public static Result layerwise(CimModelBuilder builder, Model prepared, Map<String, InputCalibration.LayerInput> inputs,
                                   Map<String, AdcSetting> start, List<LabelledBatch> sample, Options options,
                                   Listener listener) {
        return layerwise(builder, prepared, inputs, start, null, sample, options, listener);
    }

    /** The greedy pass; {@code startScore}, when known, is {@code start}'s score on the sample (not scored again). */
    private static Result layerwise(CimModelBuilder builder, Model prepared, Map<String, InputCalibration.LayerInput> inputs,
                                    Map<String, AdcSetting> start, SampleScore startScore, List<LabelledBatch> sample,
                                    Options options, Listener listener) {
        check(start, sample);
        Map<String, AdcSetting> current = new LinkedHashMap<>(start);
        int total = start.size() * options.factors().size();
        int done = 0;
        int stopped = 0;
        SampleScore first = null;
        SampleScore best = startScore;
        for (String layer : start.keySet()) {
            Model model = builder.transformed(prepared, inputs, current).model();
            List<AdcNode> nodes = adcNodes(model).stream().filter(a -> a.layer().equals(layer)).toList();
            CachedSuffix suffix = new CachedSuffix(model, nodes.stream().map(AdcNode::output).toList(), sample,
                    options.cacheBudget(), options.fusedKernels());
            AdcSetting base = current.get(layer);
            double bestFactor = 1;
            SampleScore layerBest = null;
            for (double f : options.factors().factors()) {
                AdcSetting candidate = base.scaled(f);
                for (AdcNode n : nodes) {
                    suffix.setDelta(n.output(), step(candidate, n.array()));
                }
                // factor 1 is the model the previous layer's best candidate was (or the given start): same score
                SampleScore s = f == 1.0 && best != null ? best
                        : suffix.scoreUnlessBeatenBy(options.stopLosers() ? layerBest : null);
                if (s == null) {
                    stopped++;
                } else if (layerBest == null || s.beats(layerBest, options.significance())) {
                    layerBest = s;
                    bestFactor = f;
                }
                first = first == null ? s : first;
                done++;
                if (listener != null) {
                    listener.candidateDone(done, total);
                }
            }
            current.put(layer, base.scaled(bestFactor));
            best = layerBest;
        }
        return new Result(current, first, best, done, stopped);
    }

    /** The acc-network search: every layer's step in {@code start} times one common factor. */
    public static Result network(CimModelBuilder builder, Model prepared, Map<String, InputCalibration.LayerInput> inputs,
                                 Map<String, AdcSetting> start, List<LabelledBatch> sample, Options options,
                                 Listener listener) {
        check(start, sample);
        Model model = builder.transformed(prepared, inputs, start).model();
        List<AdcNode> nodes = adcNodes(model);
        CachedSuffix suffix = new CachedSuffix(model, nodes.stream().map(AdcNode::output).toList(), sample,
                options.cacheBudget(), options.fusedKernels());
        int total = options.factors().size();
        int done = 0;
        int stopped = 0;
        SampleScore first = null;
        SampleScore best = null;
        double bestFactor = 1;
        for (double f : options.factors().factors()) {
            for (AdcNode n : nodes) {
                suffix.setDelta(n.output(), step(start.get(n.layer()).scaled(f), n.array()));
            }
            SampleScore s = suffix.scoreUnlessBeatenBy(options.stopLosers() ? best : null);
            if (s == null) {
                stopped++;
            } else if (best == null || s.beats(best, options.significance())) {
                best = s;
                bestFactor = f;
            }
            first = first == null ? s : first;
            done++;
            if (listener != null) {
                listener.candidateDone(done, total);
            }
        }
        Map<String, AdcSetting> out = new LinkedHashMap<>();
        for (Map.Entry<String, AdcSetting> e : start.entrySet()) {
            out.put(e.getKey(), e.getValue().scaled(bestFactor));
        }
        return new Result(out, first, best, done, stopped);
    }

    /** The step the transform writes on array {@code t}'s ADC node (as AdcNodes does). */
    private static double step(AdcSetting s, int t) {
        return s.arrayDeltas() != null ? s.arrayDeltas()[t] : s.delta();
    }

    private static void check(Map<String, AdcSetting> start, List<LabelledBatch> sample) {
        if (sample.isEmpty()) {
            throw new CimTransformException("the ADC step search needs at least one labelled calibration image");
        }
        if (start.isEmpty()) {
            throw new CimTransformException("the ADC step search needs at least one mapped layer");
        }
        for (Map.Entry<String, AdcSetting> e : start.entrySet()) {
            if (!e.getValue().enabled()) {
                throw new CimTransformException("layer '" + e.getKey() + "' has no ADC (L = 0): nothing to search");
            }
            if (e.getValue().columnDeltas() != null) {
                throw new CimTransformException("layer '" + e.getKey() + "': the accuracy search scales one step per network,"
                        + " layer or array; granularity column is not supported");
            }
        }
    }

    /** Every AdcQuantize node of {@code model}: its output, its layer and array (from the CimArray in front of it). */
    private static List<AdcNode> adcNodes(Model model) {
        List<AdcNode> out = new ArrayList<>();
        for (Node n : model.graph().nodes()) {
            if (n.domain().equals(CimOps.DOMAIN) && n.opType().equals(CimOps.ADC)) {
                Node array = n.input(0).producer();
                if (array == null || !array.opType().equals(CimOps.ARRAY)) {
                    throw new IllegalArgumentException(n.describe() + " does not read a CimArray node");
                }
                out.add(new AdcNode(n.output(0).name(), array.attrString("layer", array.name()), (int) array.attrInt("array", 0)));
            }
        }
        return out;
    }
}
