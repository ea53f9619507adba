package org.cimq.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** File checks and reads shared by the loaders; every failure is a {@link DataException} naming the file. */
final class DataFiles {
    private static final int BUFFER = 1 << 16;

    private DataFiles() {
    }

    static void requireFolder(Path dir, String expected) {
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir + ": " + (Files.exists(dir) ? "not a folder" : "no such folder") + "; expected " + expected);
        }
    }

    static long size(Path file, String expected) {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": no such file; expected " + expected);
        }
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** A buffered stream over the file, decompressed when its name ends in ".gz". */
    static InputStream open(Path file) {
        try {
            InputStream in = Files.newInputStream(file);
            return file.getFileName().toString().endsWith(".gz")
                    ? new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER)
                    : new BufferedInputStream(in, BUFFER);
        } catch (IOException e) {
            throw new DataException(file + ": cannot open: " + e.getMessage(), e);
        }
    }

    /** Fills {@code buf}; {@code what} says what was being read when the file ends early. */
    static void readFully(InputStream in, byte[] buf, Path file, String what) {
        try {
            int off = 0;
            while (off < buf.length) {
                int n = in.read(buf, off, buf.length - off);
                if (n < 0) {
                    throw new EOFException();
                }
                off += n;
            }
        } catch (EOFException e) {
            throw new DataException(file + ": file ends early, while reading " + what, e);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    static int checkLabel(int label, int classes, Path file, long index) {
        if (label < 0 || label >= classes) {
            throw new DataException(file + ": image " + index + " has label " + label + ", expected 0-" + (classes - 1));
        }
        return label;
    }

    static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
