package org.cimq.cim.train;

import org.cimq.ir.Model;
import org.cimq.runtime.Executor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Knowledge distillation from a float teacher: each training batch (the same augmented images the student sees)
 * runs through the teacher on cimq's float runtime, and the student's cross-entropy targets become
 * {@code weight · softmax(teacher logits) + (1 - weight) · one-hot label} (temperature 1, so no T² rescaling is
 * needed; the targets still sum to 1 per image). With weight 0 the targets are the labels, unchanged.
 * The teacher is typically the float model the CIM model was made from: its soft probabilities carry how
 * similar the classes look, a denser signal than the label for a network whose 3-level ADCs cost it accuracy.
 */
public final class Distillation {
    private final Executor teacher;
    private final double weight;
    private final String description;

    /**
     * @param teacher     a float model with the student's input and a logits first output over the same classes
     * @param weight      the teacher's share of the targets, in [0, 1]
     * @param description the teacher, for reports (for example its file name)
     */
    public Distillation(Model teacher, double weight, String description) {
        if (!(weight >= 0 && weight <= 1)) {
            throw new IllegalArgumentException("distillation weight must be in [0, 1], got " + weight);
        }
        this.teacher = new Executor(teacher);
        this.weight = weight;
        this.description = description;
    }

    /** The teacher's share of the targets. */
    public double weight() {
        return weight;
    }

    /** The teacher and its weight, for fingerprints and reports. */
    public String describe() {
        return description + " (weight " + weight + ")";
    }

    /**
     * The targets of one batch: {@code oneHot} [B, classes] mixed with the teacher's softmax on {@code images}.
     * @throws TrainingException when the teacher's logits do not have {@code oneHot}'s shape
     */
    public INDArray targets(INDArray images, INDArray oneHot) {
        if (weight == 0) {
            return oneHot;
        }
        INDArray logits = teacher.run(images)[0];
        if (logits.rank() != 2 || logits.size(0) != oneHot.size(0) || logits.size(1) != oneHot.size(1)) {
            throw new TrainingException("the teacher's logits have shape " + java.util.Arrays.toString(logits.shape())
                    + ", expected " + java.util.Arrays.toString(oneHot.shape()) + " (same batch and classes as the labels)");
        }
        INDArray p = Transforms.softmax(logits.castTo(oneHot.dataType()), true);
        return p.muli(weight).addi(oneHot.mul(1 - weight));
    }
}
