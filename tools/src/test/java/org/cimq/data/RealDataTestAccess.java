package org.cimq.data;

import java.nio.file.Path;

/** Lets tests of other packages find the shared CIFAR-10 copy (failing when absent). */
public final class RealDataTestAccess {
    private RealDataTestAccess() {
    }

    public static Path cifarDir() {
        return RealDataTest.cifarDir();
    }
}
