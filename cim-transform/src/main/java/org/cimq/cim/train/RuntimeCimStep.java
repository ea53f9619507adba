package org.cimq.cim.train;

import java.util.HashMap;
import java.util.Map;
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

    /** Trains {@code params} in place (through the optimizer) with {@code quant}'s input scales and ADC steps. */
    RuntimeCimStep(RuntimeCimForward forward, FakeQuantBackward backward, Parameters params, Map<String, LayerQuant> quant) {
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
        Map<String, INDArray> grads = backward.gradients(values, dLogits, params, quant);
        return new TrainingGraph.Step(CrossEntropy.mean(logits, oneHot), logits, grads);
    }

    @Override
    public INDArray parameter(String irName) {
        return params.values().get(irName);
    }
}
