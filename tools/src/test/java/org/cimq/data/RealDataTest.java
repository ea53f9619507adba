package org.cimq.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Reads the real CIFAR-10 copy in the shared folder and Debian's Fashion-MNIST, when present. */
class RealDataTest {
    static Path cifarDir() {
        String shared = System.getProperty("cimq.shared", "../shared");
        Path dir = Path.of(shared, "datasets", "cifar10");
        org.junit.jupiter.api.Assertions.assertTrue(Files.isDirectory(dir),
                "no CIFAR-10 at " + dir + ": tests need the shared folder next to the repository");
        return dir;
    }

    private static int[] labelHistogram(Dataset d, int batch) {
        int[] counts = new int[d.classes()];
        try (BatchIterator it = d.batches(batch)) {
            while (it.hasNext()) {
                Batch b = it.next();
                for (int l : b.labels()) {
                    counts[l]++;
                }
            }
        }
        return counts;
    }

    @Test
    void cifarTestSplitIsBalancedAndStartsWithACat() {
        Dataset d = Cifar10.open(cifarDir(), Split.TEST);
        assertEquals(10_000, d.size());
        try (BatchIterator it = d.limit(1).batches(1)) {
            Batch b = it.next();
            assertEquals(9, b.labels()[0]);
            assertEquals((227 / 255f - 0.485f) / 0.229f, b.images()[0], 1e-6f);
            assertEquals((1 - 0.456f) / 0.224f, b.images()[1024], 1e-6f);
        }
        int[] counts = labelHistogram(d.limit(1000), 128);
        for (int c : counts) {
            assertTrue(c >= 60 && c <= 140, java.util.Arrays.toString(counts));
        }
    }

    @Test
    void cifarTrainSplitHasFiftyThousandImages() {
        Dataset d = Cifar10.open(cifarDir(), Split.TRAIN);
        assertEquals(50_000, d.size());
        try (BatchIterator it = d.limit(1).batches(1)) {
            assertEquals(4, it.next().labels()[0]);
        }
    }

    @Test
    void fashionMnistFromTheDebianPackage() {
        Path dir = FashionMnist.DEFAULT_DIR;
        org.junit.jupiter.api.Assertions.assertTrue(Files.isDirectory(dir), "dataset-fashion-mnist is not installed (scripts/install-deps.sh)");
        Dataset test = FashionMnist.open(dir, Split.TEST);
        assertEquals(10_000, test.size());
        assertEquals(60_000, FashionMnist.open(dir, Split.TRAIN).size());
        try (BatchIterator it = test.limit(10).batches(10)) {
            Batch b = it.next();
            assertEquals(java.util.List.of(9, 2, 1, 1, 6, 1, 4, 6, 5, 7), java.util.Arrays.stream(b.labels()).boxed().toList());
            assertEquals((53 / 255f - 0.2860f) / 0.3530f, b.images()[10 * 28 + 15], 1e-6f);
        }
        int[] counts = labelHistogram(test, 1000);
        for (int c : counts) {
            assertEquals(1000, c);
        }
    }
}
