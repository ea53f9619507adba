package org.cimq.cim.train;

/** Training stopped on request after writing a checkpoint; the message says where to resume. */
public final class TrainingInterruptedException extends RuntimeException {
    public TrainingInterruptedException(String message) {
        super(message);
    }
}
