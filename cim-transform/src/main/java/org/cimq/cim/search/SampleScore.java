package org.cimq.cim.search;

import java.util.BitSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How well logits fit labels on a sample: {@code correct} top-1 predictions (argmax, the first
 * on ties) of {@code images}, which images those are ({@code right}, bit i for image i of the
 * sample), and the summed softmax cross-entropy −log softmax(logits)[label] (natural log, computed
 * in double). {@link #betterThan} orders by top-1, then by lower mean cross-entropy;
 * {@link #beats} also asks the gain in right answers to stand out from the noise of the sample.
 */
public record SampleScore(int correct, int images, double crossEntropy, BitSet right) {
    public static final SampleScore EMPTY = new SampleScore(0, 0, 0, new BitSet());

    public SampleScore {
        right = (BitSet) right.clone();
        if (right.cardinality() != correct || right.length() > images) {
            throw new IllegalArgumentException("right answers " + right + " do not match " + correct + " of " + images);
        }
    }

    @Override
    public BitSet right() {
        return (BitSet) right.clone();
    }

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
        BitSet right = new BitSet(n);
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
            if (best == labels[i]) {
                correct++;
                right.set(i);
            }
        }
        return new SampleScore(correct, n, ce, right);
    }

    /** This sample followed by {@code o}'s images. */
    public SampleScore plus(SampleScore o) {
        BitSet all = (BitSet) right.clone();
        for (int i = o.right.nextSetBit(0); i >= 0; i = o.right.nextSetBit(i + 1)) {
            all.set(images + i);
        }
        return new SampleScore(correct + o.correct, images + o.images, crossEntropy + o.crossEntropy, all);
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

    /**
     * Better than {@code o} on the same images, by a margin: with {@code z} ≤ 0 exactly {@link #betterThan}; otherwise
     * the paired gain must stand out from sampling noise (McNemar's test): with {@code gained} images right here and
     * wrong in {@code o}, and {@code lost} the other way round, {@code gained − lost > z·√(gained + lost)}. A search
     * choosing among many candidates on one sample otherwise keeps noise (a candidate that is better on these images
     * only); ties and cross-entropy then never move it.
     */
    public boolean beats(SampleScore o, double z) {
        if (z <= 0) {
            return betterThan(o);
        }
        if (images != o.images) {
            throw new IllegalArgumentException("scores of " + images + " and " + o.images + " images are not paired");
        }
        BitSet gained = (BitSet) right.clone();
        gained.andNot(o.right);
        BitSet lost = (BitSet) o.right.clone();
        lost.andNot(right);
        int g = gained.cardinality();
        int l = lost.cardinality();
        return g - l > z * Math.sqrt(g + l);
    }
}
