package org.cimq.runtime.cim;

import java.util.Arrays;
import org.cimq.ir.Node;
import org.cimq.runtime.KernelException;
import org.cimq.runtime.NdArrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The digital edges a {@code CimFusedLayer} absorbed ({@link CimLayerFusion}): in front, the
 * layer's {@code CimQuantizeInput} ({@code input_scale}: codes {@code clamp(rint(x / s), min, max)}
 * in float32, as {@link QuantizeInputKernel} computes them); behind, the reference columns of the
 * offset scheme and the per-channel {@code Mul} and {@code Add} of the output scaling
 * ({@code output_scale}, {@code output_bias}: {@code y = out · scale[n] + bias[n]}, in that order in
 * float32, as the two elementwise ops round).
 */
final class FusedEdges {
    private final Node node;
    private final boolean quantizes;
    private final float inputScale;
    private final float lo;
    private final float hi;
    private final float[] outputScale;
    private final float[] outputBias;

    /** {@code lo}, {@code hi}: the smallest and largest input code. */
    FusedEdges(Node node, float lo, float hi) {
        this.node = node;
        this.quantizes = node.hasAttr("input_scale");
        this.inputScale = node.attrFloat("input_scale", Float.NaN);
        this.lo = lo;
        this.hi = hi;
        this.outputScale = node.attrFloats("output_scale", null);
        this.outputBias = node.attrFloats("output_bias", null);
        if (quantizes && (!(inputScale > 0) || Float.isInfinite(inputScale))) {
            throw new KernelException(node.describe() + ": attribute input_scale must be a positive finite float, got " + inputScale);
        }
        if (outputBias != null && (outputScale == null || outputBias.length != outputScale.length)) {
            throw new KernelException(node.describe() + ": output_bias needs an output_scale of the same length");
        }
    }

    /** Whether the first input is float activations to quantize ({@code input_scale}), not codes. */
    boolean quantizes() {
        return quantizes;
    }

    float inputScale() {
        return inputScale;
    }

    /** The smallest code. */
    float lo() {
        return lo;
    }

    /** The largest code. */
    float hi() {
        return hi;
    }

    /** With {@code input_scale}: the float activations {@code x} in [from, to) to codes, in place; otherwise nothing. */
    void quantize(float[] x, int from, int to) {
        if (!quantizes) {
            return;
        }
        for (int i = from; i < to; i++) {
            float v = x[i];
            if (Float.isNaN(v)) {
                throw nanInput(i);
            }
            x[i] = Math.min(Math.max((float) Math.rint(v / inputScale), lo), hi);
        }
    }

    /** The error for input value {@code i} being NaN when quantizing. */
    KernelException nanInput(long i) {
        return new KernelException(node.describe() + ": input value " + i + " is NaN; cannot quantize it");
    }

    /**
     * The output array of shape {@code shape} (channels on {@code channelAxis}) from the shift-add sums {@code out}:
     * with {@code referenceGroups} > 0 each group's reference column subtracted and dropped, then the output scaling.
     */
    /** The absorbed Mul's per-channel scale, or null (shared, not to be changed). */
    float[] outputScale() {
        return outputScale;
    }

    /** The absorbed Add's per-channel bias (only with a scale), or null (shared, not to be changed). */
    float[] outputBias() {
        return outputBias;
    }

    INDArray output(float[] out, long[] shape, int channelAxis, int referenceGroups) {
        return output(out, shape, channelAxis, referenceGroups, null);
    }

    /**
     * As {@link #output(float[], long[], int, int)}, written into {@code into} where it is not null (a plain c-order
     * float32 array of the output's shape, whose contents are replaced; only without reference columns). {@code out}
     * may be reused by the caller once this returns.
     */
    INDArray output(float[] out, long[] shape, int channelAxis, int referenceGroups, INDArray into) {
        long[] s = shape.clone();
        float[] v = out;
        if (referenceGroups > 0) {
            if (into != null) {
                throw new IllegalArgumentException("outputs with reference columns are new arrays");
            }
            v = ReferenceColumns.subtracted(out, shape, channelAxis, referenceGroups);
            s[channelAxis] -= referenceGroups;
        }
        if (referenceGroups == 0) {
            return scaledInParallel(v, s, channelAxis, into);
        }
        if (outputScale != null) {
            scale(v, s, channelAxis);
        }
        return NdArrays.floats(v, s);
    }

    /**
     * The output scaling and the copy into a new ND4J array, split over the CIM threads by the dimensions in front of
     * the channel axis (each part a contiguous run of whole channel blocks): the same per-element operations as
     * {@link #scale}, so the same floats, without holding the calling thread for two passes over the output.
     */
    private INDArray scaledInParallel(float[] v, long[] shape, int channelAxis, INDArray into) {
        if (outputScale != null && outputScale.length != shape[channelAxis]) {
            throw new KernelException(node.describe() + ": output_scale has " + outputScale.length + " values for "
                    + shape[channelAxis] + " output channels");
        }
        if (into != null && (!Arrays.equals(into.shape(), shape) || into.length() != v.length)) {
            throw new IllegalArgumentException("output array of shape " + Arrays.toString(into.shape())
                    + " for an output of shape " + Arrays.toString(shape));
        }
        INDArray z = into != null ? into : FloatArrays.uninitialized(shape, v.length);
        long outerLong = 1;
        for (int i = 0; i < channelAxis; i++) {
            outerLong *= shape[i];
        }
        int outer = (int) outerLong;
        if (outer == 0 || v.length == 0) {
            return z;
        }
        int unit = v.length / outer;
        long inner = unit / shape[channelAxis];
        CimThreads.forRanges(outer, (from, to) -> {
            if (outputScale != null) {
                scaleRange(v, from * unit, to * unit, (int) shape[channelAxis], (int) inner);
            }
            FloatArrays.copyInto(z, v, from * unit, (to - from) * unit);
        });
        return z;
    }

    /** The absorbed Mul (and Add): {@code v = v · scale[n] (+ bias[n])}, per element, in that order. */
    private void scale(float[] v, long[] shape, int channelAxis) {
        int channels = (int) shape[channelAxis];
        if (outputScale.length != channels) {
            throw new KernelException(node.describe() + ": output_scale has " + outputScale.length + " values for " + channels
                    + " output channels");
        }
        long inner = 1;
        for (int i = channelAxis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        scaleRange(v, 0, v.length, channels, (int) inner);
    }

    /** {@link #scale} on the whole channel blocks in [from, to) of {@code v}. */
    private void scaleRange(float[] v, int from, int to, int channels, int in) {
        for (int base = from; base < to; base += channels * in) {
            for (int n = 0; n < channels; n++) {
                float sc = outputScale[n];
                int start = base + n * in;
                if (outputBias == null) {
                    for (int k = start; k < start + in; k++) {
                        v[k] = v[k] * sc;
                    }
                } else {
                    float b = outputBias[n];
                    for (int k = start; k < start + in; k++) {
                        float y = v[k] * sc;
                        v[k] = y + b;
                    }
                }
            }
        }
    }
}
