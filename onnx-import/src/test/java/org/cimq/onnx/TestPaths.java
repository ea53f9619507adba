package org.cimq.onnx;

import java.nio.file.Path;

/** Locations of shared test inputs, set by surefire (see the parent pom). */
final class TestPaths {
    private TestPaths() {
    }

    static Path shared() {
        return Path.of(System.getProperty("cimq.shared", "../../shared"));
    }

    static Path resnet20() {
        return shared().resolve("models/resnet20_cifar10.onnx");
    }
}
