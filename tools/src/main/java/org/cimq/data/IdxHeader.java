package org.cimq.data;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The header of an idx file of unsigned bytes: magic {@code 0x0000 08 R} (R = number of
 * dimensions) followed by R big-endian sizes, the first being the item count.
 */
record IdxHeader(Path file, int[] dims) {
    static final int UBYTE = 0x08;

    /** Reads and checks the header of {@code file}, which must have {@code rank} dimensions. */
    static IdxHeader read(Path file, int rank) {
        try (InputStream in = DataFiles.open(file)) {
            byte[] b = new byte[4 + 4 * rank];
            DataFiles.readFully(in, b, file, "the idx header (" + b.length + " bytes)");
            ByteBuffer buf = ByteBuffer.wrap(b);
            int magic = buf.getInt();
            int expected = (UBYTE << 8) | rank;
            if (magic != expected) {
                throw new DataException(file + ": idx magic " + String.format("0x%08x", magic) + ", expected "
                        + String.format("0x%08x", expected) + " (unsigned bytes, " + rank + " dimension(s))");
            }
            int[] dims = new int[rank];
            for (int i = 0; i < rank; i++) {
                dims[i] = buf.getInt();
                if (dims[i] <= 0) {
                    throw new DataException(file + ": idx dimension " + i + " is " + dims[i] + ", expected > 0");
                }
            }
            return new IdxHeader(file, dims);
        } catch (java.io.IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    int bytes() {
        return 4 + 4 * dims.length;
    }

    int count() {
        return dims[0];
    }

    /** Bytes per item: the product of the dimensions after the first. */
    long itemBytes() {
        long n = 1;
        for (int i = 1; i < dims.length; i++) {
            n *= dims[i];
        }
        return n;
    }

    /** For an uncompressed file, checks that its size is exactly header + count × item bytes. */
    void checkSize() {
        if (file.getFileName().toString().endsWith(".gz")) {
            return;
        }
        long expected = bytes() + count() * itemBytes();
        long size = DataFiles.size(file, "an idx file");
        if (size != expected) {
            throw new DataException(file + ": " + size + " bytes, expected " + expected + " for " + count()
                    + " item(s) of " + itemBytes() + " byte(s) after the " + bytes() + "-byte header");
        }
    }
}
