package org.cimq.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real child JVM ({@link AtomicWriterChild}) writing a 48 MiB file over and over through
 * {@link AtomicFiles} is killed with SIGKILL in the middle of a write, several times: each time
 * the file holds the last complete generation whole, and the next write, by a new child or by
 * this process, succeeds and clears the dead writer's temporary file.
 */
class AtomicFilesKillTest {
    private static final int MIB = 48;

    @TempDir
    Path dir;

    @Test
    void killedWriterLeavesThePreviousFileWhole() throws Exception {
        Path target = dir.resolve("model.onnx");
        int lastDone = 0;
        for (int round = 0; round < 4; round++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), AtomicWriterChild.class.getName(),
                    target.toString(), Integer.toString(MIB)).redirectErrorStream(true).start();
            try {
                // let the child finish one write (round > 0: over the previous child's file), then kill it inside the next
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                int done = 0;
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("done ")) {
                        done = Integer.parseInt(line.substring(5));
                    } else if (line.startsWith("begin ") && done >= 1) {
                        break;
                    } else if (!line.startsWith("begin ")) {
                        throw new AssertionError("child said: " + line + drain(child.getInputStream()));
                    }
                }
                assertTrue(done >= 1, "the child ended before it finished a write");
                assertTrue(child.isAlive(), "the child must be killed while it writes");
                child.destroyForcibly();
                assertEquals(137, child.waitFor(), "exit status of a SIGKILLed JVM");
                lastDone = done;
            } finally {
                child.destroyForcibly();
                child.waitFor();
            }
            assertWholeGeneration(target, lastDone);
            assertEquals(1, temporaries(target).size(), "the killed write leaves its temporary file: " + temporaries(target));
        }
        // the next run in this process replaces the file and removes what the dead children left
        AtomicFiles.writeString(target, "after\n");
        assertEquals("after\n", Files.readString(target));
        assertEquals(List.of(), temporaries(target));
    }

    @Test
    void writtenFileHasTheUsualPermissions() throws Exception {
        Path plain = dir.resolve("plain.txt");
        Files.writeString(plain, "x");
        Path atomic = dir.resolve("atomic.txt");
        AtomicFiles.writeString(atomic, "x");
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(atomic)));
    }

    @Test
    void failedWriteKeepsThePreviousFileAndLeavesNoTemporary() throws Exception {
        Path target = dir.resolve("r.json");
        AtomicFiles.writeString(target, "old");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write("partial".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("old", Files.readString(target));
        assertEquals(List.of(), temporaries(target));
    }

    private static void assertWholeGeneration(Path target, int generation) throws IOException {
        byte[] b = Files.readAllBytes(target);
        assertEquals((long) MIB << 20, b.length, "size of the file after the kill");
        byte[] expected = new byte[b.length];
        java.util.Arrays.fill(expected, (byte) (generation % 251));
        assertArrayEquals(expected, b, "the file must hold generation " + generation + " whole");
        assertFalse(b.length == 0);
    }

    private static List<Path> temporaries(Path target) throws IOException {
        try (Stream<Path> s = Files.list(target.getParent())) {
            return s.filter(p -> p.getFileName().toString().startsWith("." + target.getFileName() + ".")).toList();
        }
    }

    private static String drain(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
