package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.cimq.cim.search.CalibrationMethod;
import org.junit.jupiter.api.Test;

/** The acc methods' search sample: the given size, else each method's own default; none for the histogram methods. */
class SearchSampleTest {
    @Test
    void givenSizeElseThePerMethodDefault() {
        assertEquals(500, SearchSample.images(CalibrationMethod.ACC_LAYER, null));
        assertEquals(2000, SearchSample.images(CalibrationMethod.ACC_NETWORK, null));
        assertEquals(37, SearchSample.images(CalibrationMethod.ACC_LAYER, 37));
        assertEquals(37, SearchSample.images(CalibrationMethod.ACC_NETWORK, 37));
        for (CalibrationMethod m : new CalibrationMethod[] {CalibrationMethod.MSE, CalibrationMethod.MSE_NETWORK,
            CalibrationMethod.MINMAX, CalibrationMethod.SIGMA3}) {
            assertEquals(0, SearchSample.images(m, null), m.id());
            assertEquals(0, SearchSample.images(m, 37), m.id());
        }
        assertEquals(Map.of("acc-layer", 500, "acc-network", 2000), SearchSample.defaults());
    }
}
