package org.cimq.cim.train;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cimq.cim.MappedLayer;
import org.cimq.cim.config.CimConfig;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Value;
import org.cimq.runtime.NdArrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The backward pass of the {@link Backward#FAKE_QUANT} engine: reverse-mode differentiation of the
 * prepared model, node by node in reverse graph order, with every mapped layer differentiated as
 * its fake-quantized layer ({@link LayerBackward}) and the other ops as {@link FloatOps} computes them
 * ({@link OpBackward}). The forward values it differentiates at are given: those of the runtime's
 * CIM model ({@link RuntimeCimForward}), so the gradient is the fake-quantized network's gradient at
 * the CIM operating point, with the ADC passed straight through (clipped partial sums are not
 * masked). Eager ND4J operations, one Conv or MatMul backward per layer, no graph.
 */
final class FakeQuantBackward {
    private final List<Node> nodes;
    private final Map<Node, MappedLayer> mapped = new HashMap<>();
    private final Map<Value, INDArray> constants = new HashMap<>();
    private final Set<String> needed = new HashSet<>();
    private final LayerBackward layers;
    private final boolean scaled;
    private final boolean exact;
    private final String logits;

    /**
     * Checks that every op of {@code prepared} can be differentiated (refusing others by node name).
     * @param scaled scale each mapped output's gradient as {@link Backward#FAKE_QUANT_SCALED} says
     */
    FakeQuantBackward(Model prepared, CimConfig cfg, List<MappedLayer> mappedLayers, Parameters params, boolean scaled) {
        this(prepared, cfg, mappedLayers, params, scaled ? Backward.FAKE_QUANT_SCALED : Backward.FAKE_QUANT);
    }

    /** As above, for any of the engines that run the runtime's forward: {@link Backward#FAKE_QUANT}, {@code _SCALED} or {@code EXACT}. */
    FakeQuantBackward(Model prepared, CimConfig cfg, List<MappedLayer> mappedLayers, Parameters params, Backward engine) {
        if (engine == Backward.ARRAYS) {
            throw new IllegalArgumentException("the arrays engine is a SameDiff graph, not a runtime-forward engine");
        }
        this.scaled = engine == Backward.FAKE_QUANT_SCALED;
        this.exact = engine == Backward.EXACT;
        this.nodes = List.copyOf(prepared.graph().nodes());
        this.layers = new LayerBackward(cfg, exact);
        this.logits = prepared.graph().outputs().get(0).name();
        mappedLayers.forEach(l -> mapped.put(l.node(), l));
        for (Node n : nodes) {
            if (!BatchNormTraining.isTrainingBatchNorm(n)) {
                FloatOps.checkSupported(n, mapped.get(n));
            }
            for (Value v : n.inputs()) {
                if (v == null) {
                    continue;
                }
                if (v.isConstant()) {
                    if (!params.isParameter(v)) {
                        constants.computeIfAbsent(v, k -> NdArrays.fromTensor(k.constant()));
                    }
                } else {
                    needed.add(v.name());
                }
            }
            if (n.opType().equals("Relu") || (scaled && mapped.containsKey(n))) {
                needed.add(n.output(0).name());
            }
        }
    }

    /** The values (by name) whose forward results {@link #gradients} reads. */
    Set<String> neededValues() {
        return needed;
    }

    /**
     * @param values  forward values by name: every one of {@link #neededValues()}
     * @param dLogits dL/d(logits), the model's first output
     * @return dL/dp for every parameter, by initializer name (zeros where the loss does not depend on it)
     */
    Map<String, INDArray> gradients(Map<String, INDArray> values, INDArray dLogits, Parameters params,
                                    Map<String, LayerQuant> quant) {
        return gradients(values, dLogits, params, quant, null);
    }

    /** As above, also putting dL/dy of every mapped layer's output into {@code layerDy} (by layer name) when not null. */
    Map<String, INDArray> gradients(Map<String, INDArray> values, INDArray dLogits, Parameters params,
                                    Map<String, LayerQuant> quant, Map<String, INDArray> layerDy) {
        return gradients(values, dLogits, params, quant, layerDy, null);
    }

    /**
     * As above, also putting every mapped layer's dL/ds_x (LSQ's straight-through gradient of its input scale,
     * {@link LayerBackward}) into {@code inputScaleGrads} (by layer name) when not null.
     */
    Map<String, INDArray> gradients(Map<String, INDArray> values, INDArray dLogits, Parameters params,
                                    Map<String, LayerQuant> quant, Map<String, INDArray> layerDy,
                                    Map<String, Double> inputScaleGrads) {
        Map<String, INDArray> grad = new HashMap<>();
        grad.put(logits, dLogits);
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            INDArray dy = grad.remove(n.output(0).name());
            if (dy == null) {
                continue;
            }
            INDArray[] in = new INDArray[n.inputs().size()];
            for (int k = 0; k < in.length; k++) {
                in[k] = value(n.input(k), values, params);
            }
            if (layerDy != null && mapped.containsKey(n)) {
                layerDy.put(mapped.get(n).name(), dy);
            }
            if (n.opType().equals("Conv") || n.opType().equals("Gemm") || n.opType().equals("MatMul")) {
                LayerBackward.Grads g = layer(n, in, dy, quant, values);
                if (inputScaleGrads != null && mapped.containsKey(n)) {
                    inputScaleGrads.put(mapped.get(n).name(), g.inputScale());
                }
                accumulate(grad, n.input(0), g.input(), params);
                accumulate(out, n.input(1), g.weight(), params);
                if (in.length > 2 && n.input(2) != null) {
                    accumulate(out, n.input(2), g.bias(), params);
                }
            } else {
                INDArray[] g = OpBackward.inputs(n, dy, in, values.get(n.output(0).name()));
                for (int k = 0; k < g.length; k++) {
                    accumulate(params.isParameter(n.input(k)) ? out : grad, n.input(k), g[k], params);
                }
            }
        }
        Map<String, INDArray> all = new LinkedHashMap<>();
        params.values().forEach((k, v) -> all.put(k, out.containsKey(k) ? out.get(k) : Nd4j.zerosLike(v)));
        return all;
    }

    private LayerBackward.Grads layer(Node n, INDArray[] in, INDArray dy, Map<String, LayerQuant> quant, Map<String, INDArray> values) {
        INDArray bias = in.length > 2 ? in[2] : null;
        MappedLayer l = mapped.get(n);
        if (l == null) {
            return n.opType().equals("Conv") ? layers.digitalConv(n, in[0], in[1], bias, dy)
                    : layers.digitalMatrix(n, in[0], in[1], bias, dy);
        }
        LayerQuant q = quant.get(l.name());
        if (q == null) {
            throw new TrainingException(n.describe() + ": no input scale or ADC step for this mapped layer");
        }
        INDArray y = scaled ? values.get(n.output(0).name()) : null;
        LayerQuant arrays = exact ? q : null;
        return n.opType().equals("Conv") ? layers.mappedConv(n, l, in[0], in[1], bias, dy, q.inputScale(), y, arrays)
                : layers.mappedMatrix(n, l, in[0], in[1], bias, dy, q.inputScale(), y, arrays);
    }

    private INDArray value(Value v, Map<String, INDArray> values, Parameters params) {
        if (v == null) {
            return null;
        }
        if (params.isParameter(v)) {
            return params.values().get(v.name());
        }
        INDArray a = v.isConstant() ? constants.get(v) : values.get(v.name());
        if (a == null) {
            throw new TrainingException("value '" + v.name() + "' was not recorded by the forward pass");
        }
        return a;
    }

    /** Adds g to the gradient of v (activations by value name, parameters by initializer name); constants take none. */
    private static void accumulate(Map<String, INDArray> grads, Value v, INDArray g, Parameters params) {
        if (v == null || g == null || (v.isConstant() && !params.isParameter(v))) {
            return;
        }
        INDArray before = grads.get(v.name());
        grads.put(v.name(), before == null ? g : before.add(g));
    }
}
