package org.cimq.cim.search;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How well logits fit labels on a sample: {@code correct} top-1 predictions (argmax, the first
 * on ties) of {@code images}, and the summed softmax cross-entropy −log softmax(logits)[label]
 * (natural log, computed in double). {@link #betterThan} orders by top-1, then by lower mean
 * cross-entropy.
 */
public record SampleScore(int correct, int images, double crossEntropy) {
    public static final SampleScore EMPTY = new SampleScore(0, 0, 0);

    /** The score of {@code logits} [N, classes] against {@code labels} (N of them). */
    public static SampleScore of(INDArray logits, int[] labels) {
        int n = labels.length;
        if (logits.rank() != 2 || logits.size(0) != n) {
            throw new IllegalArgumentException("logits of shape " + java.util.Arrays.toString(logits.shape())
                    + " are not [" + n + ", classes]");
        }
        int classes = (int) logits.size(1);
        float[] v = logits.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int correct = 0;
        double ce = 0;
        for (int i = 0; i < n; i++) {
            int base = i * classes;
            int best = 0;
            double max = v[base];
            for (int c = 1; c < classes; c++) {
                if (v[base + c] > v[base + best]) {
                    best = c;
                }
                max = Math.max(max, v[base + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(v[base + c] - max);
            }
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " is not a class of " + classes);
            }
            ce += max + Math.log(sum) - v[base + labels[i]];
            correct += best == labels[i] ? 1 : 0;
        }
        return new SampleScore(correct, n, ce);
    }

    public SampleScore plus(SampleScore o) {
        return new SampleScore(correct + o.correct, images + o.images, crossEntropy + o.crossEntropy);
    }

    /** Top-1 as a fraction in [0, 1] (0 for no images). */
    public double top1() {
        return images == 0 ? 0 : (double) correct / images;
    }

    public double meanCrossEntropy() {
        return images == 0 ? 0 : crossEntropy / images;
    }

    /** More correct, or as many with a strictly lower cross-entropy. */
    public boolean betterThan(SampleScore o) {
        return correct != o.correct ? correct > o.correct : crossEntropy < o.crossEntropy;
    }
}
