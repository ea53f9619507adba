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

    /**
     * System property holding the most bytes all tensors of a model may take together
     * ({@code cimq --max-model-bytes} sets it); when absent, {@link #DEFAULT} applies.
     */
    public static final String MAX_MODEL_BYTES_PROPERTY = "cimq.maxModelBytes";

    public ImportLimits {
        if (maxTensorBytes <= 0 || maxTensorBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxTensorBytes must be in 1.." + (Integer.MAX_VALUE - 8) + ", got " + maxTensorBytes);
        }
        if (maxTotalBytes <= 0 || maxGraphDepth < 0) {
            throw new IllegalArgumentException("maxTotalBytes must be > 0 and maxGraphDepth >= 0");
        }
    }

    /** {@link #DEFAULT} with all tensors limited to {@code bytes} together (and each to at most that). */
    public static ImportLimits withMaxModelBytes(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("the model byte limit must be > 0, got " + bytes);
        }
        return new ImportLimits(Math.min(DEFAULT.maxTensorBytes, bytes), bytes, DEFAULT.maxGraphDepth);
    }

    /** The limits in force: {@link #DEFAULT}, or those set by the {@value #MAX_MODEL_BYTES_PROPERTY} system property. */
    public static ImportLimits configured() {
        String v = System.getProperty(MAX_MODEL_BYTES_PROPERTY);
        if (v == null || v.isBlank()) {
            return DEFAULT;
        }
        long bytes;
        try {
            bytes = Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property " + MAX_MODEL_BYTES_PROPERTY + " = '" + v + "' is not a number of bytes");
        }
        return withMaxModelBytes(bytes);
    }
}
