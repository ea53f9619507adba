package org.cimq.cim.search;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Images (the model's first input, NCHW float) and their class labels, one per image. */
public record LabelledBatch(INDArray images, int[] labels) {
    public LabelledBatch {
        if (images.size(0) != labels.length) {
            throw new IllegalArgumentException(images.size(0) + " images but " + labels.length + " labels");
        }
    }
}
