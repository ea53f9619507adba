package org.cimq.cim.cost;

/**
 * How one ADC's energy and area grow with its number of levels L, as a size factor whose ratio
 * to the baseline's factor scales the ADC part of the cost.
 * <ul>
 * <li>{@code flash}: L − 1 comparators, energy and area proportional to them (the paper's
 *     NeuroSim setting).</li>
 * <li>{@code sar}: a successive-approximation ADC resolves ceil(log2 L) bits, one comparison
 *     cycle each; energy and area are taken proportional to those bits (whole cycles: a 3-level
 *     SAR costs what a 4-level one does).</li>
 * </ul>
 */
public enum AdcScaling {
    FLASH("flash"), SAR("sar");

    private final String id;

    AdcScaling(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The size factor of an L-level ADC: L − 1 comparators (flash) or ceil(log2 L) bit cycles (SAR); L ≥ 2. */
    public double size(int levels) {
        if (levels < 2) {
            throw new IllegalArgumentException("an ADC needs at least 2 levels, got " + levels);
        }
        return switch (this) {
            case FLASH -> levels - 1;
            case SAR -> 32 - Integer.numberOfLeadingZeros(levels - 1);
        };
    }

    /** The scaling named {@code value} (case-insensitive); else an error listing the ids. */
    public static AdcScaling parse(String value) {
        for (AdcScaling s : values()) {
            if (s.id.equalsIgnoreCase(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("ADC scaling '" + value + "' is not one of flash, sar");
    }
}
