package org.cimq.cim.train;

import java.util.Arrays;
import java.util.List;

/**
 * How a training step computes its forward pass and gradients.
 * <ul>
 * <li>{@link #ARRAYS}: one SameDiff graph computes CIM-SPEC literally (bit planes, weight slices,
 *     one Conv or MatMul per array, the ADC, shift-add; {@link CimLayerOps}); the ADC passes the
 *     gradient only where a partial sum is inside its range. Exact, but it keeps every partial-sum
 *     tensor for the backward pass (too slow and too large for ResNet-20).</li>
 * <li>{@link #FAKE_QUANT}: the forward is cimq's runtime CIM model of the current weights
 *     ({@link RuntimeCimForward}, bit-packed kernels), so loss and accuracy are the CIM model's; the
 *     gradients are the fake-quantized network's (one Conv or MatMul of the integer codes per layer)
 *     taken at the runtime's activations by a hand-written reverse pass ({@link FakeQuantBackward}):
 *     straight-through rounding of weights and inputs, and the ADC passed straight through (clipped
 *     partial sums are not masked).</li>
 * <li>{@link #FAKE_QUANT_SCALED}: as {@link #FAKE_QUANT}, with the gradient of every mapped layer's
 *     output element scaled by how much of its fake-quantized accumulation the ADCs let through,
 *     {@code clamp(acc_cim / acc_fq, 0, 1)} (1 where |acc_fq| &lt; 1): a cheap per-output stand-in for
 *     masking the clipped partial sums (one extra Conv or MatMul per layer).</li>
 * <li>{@link #EXACT}: as {@link #FAKE_QUANT}, with every mapped layer that has an ADC differentiated
 *     through its arrays as {@link #ARRAYS} does (clipped partial sums masked, planes and slices
 *     sharing the codes' gradients; {@link ExactSte}): the same gradient without a graph, by matrix
 *     products over bit planes and weight slices per array (about three times the backward work).</li>
 * </ul>
 */
public enum Backward {
    ARRAYS("arrays"),
    FAKE_QUANT("fake-quant"),
    FAKE_QUANT_SCALED("fake-quant-scaled"),
    EXACT("exact");

    private final String id;

    Backward(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The ids, for help and error messages. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(Backward::id).toList();
    }

    /** The value with this id, or null when there is none. */
    public static Backward byId(String id) {
        for (Backward b : values()) {
            if (b.id.equals(id)) {
                return b;
            }
        }
        return null;
    }
}
