package org.cimq.cli.engine;

/** An engine that cannot load a model or run a batch; the message says which and why. */
public class EngineException extends RuntimeException {
    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
