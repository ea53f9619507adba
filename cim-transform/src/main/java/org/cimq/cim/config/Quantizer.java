package org.cimq.cim.config;

/** The ADC's uniform quantizer with L levels and step Δ (CIM-SPEC, Partial sums and the ADC). */
public enum Quantizer {
    /** Mid-tread: zero is a level, Q(v) = Δ·clamp(round(v/Δ), ...) (the default). */
    ZERO_TREAD("zero-tread"),
    /**
     * Mid-rise: zero is a decision threshold, levels at odd multiples of Δ/2. At L = 2 it is the zero-tread L = 2 ADC
     * with Δ &lt; 2 plus a constant: Q(ps) = Δ/2 − Δ·[ps &lt; 0] against −Δ·[ps &lt; 0] (integer partial sums; at Δ = 2,
     * ps = −1 rounds half to even to 0), so a layer's output differs by a per-channel constant (every output takes the
     * same number of conversions), which its bias can absorb; both read one bit per partial sum, its sign.
     */
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
