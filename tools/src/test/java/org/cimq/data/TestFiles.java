package org.cimq.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes tiny CIFAR-10 and idx files for loader tests. */
final class TestFiles {
    private TestFiles() {
    }

    /** A CIFAR record: the label, then every R byte = r + i, G = g, B = b (i = pixel index, mod 256). */
    static byte[] cifarRecord(int label, int r, int g, int b) {
        byte[] rec = new byte[Cifar10.RECORD_BYTES];
        rec[0] = (byte) label;
        for (int i = 0; i < 1024; i++) {
            rec[1 + i] = (byte) (r + i);
            rec[1 + 1024 + i] = (byte) g;
            rec[1 + 2048 + i] = (byte) b;
        }
        return rec;
    }

    static void write(Path file, byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p);
        }
        Files.write(file, out.toByteArray());
    }

    /** An idx file of unsigned bytes: magic 0x0000080R, the dims, then {@code data}. */
    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    static void writeMaybeGz(Path file, byte[] content) throws IOException {
        if (file.getFileName().toString().endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                out.write(content);
            }
        } else {
            Files.write(file, content);
        }
    }
}
