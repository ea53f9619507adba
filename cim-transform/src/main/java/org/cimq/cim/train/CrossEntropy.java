package org.cimq.cim.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Softmax cross-entropy of logits [B, classes] against one-hot labels, mean over the batch, in double precision. */
final class CrossEntropy {
    private CrossEntropy() {
    }

    static double mean(INDArray logits, INDArray oneHot) {
        int b = (int) logits.size(0);
        int c = (int) logits.size(1);
        double[] z = logits.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] y = oneHot.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double sum = 0;
        for (int i = 0; i < b; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) {
                max = Math.max(max, z[i * c + k]);
            }
            double exp = 0;
            for (int k = 0; k < c; k++) {
                exp += Math.exp(z[i * c + k] - max);
            }
            double logSum = max + Math.log(exp);
            for (int k = 0; k < c; k++) {
                sum += y[i * c + k] * (logSum - z[i * c + k]);
            }
        }
        return sum / b;
    }
}
