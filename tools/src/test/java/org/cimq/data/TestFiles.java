package org.cimq.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes tiny CIFAR-10 and idx files for loader tests. */
public final class TestFiles {
    private TestFiles() {
    }

    /** A CIFAR record: the label, then every R byte = r + i, G = g, B = b (i = pixel index, mod 256). */
    public static byte[] cifarRecord(int label, int r, int g, int b) {
        byte[] rec = new byte[Cifar10.RECORD_BYTES];
        rec[0] = (byte) label;
        for (int i = 0; i < 1024; i++) {
            rec[1 + i] = (byte) (r + i);
            rec[1 + 1024 + i] = (byte) g;
            rec[1 + 2048 + i] = (byte) b;
        }
        return rec;
    }

    public static void write(Path file, byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p);
        }
        Files.write(file, out.toByteArray());
    }

    /** An idx file of unsigned bytes: magic 0x0000080R, the dims, then {@code data}. */
    public static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    public static void writeMaybeGz(Path file, byte[] content) throws IOException {
        if (file.getFileName().toString().endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                out.write(content);
            }
        } else {
            Files.write(file, content);
        }
    }

    /**
     * Fashion-MNIST-style test files of 1×2×3 images where image i has label {@code labels[i]}
     * and its only bright pixel (255) at index {@code labels[i]} (labels must be 0-5).
     */
    public static void writeArgmaxImages(Path dir, String ext, int... labels) throws IOException {
        byte[] pixels = new byte[labels.length * 6];
        byte[] labelBytes = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            pixels[i * 6 + labels[i]] = (byte) 255;
            labelBytes[i] = (byte) labels[i];
        }
        writeMaybeGz(dir.resolve("t10k-images-idx3-ubyte" + ext), idx(0x803, new int[] {labels.length, 2, 3}, pixels));
        writeMaybeGz(dir.resolve("t10k-labels-idx1-ubyte" + ext), idx(0x801, new int[] {labels.length}, labelBytes));
    }
}
