package org.cimq.cim.train;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cimq.cim.MappedLayer;
import org.cimq.ir.Node;
import org.cimq.ir.Value;
import org.cimq.runtime.NdArrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The {@link Backward#FAKE_QUANT} training step: the batch runs through the runtime's CIM model of
 * the current weights ({@link RuntimeCimForward}), which gives the logits (exact CIM-SPEC, so the
 * loss and accuracy reported are the CIM model's) and every activation; {@link FakeQuantBackward}
 * then differentiates the fake-quantized network at those activations, starting from the softmax
 * cross-entropy's gradient of the runtime's logits.
 */
final class RuntimeCimStep implements StepEngine {
    private final RuntimeCimForward forward;
    private final FakeQuantBackward backward;
    private final Parameters params;
    private final Map<String, LayerQuant> quant;
    private final List<MappedLayer> layers;
    private final Map<String, Double> stepGradients = new LinkedHashMap<>();
    private final Map<String, Double> inputScaleGradients = new LinkedHashMap<>();

    /** Trains {@code params} in place (through the optimizer) with {@code quant}'s input scales and ADC steps. */
    RuntimeCimStep(RuntimeCimForward forward, FakeQuantBackward backward, Parameters params, Map<String, LayerQuant> quant,
                   List<MappedLayer> layers) {
        this.layers = layers;
        this.forward = forward;
        this.backward = backward;
        this.params = params;
        this.quant = quant;
    }

    @Override
    public TrainingGraph.Step step(INDArray images, INDArray oneHot) {
        RuntimeCimForward.Result cim = forward.run(params, quant, images, backward.neededValues());
        Map<String, INDArray> values = new HashMap<>(cim.values());
        values.put(forward.inputName(), images);
        INDArray logits = cim.logits();
        INDArray dLogits = Transforms.softmax(logits.castTo(oneHot.dataType()), true).subi(oneHot).divi((double) logits.size(0));
        Map<String, INDArray> layerDy = cim.probes().isEmpty() ? null : new HashMap<>();
        inputScaleGradients.clear();
        Map<String, INDArray> grads = backward.gradients(values, dLogits, params, quant, layerDy, inputScaleGradients);
        stepGradients.clear();
        if (layerDy != null) {
            for (MappedLayer l : layers) {
                LayerQuant q = quant.get(l.name());
                INDArray dy = layerDy.get(l.name());
                INDArray[] p = cim.probes().get(l.name());
                if (dy == null || q.levels() == 0) {
                    stepGradients.put(l.name(), 0.0);
                    continue;
                }
                Node n = l.node();
                INDArray bias = n.inputs().size() > 2 && n.input(2) != null ? bias(n.input(2)) : null;
                float[] y = StepProbes.withoutBias(cim.layerOutputs().get(n.output(0).name()), n, bias);
                stepGradients.put(l.name(), StepProbes.gradient(dy, y, p[0], p[1], q.levels(), q.delta()));
            }
        }
        return new TrainingGraph.Step(CrossEntropy.mean(logits, oneHot), logits, grads);
    }

    /** dL/dΔ of every mapped layer at the last step (by layer name); empty unless the forward runs step probes. */
    @Override
    public Map<String, Double> stepGradients() {
        return stepGradients;
    }

    /** dL/ds_x of every mapped layer at the last step (by layer name), LSQ's straight-through gradient. */
    @Override
    public Map<String, Double> inputScaleGradients() {
        return inputScaleGradients;
    }

    private INDArray bias(Value v) {
        return params.isParameter(v) ? params.values().get(v.name()) : NdArrays.fromTensor(v.constant());
    }

    @Override
    public INDArray parameter(String irName) {
        return params.values().get(irName);
    }
}
