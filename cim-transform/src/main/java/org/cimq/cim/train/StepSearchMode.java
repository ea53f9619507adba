package org.cimq.cim.train;

import java.util.Arrays;
import java.util.List;

/**
 * When retraining searches the ADC steps again. The input scales are derived again after every
 * epoch in both modes (the activation percentile of the current weights, as {@code cimq eval}
 * derives them for a ranges file).
 * <ul>
 * <li>{@link #EVERY_EPOCH}: the mse steps of the current weights after every epoch, as
 *     {@code calibrate --method mse} would choose them.</li>
 * <li>{@link #PER_LEVEL}: once per level count of the schedule (at the start, and when {@code --anneal}
 *     moves to a new L); in between the weights train against the same steps. Measured on ResNet-20 at
 *     L = 3 (issue 5's note): a search after an epoch moves steps the weights had adapted to (one layer's
 *     from 1.55 to 2.71) and costs the model 3.9 points of test top-1 at that point.</li>
 * </ul>
 */
public enum StepSearchMode {
    EVERY_EPOCH("every-epoch"),
    PER_LEVEL("per-level");

    private final String id;

    StepSearchMode(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The ids, for help and error messages. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(StepSearchMode::id).toList();
    }

    /** The mode with this id, or null when there is none. */
    public static StepSearchMode byId(String id) {
        for (StepSearchMode m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        return null;
    }
}
