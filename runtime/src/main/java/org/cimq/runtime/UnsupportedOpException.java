package org.cimq.runtime;

/** A node whose (domain, op, opset) has no kernel; the message lists what is supported. */
public class UnsupportedOpException extends KernelException {
    public UnsupportedOpException(String message) {
        super(message);
    }
}
