package org.cimq.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.cimq.onnx.AtomicFiles;
import picocli.CommandLine.Option;

/** The options every reporting command shares: {@code --json FILE} and {@code --quiet}. */
public final class OutputOptions {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON to FILE (replaced atomically).")
    Path json;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar or notes on stderr.")
    boolean quiet;

    /** The {@code --json} file, or null. */
    public Path json() {
        return json;
    }

    public boolean quiet() {
        return quiet;
    }

    /** Writes {@code report} to the {@code --json} file, if one was given. */
    public void writeJson(Object report) {
        if (json != null) {
            writeJson(json, report);
        }
    }

    /** Writes {@code report} to {@code file} atomically, as {@code --json} does; a failure names the file. */
    public static void writeJson(Path file, Object report) {
        try {
            AtomicFiles.writeString(file, JSON.writeValueAsString(report) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write JSON: " + e.getMessage(), e);
        }
    }
}
