package org.cimq.cli;

import java.nio.file.Path;
import java.util.Random;
import org.cimq.data.TestFiles;

/** Fashion-MNIST-style idx files of random 8×8 images with random labels, train and test. */
final class TinyImages {
    private TinyImages() {
    }

    static Path write(Path dir, int train, int test) throws Exception {
        Random rnd = new Random(7);
        split(dir, "train", train, rnd);
        split(dir, "t10k", test, rnd);
        return dir;
    }

    private static void split(Path dir, String prefix, int n, Random rnd) throws Exception {
        byte[] pixels = new byte[n * 64];
        rnd.nextBytes(pixels);
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) rnd.nextInt(10);
        }
        TestFiles.writeMaybeGz(dir.resolve(prefix + "-images-idx3-ubyte"), TestFiles.idx(0x803, new int[] {n, 8, 8}, pixels));
        TestFiles.writeMaybeGz(dir.resolve(prefix + "-labels-idx1-ubyte"), TestFiles.idx(0x801, new int[] {n}, labels));
    }
}
