package org.cimq.runtime;

/**
 * A node cimq cannot execute: its (domain, op, opset) has no kernel, or the kernel does not
 * implement the variant the node asks for (an attribute value or mode, named by
 * {@link #variant()}, e.g. "Dropout training_mode=1"). The message says what is supported.
 */
public class UnsupportedOpException extends KernelException {
    private final String variant;

    public UnsupportedOpException(String message) {
        this(null, message);
    }

    /** An unsupported variant of a supported op; {@code variant} is "Op what", e.g. "Conv 3-D". */
    public UnsupportedOpException(String variant, String message) {
        super(message);
        this.variant = variant;
    }

    /** The unsupported variant of a supported op, or null when the op itself has no kernel. */
    public String variant() {
        return variant;
    }
}
