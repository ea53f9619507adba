package org.cimq.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cimq.cim.search.CalibrationMethod;

/**
 * How many labelled images the acc methods score their candidates on: the first N images of the train
 * split (never the test split), {@code --search-images N} when given, else a default per method. The
 * defaults differ because the methods make different decisions: acc-network makes one choice among
 * its 25 common factors, so the sample's noise decides it when the sample is small (on ResNet-20 at
 * L = 8 the factor that won on 500 images lost 2.4 points to its start on the test split, and on
 * 10,000 train images too; on 2,000 images acc-network is at or above its start on the test split at every
 * L from 2 to 16, within 0.03 point at L = 8), and 2,000 images cost about 1.5 minutes per search; acc-layer makes 25 candidates' worth of small choices per
 * layer (25 × (2 + layers) in all), so 500 images keep it near 4.5 minutes on ResNet-20 (the issue's
 * budget is 10), and its losses to its start stay within the test split's noise.
 */
public final class SearchSample {
    /** acc-layer's default sample. */
    public static final int ACC_LAYER_IMAGES = 500;
    /** acc-network's default sample. */
    public static final int ACC_NETWORK_IMAGES = 2000;

    /** The {@code --search-images} help text of calibrate and sweep. */
    public static final String HELP = "acc methods: score candidates on the first N images of the train split (default "
            + ACC_LAYER_IMAGES + " for acc-layer, " + ACC_NETWORK_IMAGES + " for acc-network; independent of --calib-images).";

    private SearchSample() {
    }

    /** Images method {@code m} scores on: {@code given} when not null, else the method's default (0 for histogram methods). */
    public static int images(CalibrationMethod m, Integer given) {
        if (!m.searched()) {
            return 0;
        }
        return given != null ? given : m == CalibrationMethod.ACC_NETWORK ? ACC_NETWORK_IMAGES : ACC_LAYER_IMAGES;
    }

    /** The defaults by method id, as the sweep report records them. */
    public static Map<String, Integer> defaults() {
        Map<String, Integer> d = new LinkedHashMap<>();
        d.put(CalibrationMethod.ACC_LAYER.id(), ACC_LAYER_IMAGES);
        d.put(CalibrationMethod.ACC_NETWORK.id(), ACC_NETWORK_IMAGES);
        return d;
    }
}
