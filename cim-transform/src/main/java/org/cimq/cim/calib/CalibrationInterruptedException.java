package org.cimq.cim.calib;

/**
 * Thrown when the calibrating thread was interrupted; the statistics gathered so far are
 * discarded. The thread's interrupt flag is left set.
 */
public final class CalibrationInterruptedException extends RuntimeException {
    public CalibrationInterruptedException(String message) {
        super(message);
    }
}
