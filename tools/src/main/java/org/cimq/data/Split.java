package org.cimq.data;

/** Which part of a data set to read. */
public enum Split {
    TRAIN, TEST;

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
