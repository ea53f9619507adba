package org.cimq.cim.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cimq.cim.MappedLayer;
import org.cimq.cim.config.CimConfig;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Value;
import org.cimq.runtime.NdArrays;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A prepared float model as a SameDiff graph with its {@link Parameters} as variables and a
 * softmax cross-entropy loss (mean over the batch). Mapped layers compute the CIM forward of
 * {@link CimLayerOps} with their {@link LayerQuant}; the other ops run in float ({@link FloatOps}).
 */
public final class TrainingGraph implements StepEngine {
    public static final String INPUT = "input";
    public static final String LABELS = "labels";
    public static final String LOSS = "loss";
    private final SameDiff sd;
    private final String logits;
    private final Map<String, String> variables;

    private TrainingGraph(SameDiff sd, String logits, Map<String, String> variables) {
        this.sd = sd;
        this.logits = logits;
        this.variables = variables;
    }

    /**
     * @param layers    the mapped layers of {@code prepared}
     * @param quant     each mapped layer's settings by name
     * @param fakeQuant mapped layers as plain fake-quantized layers (one Conv/MatMul of the integer codes) instead of arrays
     */
    public static TrainingGraph build(Model prepared, CimConfig cfg, List<MappedLayer> layers, Map<String, LayerQuant> quant,
                                      Parameters params, int classes, boolean fakeQuant) {
        SameDiff sd = SameDiff.create();
        Value in = prepared.graph().inputs().get(0);
        long[] inShape = in.type().shapeOrMinusOne().clone();
        inShape[0] = -1;
        Map<Value, SDVariable> vals = new HashMap<>();
        vals.put(in, sd.placeHolder(INPUT, DataType.FLOAT, inShape));
        Map<String, String> variables = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, INDArray> e : params.values().entrySet()) {
            String name = "param" + i++;
            variables.put(e.getKey(), name);
            vals.put(prepared.graph().valuesByName().get(e.getKey()), sd.var(name, e.getValue()));
        }
        Map<Node, MappedLayer> mapped = new HashMap<>();
        layers.forEach(l -> mapped.put(l.node(), l));
        FloatOps ops = new FloatOps(sd, new CimLayerOps(sd, cfg, fakeQuant));
        for (Node n : prepared.graph().nodes()) {
            List<SDVariable> ins = new ArrayList<>();
            for (Value v : n.inputs()) {
                ins.add(v == null ? null : vals.computeIfAbsent(v, k -> constant(sd, k, n)));
            }
            MappedLayer l = mapped.get(n);
            SDVariable out = l == null ? ops.apply(n, ins) : ops.mapped(n, l, ins, quant.get(l.name()));
            vals.put(n.output(0), out);
        }
        SDVariable y = vals.get(prepared.graph().outputs().get(0));
        SDVariable labels = sd.placeHolder(LABELS, DataType.FLOAT, -1, classes);
        sd.loss().softmaxCrossEntropy(LOSS, labels, y, null, LossReduce.MEAN_BY_NONZERO_WEIGHT_COUNT, 0.0);
        sd.setLossVariables(LOSS);
        quietly(sd::createGradFunction);
        return new TrainingGraph(sd, y.name(), variables);
    }

    /** Runs {@code r} with System.out muted: SameDiff prints a line per op while it builds the gradient graph. */
    private static synchronized void quietly(Runnable r) {
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            r.run();
        } finally {
            System.setOut(out);
        }
    }

    private static SDVariable constant(SameDiff sd, Value v, Node user) {
        if (!v.isConstant()) {
            throw new TrainingException(user.describe() + ": input '" + v.name() + "' is neither computed earlier nor a constant");
        }
        return sd.constant(NdArrays.fromTensor(v.constant()));
    }

    /** Loss, logits and the gradient of every parameter (by initializer name) for one batch. */
    public record Step(double loss, INDArray logits, Map<String, INDArray> gradients) { }

    @Override
    public Step step(INDArray images, INDArray oneHot) {
        Map<String, INDArray> ph = Map.of(INPUT, images, LABELS, oneHot);
        OutAndGrad r = sd.calculateGradientsAndOutputs(ph, List.of(LOSS, logits), variables.values());
        Map<String, INDArray> grads = new LinkedHashMap<>();
        variables.forEach((ir, var) -> grads.put(ir, r.getGradients().get(var)));
        return new Step(r.getOutputs().get(LOSS).getDouble(0), r.getOutputs().get(logits), grads);
    }

    /** The logits of a batch. */
    public INDArray logits(INDArray images) {
        return sd.output(Map.of(INPUT, images), logits).get(logits);
    }

    /** The graph's own array of a parameter (updated in place by the optimizer). */
    @Override
    public INDArray parameter(String irName) {
        return sd.getArrForVarName(variables.get(irName));
    }
}
