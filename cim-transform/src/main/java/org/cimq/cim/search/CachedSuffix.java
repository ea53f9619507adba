package org.cimq.cim.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cimq.cim.calib.CalibrationInterruptedException;
import org.cimq.ir.Graph;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Value;
import org.cimq.runtime.Executor;
import org.cimq.runtime.OpenMpThreads;
import org.cimq.runtime.Subgraph;
import org.cimq.runtime.cim.CimLayerFusion;
import org.cimq.runtime.cim.CimOps;
import org.cimq.runtime.kernels.ConvReluFusion;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A CIM model cut in two around some of its {@code AdcQuantize} nodes, for scoring many steps
 * of those nodes on one labelled sample: the part that does not depend on them (the prefix) runs
 * once per batch and the values it hands to the rest (the frontier) are kept; each
 * {@link #score} runs only the rest (the suffix), from the kept values, with the steps set by
 * {@link #setDelta}. The frontier is cut right at the ADC nodes (their partial sums, P·J times
 * the size of the layer's output per array, plus values such as a residual branch that the suffix
 * also reads) when that fits {@code budgetBytes} for the whole sample, else in front of the
 * layers' {@code CimQuantizeInput} nodes (the layer inputs, and the arrays run again per
 * candidate). With fused kernels (the default) prefix and suffix run every complete layer on the
 * bit-packed {@code CimFusedLayer} kernel ({@link CimLayerFusion}); the steps being changed stay
 * changeable there ({@link AdjustableAdcs}), and layers whose arrays are in the prefix while their
 * ADCs are in the suffix keep their per-array nodes. Scores are those of the whole model with the
 * same steps on the reference kernels, bit for bit: the suffix runs the same kernels on the same
 * values, or the fused kernel, which equals them bit for bit.
 */
public final class CachedSuffix {
    /** Where a changing step lives in the suffix: an AdcQuantize node ({@code array} −1) or array {@code array} of a fused layer. */
    private record Step(Node node, int array) { }

    private final Executor executor;
    private final AdjustableAdcs adcs;
    private final Map<String, Step> steps = new LinkedHashMap<>();
    private final List<Map<String, INDArray>> frontier = new ArrayList<>();
    private final List<LabelledBatch> sample;
    private final String output;
    private final boolean atAdcInputs;
    private final long frontierBytes;
    private final boolean fusedKernels;
    private final int fusedLayers;

    /** As {@link #CachedSuffix(Model, List, List, long, boolean)} with fused kernels. */
    public CachedSuffix(Model full, List<String> adcOutputs, List<LabelledBatch> sample, long budgetBytes) {
        this(full, adcOutputs, sample, budgetBytes, true);
    }

    /**
     * @param full        a CIM model; the caller gives up ownership (it is sorted, not otherwise changed)
     * @param adcOutputs  output value names of the AdcQuantize nodes whose steps will change
     * @param sample      the labelled batches to score on
     * @param budgetBytes the largest frontier, over the whole sample, kept at the ADC inputs
     * @param fusedKernels run complete layers on the fused kernel; false: every layer on the reference kernels
     */
    public CachedSuffix(Model full, List<String> adcOutputs, List<LabelledBatch> sample, long budgetBytes,
                        boolean fusedKernels) {
        this.sample = List.copyOf(sample);
        this.fusedKernels = fusedKernels;
        Graph g = full.graph();
        g.sortTopologically();
        this.output = g.outputs().get(0).name();
        List<Node> changed = adcNodes(g, adcOutputs);
        List<String> inputs = g.inputs().stream().map(Value::name).toList();
        List<String> cut = frontier(g, changed);
        long images = sample.stream().mapToLong(b -> b.labels().length).sum();
        Model prefixModel = Subgraph.extract(full, inputs, cut);
        int prefixFused = fuse(prefixModel).fusedLayers().size();
        Executor prefix = new Executor(prefixModel);
        Map<String, INDArray> first = run(prefix, inputs, sample.get(0).images(), cut);
        long perImage = bytes(first) / Math.max(1, sample.get(0).labels().length);
        boolean fits = perImage * images <= budgetBytes;
        if (!fits) {
            cut = frontier(g, quantizeInputs(changed));
            prefixModel = Subgraph.extract(full, inputs, cut);
            prefixFused = fuse(prefixModel).fusedLayers().size();
            prefix = new Executor(prefixModel);
            first = run(prefix, inputs, sample.get(0).images(), cut);
        }
        this.atAdcInputs = fits;
        frontier.add(first);
        for (int b = 1; b < sample.size(); b++) {
            interrupted();
            frontier.add(run(prefix, inputs, sample.get(b).images(), cut));
        }
        this.frontierBytes = frontier.stream().mapToLong(CachedSuffix::bytes).sum();
        Model suffix = Subgraph.extract(full, cut, List.of(output));
        CimLayerFusion suffixFusion = fuse(suffix);
        Map<String, CimLayerFusion.FusedAdc> moved = suffixFusion.fusedAdcs();
        this.fusedLayers = prefixFused + suffixFusion.fusedLayers().size();
        this.adcs = new AdjustableAdcs();
        this.executor = new Executor(suffix, adcs.registry());
        Map<String, Node> kept = adcNodesByOutput(suffix.graph());
        for (String o : adcOutputs) {
            Node n = kept.get(o);
            CimLayerFusion.FusedAdc f = moved.get(o);
            if (n == null && f == null) {
                throw new IllegalStateException("ADC node '" + o + "' is neither in the suffix nor in one of its fused layers");
            }
            steps.put(o, n != null ? new Step(n, -1) : new Step(f.layer(), f.array()));
        }
    }

    /** Sets the step of the ADC node with output {@code adcOutput} for the following scores. */
    public void setDelta(String adcOutput, double delta) {
        Step s = steps.get(adcOutput);
        if (s == null) {
            throw new IllegalArgumentException("'" + adcOutput + "' is not one of the ADC nodes this cut was made for: "
                    + steps.keySet());
        }
        if (s.array() < 0) {
            adcs.setDelta(s.node(), delta);
        } else {
            adcs.setDelta(s.node(), s.array(), delta);
        }
    }

    /** The score of the model with the current steps over the whole sample. */
    public SampleScore score() {
        return scoreUnlessBeatenBy(null);
    }

    /**
     * The score of the model with the current steps over the whole sample, or null as soon as it
     * cannot beat {@code rival} any more: after a batch, when the images right so far plus all
     * images not yet run are fewer than {@code rival}'s right ones, the final count is below
     * {@code rival}'s whatever the rest gives, so the candidate is strictly worse
     * ({@link SampleScore#betterThan} orders by top-1 first) and the rest is not run. Exact: a
     * search that keeps the best never keeps a candidate this stops. {@code rival} null: never stops.
     */
    public SampleScore scoreUnlessBeatenBy(SampleScore rival) {
        SampleScore s = SampleScore.EMPTY;
        long left = sample.stream().mapToLong(b -> b.labels().length).sum();
        for (int b = 0; b < sample.size(); b++) {
            interrupted();
            s = s.plus(SampleScore.of(logits(b), sample.get(b).labels()));
            left -= sample.get(b).labels().length;
            if (rival != null && s.correct() + left < rival.correct()) {
                System.gc();
                return null;
            }
        }
        // ND4J frees a buffer's off-heap memory only when its Java object is collected, and a candidate allocates
        // gigabytes off-heap while the heap barely grows: without this the process reached 22.8 GB RSS in an
        // acc-layer search on ResNet-20 (500 images); one collection per candidate costs ~1% of its time
        System.gc();
        return s;
    }

    /** The model's first output for batch {@code b} of the sample, with the current steps. */
    public INDArray logits(int b) {
        return OpenMpThreads.single(() -> executor.run(frontier.get(b), null).get(output));
    }

    /** True when the frontier was cut at the ADC inputs (partial sums kept), false when at the layer inputs. */
    public boolean atAdcInputs() {
        return atAdcInputs;
    }

    /** Bytes of the values kept for the whole sample. */
    public long frontierBytes() {
        return frontierBytes;
    }

    /** Layers that run on the fused kernel, prefix and suffix together (0 without fused kernels). */
    public int fusedLayers() {
        return fusedLayers;
    }

    /** Fuses {@code part}'s complete layers when fused kernels are asked for (else a fusion that fused nothing). */
    private CimLayerFusion fuse(Model part) {
        CimLayerFusion fusion = new CimLayerFusion();
        if (fusedKernels) {
            fusion.run(part);
            new ConvReluFusion().run(part);
        }
        return fusion;
    }

    private static Map<String, INDArray> run(Executor prefix, List<String> inputs, INDArray images, List<String> cut) {
        Map<String, INDArray> out = OpenMpThreads.single(() -> prefix.run(Map.of(inputs.get(0), images), null));
        Map<String, INDArray> kept = new LinkedHashMap<>();
        for (String name : cut) {
            kept.put(name, out.get(name));
        }
        return kept;
    }

    private static Map<String, Node> adcNodesByOutput(Graph g) {
        Map<String, Node> byOutput = new LinkedHashMap<>();
        for (Node n : g.nodes()) {
            if (n.domain().equals(CimOps.DOMAIN) && n.opType().equals(CimOps.ADC)) {
                byOutput.put(n.output(0).name(), n);
            }
        }
        return byOutput;
    }

    private static List<Node> adcNodes(Graph g, List<String> outputs) {
        Map<String, Node> byOutput = adcNodesByOutput(g);
        List<Node> out = new ArrayList<>();
        for (String o : outputs) {
            Node n = byOutput.get(o);
            if (n == null) {
                throw new IllegalArgumentException("'" + o + "' is not the output of an AdcQuantize node");
            }
            out.add(n);
        }
        return out;
    }

    /** The CimQuantizeInput nodes in front of the arrays the ADC nodes convert (ADC ← CimArray ← CimBitPlanes ← CimQuantizeInput). */
    private static List<Node> quantizeInputs(List<Node> adcs) {
        Set<Node> out = new LinkedHashSet<>();
        for (Node a : adcs) {
            Node p = a.input(0).producer();
            while (p != null && !(p.domain().equals(CimOps.DOMAIN) && p.opType().equals(CimOps.QUANTIZE_INPUT))) {
                p = p.inputs().isEmpty() || p.input(0) == null ? null : p.input(0).producer();
            }
            if (p == null) {
                throw new IllegalArgumentException(a.describe() + " has no CimQuantizeInput node in front of it");
            }
            out.add(p);
        }
        return new ArrayList<>(out);
    }

    /**
     * Names of the values the nodes depending on {@code start} (start included) read from the rest
     * of the graph, constants excluded, plus graph outputs the rest computes. {@code g} is sorted.
     */
    private static List<String> frontier(Graph g, List<Node> start) {
        Set<Node> suffix = Collections.newSetFromMap(new IdentityHashMap<>());
        suffix.addAll(start);
        for (Node n : g.nodes()) {
            for (Value in : n.inputs()) {
                if (in != null && in.producer() != null && suffix.contains(in.producer())) {
                    suffix.add(n);
                }
            }
        }
        Set<String> cut = new LinkedHashSet<>();
        for (Node n : g.nodes()) {
            if (!suffix.contains(n)) {
                continue;
            }
            for (Value in : n.inputs()) {
                if (in != null && !in.isConstant() && (in.producer() == null || !suffix.contains(in.producer()))) {
                    cut.add(in.name());
                }
            }
        }
        for (Value o : g.outputs()) {
            if (o.producer() == null || !suffix.contains(o.producer())) {
                cut.add(o.name());
            }
        }
        return new ArrayList<>(cut);
    }

    private static long bytes(Map<String, INDArray> values) {
        return values.values().stream().mapToLong(a -> a.length() * a.dataType().width()).sum();
    }

    private static void interrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new CalibrationInterruptedException("ADC step search interrupted");
        }
    }
}
