package org.cimq.cim.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cimq.cim.AdcSetting;
import org.cimq.cim.LayerSelection;
import org.cimq.cim.MappedLayer;
import org.cimq.cim.MappedLayers;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.Quantizer;
import org.cimq.ir.Graph;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Value;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The straight-through (LSQ-style) gradient of the loss with respect to each mapped layer's ADC step Δ, from
 * two extra CIM evaluations of the layer on its own input ("probes"), so the per-partial-sum clipping the
 * gradient needs is exact while no partial sum leaves the runtime's kernel.
 * <p>With {@code Q(v) = Δ·k(v/Δ)}, {@code k = clamp(round(·), −m, m)} (odd L, m = (L−1)/2), rounding passed straight
 * through and the clamp's gradient zero outside its range, {@code dQ/dΔ = k(v/Δ) − (v/Δ)·[|v| ≤ M]}, where M is the
 * largest integer below (m + ½)·Δ (partial sums are integers). For the layer output
 * {@code y = k_n·Σ 2^(i+j)·Q(ps) + bias} (k_n = s_w[n]·s_x) this gives
 * {@code dy/dΔ = ((y − bias) − y_M + M·y_S / (2M + 1)) / Δ}, where the probes are the same layer without bias and with
 * two other CIM-SPEC ADCs: {@code y_M} with L = 2M + 1, Δ = 1 (every partial sum clamped to [−M, M]) and
 * {@code y_S} with L = 3, Δ = 2M + 1 (which is (2M + 1)·sign(ps) exactly where |ps| > M). Hence
 * {@code Σ 2^(i+j)·ps·[|ps| ≤ M] = (y_M − M·y_S/(2M + 1)) / k_n}. For M = 0 the in-range sum is 0 and y_M is not used.
 * <p>Only odd L (the zero-tread quantizer's symmetric case) is supported.
 */
final class StepProbes {
    static final String CLAMP = "#cimq-step-clamp";
    static final String SIGN = "#cimq-step-sign";

    private final List<MappedLayer> layers;

    private StepProbes(List<MappedLayer> layers) {
        this.layers = layers;
    }

    /**
     * Adds the two probes of every layer of {@code layers} to {@code m} (a private copy of the prepared model, whose
     * mapped layers are {@code layers} under {@code cfg}): nodes on the layer's input and weight without bias, outputs
     * named after the layer's output plus {@link #CLAMP} / {@link #SIGN}, made graph outputs. Returns the configuration
     * that keeps the same layers digital by name (the probes are mappable layers too).
     */
    static CimConfig addTo(Model m, CimConfig cfg, List<MappedLayer> layers) {
        Graph g = m.graph();
        List<MappedLayer> candidates = MappedLayers.find(g);
        List<String> digital = new ArrayList<>();
        for (MappedLayer c : candidates) {
            if (layers.stream().noneMatch(l -> l.name().equals(c.name()))) {
                if (c.name().contains(",")) {
                    throw new TrainingException(c.node().describe() + ": learning ADC steps needs digital layer names without commas");
                }
                digital.add(c.name());
            }
        }
        Map<String, Node> byName = new LinkedHashMap<>();
        for (MappedLayer c : candidates) {
            byName.put(c.name(), c.node());
        }
        for (MappedLayer l : layers) {
            Node n = byName.get(l.name());
            if (n == null) {
                throw new TrainingException("mapped layer '" + l.name() + "' is missing from the copy of the model");
            }
            for (String suffix : new String[] {CLAMP, SIGN}) {
                Node p = new Node(l.name() + suffix, n.opType(), n.domain());
                n.attributes().forEach(p::setAttr);
                p.addInput(n.input(0));
                p.addInput(n.input(1));
                Value out = new Value(n.output(0).name() + suffix, null);
                p.addOutput(out);
                g.addNode(p);
                g.outputs().add(out);
            }
        }
        g.sortTopologically();
        CimConfig probed = cfg.with("digital_layers", String.join(",", digital));
        List<String> mapped = LayerSelection.mapped(MappedLayers.find(g), probed.digitalLayers()).stream().map(MappedLayer::name)
                .toList();
        if (mapped.size() != 3 * layers.size()) {
            throw new IllegalStateException("probes: expected " + 3 * layers.size() + " mapped layers, got " + mapped);
        }
        return probed;
    }

    /** The largest integer partial sum inside the ADC's range: the largest integer below (m + ½)·Δ, at least 0. */
    static int inRangeBound(int levels, float delta) {
        if (levels % 2 == 0) {
            throw new TrainingException("learning ADC steps needs an odd number of levels, got " + levels);
        }
        double m = (levels - 1) / 2.0;
        double edge = (m + 0.5) * (double) delta;
        long M = (long) Math.ceil(edge) - 1;
        return (int) Math.max(0, Math.min(M, Integer.MAX_VALUE / 4));
    }

    /** The ADCs of a layer's two probes for its current step: clamp to [−M, M], and (2M + 1)·sign beyond M. */
    static AdcSetting[] settings(int levels, float delta) {
        int m = inRangeBound(levels, delta);
        return new AdcSetting[] {AdcSetting.uniform(Math.max(3, 2 * m + 1), Quantizer.ZERO_TREAD, 1.0),
            AdcSetting.uniform(3, Quantizer.ZERO_TREAD, 2 * m + 1)};
    }

    /** y less the layer's bias (Conv's B per channel, Gemm's beta·C per output; MatMul has none), as float32 in C order. */
    static float[] withoutBias(INDArray y, Node n, INDArray bias) {
        float[] v = FloatArrays.of(y);
        if (bias == null || n.opType().equals("MatMul")) {
            return v;
        }
        float[] b = FloatArrays.of(bias);
        long outs = y.size(1);
        if (b.length != outs) {
            throw new TrainingException(n.describe() + ": learning ADC steps needs a bias with one value per output (" + outs
                    + "), got " + b.length);
        }
        float beta = n.opType().equals("Gemm") ? n.attrFloat("beta", 1f) : 1f;
        int area = (int) (v.length / (y.size(0) * outs));
        for (int i = 0; i < v.length; i++) {
            v[i] -= beta * b[(int) ((i / area) % outs)];
        }
        return v;
    }

    /**
     * dL/dΔ of one layer: Σ dy ⊙ ((y − bias) − y_M + M·y_S/(2M + 1)) / Δ over the batch.
     * @param dy    dL/dy of the layer's output
     * @param yNoBias the layer's CIM output less its bias
     */
    static double gradient(INDArray dy, float[] y, INDArray yClamp, INDArray ySign, int levels, float delta) {
        int m = inRangeBound(levels, delta);
        float[] g = FloatArrays.of(dy);
        float[] c = FloatArrays.of(yClamp);
        float[] s = FloatArrays.of(ySign);
        double ratio = (double) m / (2.0 * m + 1);
        double sum = 0;
        for (int i = 0; i < g.length; i++) {
            double inRange = (m > 0 ? c[i] : 0.0) - ratio * s[i];
            sum += g[i] * (y[i] - inRange);
        }
        return sum / delta;
    }
}
