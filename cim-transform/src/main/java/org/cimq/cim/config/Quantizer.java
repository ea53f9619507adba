package org.cimq.cim.config;

/** The ADC's uniform quantizer with L levels and step Δ (CIM-SPEC, Partial sums and the ADC). */
public enum Quantizer {
    /** Mid-tread: zero is a level, Q(v) = Δ·clamp(round(v/Δ), ...) (the default). */
    ZERO_TREAD("zero-tread"),
    /** Mid-rise: zero is a decision threshold, levels at odd multiples of Δ/2. */
    MID_RISE("mid-rise");

    private final String id;

    Quantizer(String id) {
        this.id = id;
    }

    /** The name used in configuration files and on the command line. */
    public String id() {
        return id;
    }

    /** The constant whose {@link #id()} is {@code value} (case-insensitive); else an error naming {@code field} and the ids. */
    public static Quantizer parse(String field, String value) {
        return Ids.parse(field, value, values(), Quantizer::id);
    }
}
