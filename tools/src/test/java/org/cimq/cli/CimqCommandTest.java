package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CimqCommandTest {
    /** Only the training commands get passive OpenMP threads (set before ND4J loads, so decided from the raw arguments). */
    @Test
    void onlyTrainingCommandsCountAsTraining() {
        assertTrue(Cimq.trains(new String[] {"retrain", "m.onnx", "--epochs", "1"}));
        assertTrue(Cimq.trains(new String[] {"bench", "train", "m.onnx"}));
        assertTrue(Cimq.trains(new String[] {"--verbose", "bench", "train"}));
        assertFalse(Cimq.trains(new String[] {"bench", "float", "m.onnx"}));
        assertFalse(Cimq.trains(new String[] {"bench"}));
        assertFalse(Cimq.trains(new String[] {"eval", "retrain.onnx"}));
        assertFalse(Cimq.trains(new String[] {}));
    }

    @Test
    void versionComesFromTheMavenProject() {
        CliRun r = CliRun.of("--version");
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("cimq 0."), r.out());
        assertFalse(r.out().contains("${"), r.out());
    }

    @Test
    void helpListsCommandsAndExitCodes() {
        CliRun r = CliRun.of("--help");
        assertEquals(0, r.exit());
        for (String s : new String[] {"inspect", "eval", "bench", "Exit codes:", "2   usage error"}) {
            assertTrue(r.out().contains(s), s + " missing in:\n" + r.out());
        }
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRun r = CliRun.of("inspect", "--frobnicate", "m.onnx");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Unknown option: '--frobnicate'"), r.err());
    }

    @Test
    void benchNeedsAKind() {
        CliRun r = CliRun.of("bench");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Missing required subcommand"), r.err());
    }

    @Test
    void failuresPrintOneLineAndVerboseAddsTheStackTrace(@TempDir Path dir) {
        Path missing = dir.resolve("missing.onnx");
        CliRun r = CliRun.of("inspect", missing.toString());
        assertEquals(1, r.exit());
        assertEquals("cimq: error: " + missing + ": no such file", r.err().strip());
        CliRun v = CliRun.of("inspect", "--verbose", missing.toString());
        assertEquals(1, v.exit());
        assertTrue(v.err().contains("at org.cimq.onnx.OnnxImporter.load"), v.err());
        assertEquals(1, CliRun.of("--verbose", "inspect", missing.toString()).exit());
    }
}
