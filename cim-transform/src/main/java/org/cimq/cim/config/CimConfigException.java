package org.cimq.cim.config;

/**
 * An invalid CIM configuration value, configuration file or ranges file. The message is one
 * line: {@code [file: ][layer 'node': ]field: what is allowed, got what}.
 */
public class CimConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CimConfigException(String message) {
        super(message);
    }

    public CimConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /** This error with {@code prefix + ": "} before its message, keeping the cause. */
    CimConfigException within(String prefix) {
        return new CimConfigException(prefix + ": " + getMessage(), getCause() != null ? getCause() : this);
    }
}
