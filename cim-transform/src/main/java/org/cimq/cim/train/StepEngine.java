package org.cimq.cim.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/** One way of computing a training step ({@link Backward}): loss, logits and parameter gradients of a batch. */
interface StepEngine {
    TrainingGraph.Step step(INDArray images, INDArray oneHot);

    /** dL/dΔ of every mapped layer at the last step, by layer name; empty when the engine does not compute them. */
    default java.util.Map<String, Double> stepGradients() {
        return java.util.Map.of();
    }

    /** dL/ds_x of every mapped layer at the last step, by layer name; empty when the engine does not compute them. */
    default java.util.Map<String, Double> inputScaleGradients() {
        return java.util.Map.of();
    }

    /** The engine's own array of a parameter, updated in place by the optimizer. */
    INDArray parameter(String irName);
}
