package org.cimq.cim.config;

/** How the rows of a layer's im2col matrix are cut into arrays (CIM-SPEC, Tiling). */
public enum Mapping {
    /** Array t holds rows [t·R, (t+1)·R) (the default). */
    FLAT("flat"),
    /** Each array holds floor(R/(kh·kw)) whole input channels. */
    CHANNEL_ALIGNED("channel-aligned"),
    /**
     * As many arrays as flat mapping, ceil(K/R), with the rows spread evenly: array t holds rows
     * [floor(t·K/T), floor((t+1)·K/T)), so sizes differ by at most one and no array is a small remainder.
     */
    BALANCED("balanced");

    private final String id;

    Mapping(String id) {
        this.id = id;
    }

    /** The name used in configuration files and on the command line. */
    public String id() {
        return id;
    }

    /** The constant whose {@link #id()} is {@code value} (case-insensitive); else an error naming {@code field} and the ids. */
    public static Mapping parse(String field, String value) {
        return Ids.parse(field, value, values(), Mapping::id);
    }
}
