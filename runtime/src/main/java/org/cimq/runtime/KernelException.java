package org.cimq.runtime;

import org.cimq.ir.IrException;

/** A node that cannot be executed: unsupported op or attribute, or inputs of the wrong shape. */
public class KernelException extends IrException {
    public KernelException(String message) {
        super(message);
    }

    public KernelException(String message, Throwable cause) {
        super(message, cause);
    }
}
