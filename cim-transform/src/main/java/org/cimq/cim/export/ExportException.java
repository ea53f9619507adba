package org.cimq.cim.export;

/** A CIM model that cannot be lowered to standard ONNX; the message names the node and why. */
public final class ExportException extends RuntimeException {
    public ExportException(String message) {
        super(message);
    }
}
