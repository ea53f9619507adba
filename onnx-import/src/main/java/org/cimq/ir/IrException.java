package org.cimq.ir;

/** A violated IR invariant or an unusable model; the message names the node or value at fault. */
public class IrException extends RuntimeException {
    public IrException(String message) {
        super(message);
    }

    public IrException(String message, Throwable cause) {
        super(message, cause);
    }
}
