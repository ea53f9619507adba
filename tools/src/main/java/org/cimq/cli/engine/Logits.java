package org.cimq.cli.engine;

/** A model output read as {@code rows × cols} floats, row-major: one row of class scores per image. */
public record Logits(float[] values, int rows, int cols) {
    public Logits {
        if (values.length != (long) rows * cols) {
            throw new IllegalArgumentException(rows + "x" + cols + " logits need " + (long) rows * cols + " values, got " + values.length);
        }
    }

    /** Reads {@code values} as {@code rows} rows; the output must hold a whole number of values per row. */
    public static Logits of(float[] values, int rows, long[] shape) {
        if (rows == 0 || values.length % rows != 0 || shape.length == 0 || shape[0] != rows) {
            throw new EngineException("model output of shape " + java.util.Arrays.toString(shape)
                    + " does not have one row per image (" + rows + " images)");
        }
        return new Logits(values, rows, values.length / rows);
    }

    /** The index of the largest score in {@code row} (the first on ties). */
    public int argmax(int row) {
        int best = 0;
        int base = row * cols;
        for (int j = 1; j < cols; j++) {
            if (values[base + j] > values[base + best]) {
                best = j;
            }
        }
        return best;
    }
}
