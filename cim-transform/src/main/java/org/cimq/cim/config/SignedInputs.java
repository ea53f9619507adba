package org.cimq.cim.config;

/** What happens to a mapped layer whose input can be negative (CIM-SPEC, Inputs). */
public enum SignedInputs {
    /** Refuse the model, naming the layer (the default). */
    ERROR("error"),
    /** Apply the positive and the negative part as two unsigned inputs and subtract. */
    SPLIT("split"),
    /** Apply the input in two's complement, the top bit weighted negative. */
    TWOS_COMPLEMENT("twos-complement");

    private final String id;

    SignedInputs(String id) {
        this.id = id;
    }

    /** The name used in configuration files and on the command line. */
    public String id() {
        return id;
    }

    /** The constant whose {@link #id()} is {@code value} (case-insensitive); else an error naming {@code field} and the ids. */
    public static SignedInputs parse(String field, String value) {
        return Ids.parse(field, value, values(), SignedInputs::id);
    }
}
