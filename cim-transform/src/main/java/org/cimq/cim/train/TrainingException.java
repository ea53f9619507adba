package org.cimq.cim.train;

/** A model, checkpoint or option retraining cannot work with; the message names what and why. */
public final class TrainingException extends RuntimeException {
    public TrainingException(String message) {
        super(message);
    }

    public TrainingException(String message, Throwable cause) {
        super(message, cause);
    }
}
