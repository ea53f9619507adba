package org.cimq.cim.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cimq.ir.Model;
import org.cimq.runtime.Executor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Distillation targets: the teacher's softmax (computed here in double) mixed with the labels, rows summing to 1. */
class DistillationTest {
    @Test
    void targetsMixTheTeachersSoftmaxWithTheLabels() {
        Model teacher = TrainTestModels.cnn(3);
        INDArray x = TrainTestModels.batches(5, 1, 4).get(0);
        float[] logits = new Executor(teacher).run(x.dup())[0].dup('c').data().asFloat();
        INDArray oneHot = Nd4j.create(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0}, new long[] {4, 3}, 'c');
        float[] y = oneHot.dup('c').data().asFloat();
        double w = 0.3;
        float[] got = new Distillation(teacher, w, "t").targets(x.dup(), oneHot.dup()).dup('c').data().asFloat();
        boolean differsFromLabels = false;
        for (int i = 0; i < 4; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < 3; k++) {
                max = Math.max(max, logits[i * 3 + k]);
            }
            double sum = 0;
            for (int k = 0; k < 3; k++) {
                sum += Math.exp(logits[i * 3 + k] - max);
            }
            double rowSum = 0;
            for (int k = 0; k < 3; k++) {
                double p = Math.exp(logits[i * 3 + k] - max) / sum;
                double want = w * p + (1 - w) * y[i * 3 + k];
                assertEquals(want, got[i * 3 + k], 1e-6, "image " + i + ", class " + k);
                rowSum += got[i * 3 + k];
                differsFromLabels |= Math.abs(got[i * 3 + k] - y[i * 3 + k]) > 1e-3;
            }
            assertEquals(1.0, rowSum, 1e-5, "targets of image " + i + " sum to 1");
        }
        assertTrue(differsFromLabels);
    }

    @Test
    void weightZeroKeepsTheLabelsAndBadInputIsRefused() {
        Model teacher = TrainTestModels.cnn(3);
        INDArray x = TrainTestModels.batches(5, 1, 2).get(0);
        INDArray oneHot = Nd4j.create(new float[] {0, 1, 0, 0, 0, 1}, new long[] {2, 3}, 'c');
        assertSame(oneHot, new Distillation(teacher, 0, "t").targets(x, oneHot));
        assertThrows(IllegalArgumentException.class, () -> new Distillation(teacher, 1.5, "t"));
        INDArray fourClasses = Nd4j.zeros(2, 4);
        TrainingException e = assertThrows(TrainingException.class, () -> new Distillation(teacher, 1, "t").targets(x, fourClasses));
        assertEquals("the teacher's logits have shape [2, 3], expected [2, 4] (same batch and classes as the labels)", e.getMessage());
    }
}
