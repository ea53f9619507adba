package org.cimq.data;

/** A data set that cannot be read: missing file, wrong size or header, bad label. The message names the file. */
public class DataException extends RuntimeException {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
