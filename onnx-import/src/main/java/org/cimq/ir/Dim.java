package org.cimq.ir;

/**
 * One dimension of a tensor type: a known size ({@code value >= 0}), a named symbolic size
 * such as {@code "batch"} ({@code param != null}), or unknown (neither).
 */
public record Dim(long value, String param) {
    public static final Dim UNKNOWN = new Dim(-1, null);

    /** A known size; negative sizes are refused (use {@link #UNKNOWN}). */
    public static Dim of(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("dimension size must be >= 0, got " + value);
        }
        return new Dim(value, null);
    }

    public static Dim symbolic(String name) {
        return new Dim(-1, name);
    }

    public boolean isKnown() {
        return value >= 0;
    }

    @Override
    public String toString() {
        return value >= 0 ? Long.toString(value) : param != null ? param : "?";
    }
}
