package org.cimq.cim.search;

import org.cimq.cim.CimTransformException;
import org.cimq.cim.calib.RangeSearch;

/**
 * Every way cimq picks ADC steps: the histogram methods of {@link RangeSearch} and the
 * accuracy-scored searches of {@link AccuracySearch}, which start from a histogram method's choice
 * ({@code acc-layer} from {@code mse}, {@code acc-network} from {@code mse-network}).
 */
public enum CalibrationMethod {
    MINMAX("minmax", RangeSearch.Method.MINMAX),
    SIGMA3("sigma3", RangeSearch.Method.SIGMA3),
    MSE("mse", RangeSearch.Method.MSE),
    MSE_NETWORK("mse-network", RangeSearch.Method.MSE_NETWORK),
    ACC_LAYER("acc-layer", RangeSearch.Method.MSE),
    ACC_NETWORK("acc-network", RangeSearch.Method.MSE_NETWORK);

    private final String id;
    private final RangeSearch.Method start;

    CalibrationMethod(String id, RangeSearch.Method start) {
        this.id = id;
        this.start = start;
    }

    public String id() {
        return id;
    }

    /** The histogram method giving the steps (for acc methods: the starting steps). */
    public RangeSearch.Method histogramMethod() {
        return start;
    }

    /** True for the methods that score candidates on labelled images. */
    public boolean searched() {
        return this == ACC_LAYER || this == ACC_NETWORK;
    }

    /** True for the methods with one step for the whole network (they write granularity network). */
    public boolean network() {
        return this == MSE_NETWORK || this == ACC_NETWORK;
    }

    /** The method named {@code value} (case-insensitive); else an error listing the ids. */
    public static CalibrationMethod parse(String value) {
        for (CalibrationMethod m : values()) {
            if (m.id.equalsIgnoreCase(value)) {
                return m;
            }
        }
        throw new CimTransformException("calibration method '" + value + "' is not one of "
                + String.join(", ", java.util.Arrays.stream(values()).map(CalibrationMethod::id).toList()));
    }
}
