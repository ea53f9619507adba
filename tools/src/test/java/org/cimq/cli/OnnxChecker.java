package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs {@code onnx.checker.check_model(..., full_check=True)} with Debian's python3-onnx on a written model. */
final class OnnxChecker {
    static final String PYTHON = "/usr/bin/python3";
    private static final String SCRIPT = "import sys, onnx; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)";

    private OnnxChecker() {
    }

    /** Fails with the checker's stderr unless the model passes. */
    static void check(Path model) throws Exception {
        Process p = new ProcessBuilder(PYTHON, "-c", SCRIPT, model.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("onnx.checker did not finish in 120 s on " + model);
        }
        assertEquals(0, p.exitValue(), "onnx.checker full_check failed on " + model + ":\n" + out);
    }
}
