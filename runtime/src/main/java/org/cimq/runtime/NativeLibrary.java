package org.cimq.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Loads one of cimq's native kernel libraries (built by {@code runtime/src/main/c/build.sh} into
 * the jar under {@link #FOLDER}) for the process: copied from the jar to a temporary file,
 * {@link System#load}ed, and deleted at once (Linux keeps a loaded library mapped after its file is
 * unlinked; deleting on exit instead left one file per library in the temporary folder for every
 * process that was killed). The system property {@code cimq.native=false} turns every native kernel
 * off. Loading never throws: the result says why a library is not there, and callers then run
 * their Java or ND4J path.
 */
public final class NativeLibrary {
    /** The jar folder of the native libraries for linux-x86_64. */
    public static final String FOLDER = "/org/cimq/runtime/native/linux-x86_64/";

    private NativeLibrary() {
    }

    /** The outcome of a load: whether it loaded, and otherwise why not (a short phrase). */
    public record Result(boolean loaded, String reason) {
    }

    /** Loads {@code fileName} (say {@code libcimqconv.so}) from {@link #FOLDER}. */
    public static Result load(String fileName) {
        return load(fileName, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** {@link #load(String)} with the temporary copy made in {@code tempDir}; for tests. */
    static Result load(String fileName, Path tempDir) {
        if ("false".equals(System.getProperty("cimq.native"))) {
            return new Result(false, "native kernel off: -Dcimq.native=false");
        }
        if (!System.getProperty("os.name", "").toLowerCase().startsWith("linux")
                || !System.getProperty("os.arch", "").equals("amd64")) {
            return new Result(false, "no native kernel for " + System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
        }
        try (InputStream in = NativeLibrary.class.getResourceAsStream(FOLDER + fileName)) {
            if (in == null) {
                return new Result(false, "native kernel not built into this jar: gcc was missing at build time");
            }
            String stem = fileName.replaceFirst("\\.so$", "");
            Path lib = Files.createTempFile(tempDir, stem, ".so");
            try {
                Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
                System.load(lib.toAbsolutePath().toString());
            } finally {
                Files.deleteIfExists(lib);
            }
            return new Result(true, "");
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
            return new Result(false, "native kernel failed to load: " + e.getMessage());
        }
    }
}
