package org.cimq.cim;

/**
 * Per-output-channel symmetric weight quantization (CIM-SPEC "Weights"):
 * {@code s[n] = max|w[n]| / (2^(B−1) − 1)}, {@code q = clamp(round(w / s[n]), −(2^(B−1) − 1), 2^(B−1) − 1)},
 * float32 division and half-to-even rounding. A channel whose weights are all zero gets
 * {@code s = 1} and {@code q = 0}.
 *
 * @param q      integer weights in the weight tensor's layout, output channel {@code n} at
 *               {@code channelOf(index)}
 * @param scales s[n], one per output channel
 * @param bits   B
 */
public record QuantizedWeights(int[] q, float[] scales, int bits) {
    /**
     * Quantizes {@code w} whose output channel of element i is {@code channel.applyAsInt(i)}.
     */
    public static QuantizedWeights of(float[] w, int channels, java.util.function.IntUnaryOperator channel, int bits) {
        int qmax = (1 << (bits - 1)) - 1;
        float[] max = new float[channels];
        for (int i = 0; i < w.length; i++) {
            int c = channel.applyAsInt(i);
            max[c] = Math.max(max[c], Math.abs(w[i]));
        }
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = max[c] > 0 ? max[c] / qmax : 1f;
        }
        int[] q = new int[w.length];
        for (int i = 0; i < w.length; i++) {
            float r = (float) Math.rint(w[i] / scales[channel.applyAsInt(i)]);
            q[i] = (int) Math.max(-qmax, Math.min(qmax, r));
        }
        return new QuantizedWeights(q, scales, bits);
    }
}
