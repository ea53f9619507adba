package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cimq.onnx.OnnxImporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's interrupted-work check for retraining, with a real child process: a {@code cimq retrain}
 * JVM is killed with SIGKILL right after its first checkpoint; {@code --resume} then finishes the run
 * and writes exactly the weights of an uninterrupted run with the same seed.
 */
class RetrainKillTest {
    @TempDir
    Path dir;

    private List<String> args(Path model, Path checkpoints, Path out) {
        return new ArrayList<>(List.of("retrain", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(),
                "--cim", "--rows", "16", "-L", "3", "--calib-images", "20", "--train-images", "40", "--batch", "8",
                "--epochs", "6", "--seed", "7", "--checkpoint-dir", checkpoints.toString(), "--checkpoint-every", "1",
                "-o", out.toString(), "-q"));
    }

    @Test
    void aRetrainingKilledWithSigkillResumesToTheSameWeights() throws Exception {
        TinyImages.write(dir, 40, 10);
        Path model = TinyModels.cimNet(dir, true);
        Path straight = dir.resolve("straight.onnx");
        CliRun s = CliRun.of(args(model, dir.resolve("ck-straight"), straight).toArray(String[]::new));
        assertEquals(0, s.exit(), s.err());

        Path checkpoints = dir.resolve("ck-killed");
        Path killed = dir.resolve("killed.onnx");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-cp", System.getProperty("java.class.path")));
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache != null) {
            cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
        }
        cmd.add(Cimq.class.getName());
        cmd.addAll(args(model, checkpoints, killed));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        Path checkpoint = checkpoints.resolve("checkpoint.bin");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(checkpoint) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(Files.exists(checkpoint), "the child wrote no checkpoint: " + Files.readString(dir.resolve("child.log")));
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, child.exitValue(), "killed by SIGKILL, not finished");
        assertFalse(Files.exists(killed), "no output from the killed run");

        List<String> resume = args(model, checkpoints, killed);
        resume.add("--resume");
        CliRun r = CliRun.of(resume.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.isRegularFile(killed));
        assertArrayEquals(OnnxImporter.load(straight).graph().valuesByName().get("w2").constant().toFloatArray(),
                OnnxImporter.load(killed).graph().valuesByName().get("w2").constant().toFloatArray());
    }
}
