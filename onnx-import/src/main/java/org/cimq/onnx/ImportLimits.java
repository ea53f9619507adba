package org.cimq.onnx;

/**
 * Guards applied while importing a model, before anything large is allocated.
 *
 * @param maxTensorBytes largest single tensor, in bytes (at most {@code Integer.MAX_VALUE - 8})
 * @param maxTotalBytes  all tensors of the model together, in bytes
 * @param maxGraphDepth  deepest nesting of subgraphs in attributes
 */
public record ImportLimits(long maxTensorBytes, long maxTotalBytes, int maxGraphDepth) {
    /** 1 GiB per tensor, 4 GiB in all, 8 levels of subgraphs. */
    public static final ImportLimits DEFAULT = new ImportLimits(1L << 30, 4L << 30, 8);

    public ImportLimits {
        if (maxTensorBytes <= 0 || maxTensorBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxTensorBytes must be in 1.." + (Integer.MAX_VALUE - 8) + ", got " + maxTensorBytes);
        }
        if (maxTotalBytes <= 0 || maxGraphDepth < 0) {
            throw new IllegalArgumentException("maxTotalBytes must be > 0 and maxGraphDepth >= 0");
        }
    }
}
