package org.cimq.cim.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cimq.cim.calib.InputScale.Encoding;
import org.junit.jupiter.api.Test;

class InputScaleTest {
    @Test
    void unsignedDividesByTheLargestCode() {
        assertEquals(6.0 / 15, InputScale.scale(6.0, 4), 0.0);
        assertEquals(1.0, InputScale.scale(255.0, 8), 0.0);
        assertEquals(2.0, InputScale.scale(2.0, 1), 0.0);
    }

    @Test
    void signedEncodingsUseThePercentileOfAbsoluteValues() {
        ActivationStats s = new ActivationStats(List.of("conv_0"), "x", 99.99, 2.0, 7.0, -7f, 3f, 100, 40, false);
        assertTrue(s.signed());
        assertEquals(2.0 / 15, InputScale.scale(s, 4, Encoding.UNSIGNED), 0.0);
        assertEquals(7.0 / 15, InputScale.scale(s, 4, Encoding.SPLIT), 0.0);
        assertEquals(7.0 / 7, InputScale.scale(s, 4, Encoding.TWOS_COMPLEMENT), 0.0);
        assertEquals(1, InputScale.levels(2, Encoding.TWOS_COMPLEMENT));
    }

    @Test
    void zeroPercentileFallsBackToOneOverTheLargestCode() {
        assertEquals(1.0 / 15, InputScale.scale(0.0, 4), 0.0);
        assertEquals(1.0 / 7, InputScale.scale(0.0, 4, Encoding.TWOS_COMPLEMENT), 0.0);
    }

    @Test
    void rejectsWhatGivesNoScale() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InputScale.scale(-0.5, 4));
        assertTrue(e.getMessage().contains("signed"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> InputScale.scale(Double.POSITIVE_INFINITY, 4));
        assertThrows(IllegalArgumentException.class, () -> InputScale.scale(Double.NaN, 4));
        assertThrows(IllegalArgumentException.class, () -> InputScale.scale(1.0, 0));
        assertThrows(IllegalArgumentException.class, () -> InputScale.scale(1.0, 32));
        assertThrows(IllegalArgumentException.class, () -> InputScale.scale(1.0, 1, Encoding.TWOS_COMPLEMENT));
        ActivationStats neg = new ActivationStats(List.of("mm_3"), "h", 99.99, -1.0, 4.0, -5f, -0.5f, 10, 10, false);
        e = assertThrows(IllegalArgumentException.class, () -> InputScale.scale(neg, 4, Encoding.UNSIGNED));
        assertTrue(e.getMessage().startsWith("value 'h' (layers [mm_3])"), e.getMessage());
    }
}
