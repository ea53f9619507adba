package org.cimq.cim.config;

/** How a signed weight is stored in unsigned cells (CIM-SPEC, Weights). */
public enum WeightScheme {
    /** A differential cell pair per slice: slice j holds sign(q)·digit_j(|q|) (the default). */
    DIFFERENTIAL("differential"),
    /** Offset binary: q + 2^(Bw-1) stored unsigned, with a reference column subtracted. */
    OFFSET("offset"),
    /** Two's complement: the top slice carries negative weight. */
    TWOS_COMPLEMENT("twos-complement");

    private final String id;

    WeightScheme(String id) {
        this.id = id;
    }

    /** The name used in configuration files and on the command line. */
    public String id() {
        return id;
    }

    /** The constant whose {@link #id()} is {@code value} (case-insensitive); else an error naming {@code field} and the ids. */
    public static WeightScheme parse(String field, String value) {
        return Ids.parse(field, value, values(), WeightScheme::id);
    }
}
