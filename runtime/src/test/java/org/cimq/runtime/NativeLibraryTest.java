package org.cimq.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The temporary copy of a native library is gone once it is loaded, and its code still runs. */
class NativeLibraryTest {
    private static final String LIBRARY = "libcimqenv.so";

    private static long filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    private static boolean nativeExpected() {
        return NativeLibrary.class.getResource(NativeLibrary.FOLDER + LIBRARY) != null
            && System.getProperty("os.name", "").toLowerCase().startsWith("linux")
            && System.getProperty("os.arch", "").equals("amd64")
            && !"false".equals(System.getProperty("cimq.native"));
    }

    @Test
    void loadedLibraryLeavesNoFileBehind(@TempDir Path dir) throws IOException {
        NativeLibrary.Result result = NativeLibrary.load(LIBRARY, dir);
        assertEquals(nativeExpected(), result.loaded(), result.reason());
        assertEquals(0, filesIn(dir), "temporary copies left in " + dir);
        if (result.loaded()) {
            // the process's own copy (loaded the same way) is deleted too, and its native code still answers
            OpenMpWaitPolicy.Outcome outcome = OpenMpWaitPolicy.passiveUnlessSet();
            assertFalse(outcome.description().contains("left as it is"), outcome.description());
        }
    }

    @Test
    void missingLibraryIsNamedAndLeavesNothing(@TempDir Path dir) throws IOException {
        NativeLibrary.Result result = NativeLibrary.load("libcimqnosuch.so", dir);
        assertFalse(result.loaded());
        if (!"false".equals(System.getProperty("cimq.native"))
                && System.getProperty("os.arch", "").equals("amd64")) {
            assertEquals("native kernel not built into this jar: gcc was missing at build time", result.reason());
        }
        assertEquals(0, filesIn(dir));
    }
}
