package org.cimq.cim.config;

/** How many ADC steps Δ a mapped network has (CIM-SPEC, Partial sums and the ADC). */
public enum Granularity {
    /** One Δ shared by every mapped layer. */
    NETWORK("network"),
    /** One Δ per mapped layer (the default). */
    LAYER("layer"),
    /** One Δ per array, that is per row tile t of a layer. */
    ARRAY("array"),
    /** One Δ per column of each array. */
    COLUMN("column");

    private final String id;

    Granularity(String id) {
        this.id = id;
    }

    /** The name used in configuration files and on the command line. */
    public String id() {
        return id;
    }

    /** The constant whose {@link #id()} is {@code value} (case-insensitive); else an error naming {@code field} and the ids. */
    public static Granularity parse(String field, String value) {
        return Ids.parse(field, value, values(), Granularity::id);
    }
}
