package org.cimq.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FashionMnistTest {
    private static final int IMAGES = 0x803;
    private static final int LABELS = 0x801;
    /** Two 2×3 images: 0..5 and 250..255. */
    private static final byte[] PIXELS = {0, 1, 2, 3, 4, 5, (byte) 250, (byte) 251, (byte) 252, (byte) 253, (byte) 254, (byte) 255};

    @TempDir
    Path dir;

    private void write(String prefix, String ext, int imageMagic, int imageCount, byte[] pixels, int labelCount, byte[] labels)
            throws Exception {
        TestFiles.writeMaybeGz(dir.resolve(prefix + "-images-idx3-ubyte" + ext),
                TestFiles.idx(imageMagic, new int[] {imageCount, 2, 3}, pixels));
        TestFiles.writeMaybeGz(dir.resolve(prefix + "-labels-idx1-ubyte" + ext),
                TestFiles.idx(LABELS, new int[] {labelCount}, labels));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".gz"})
    void readsRawAndGzippedFiles(String ext) throws Exception {
        write("t10k", ext, IMAGES, 2, PIXELS, 2, new byte[] {9, 3});
        Dataset d = FashionMnist.open(dir, Split.TEST);
        assertEquals(2, d.size());
        assertEquals(1, d.channels());
        assertEquals(2, d.height());
        assertEquals(3, d.width());
        try (BatchIterator it = d.batches(10)) {
            Batch b = it.next();
            assertArrayEquals(new int[] {9, 3}, b.labels());
            assertArrayEquals(new long[] {2, 1, 2, 3}, b.shape());
            assertEquals(-0.2860f / 0.3530f, b.images()[0], 1e-6f);
            assertEquals(-0.8101983f, b.images()[0], 1e-6f);
            assertEquals((5 / 255f - 0.2860f) / 0.3530f, b.images()[5], 1e-6f);
            assertEquals((1 - 0.2860f) / 0.3530f, b.images()[11], 1e-6f);
        }
    }

    @Test
    void trainSplitUsesTrainFiles() throws Exception {
        write("train", "", IMAGES, 2, PIXELS, 2, new byte[] {0, 1});
        assertEquals(2, FashionMnist.open(dir, Split.TRAIN).size());
        DataException e = assertThrows(DataException.class, () -> FashionMnist.open(dir, Split.TEST));
        assertTrue(e.getMessage().startsWith(dir.resolve("t10k-images-idx3-ubyte.gz") + ": no such file (nor t10k-images-idx3-ubyte)"),
                e.getMessage());
    }

    @Test
    void wrongMagicIsRefused() throws Exception {
        write("t10k", "", 0x801, 2, PIXELS, 2, new byte[] {0, 1});
        DataException e = assertThrows(DataException.class, () -> FashionMnist.open(dir, Split.TEST));
        assertEquals(dir.resolve("t10k-images-idx3-ubyte") + ": idx magic 0x00000801, expected 0x00000803 (unsigned bytes, 3 dimension(s))",
                e.getMessage());
    }

    @Test
    void imageAndLabelCountsMustMatch() throws Exception {
        write("t10k", ".gz", IMAGES, 2, PIXELS, 1, new byte[] {0});
        DataException e = assertThrows(DataException.class, () -> FashionMnist.open(dir, Split.TEST));
        assertEquals(dir.resolve("t10k-images-idx3-ubyte.gz") + ": 2 images but " + dir.resolve("t10k-labels-idx1-ubyte.gz")
                + " has 1 labels; expected the same count", e.getMessage());
    }

    @Test
    void rawFileOfTheWrongSizeIsRefused() throws Exception {
        write("t10k", "", IMAGES, 3, PIXELS, 3, new byte[] {0, 1, 2});
        DataException e = assertThrows(DataException.class, () -> FashionMnist.open(dir, Split.TEST));
        assertEquals(dir.resolve("t10k-images-idx3-ubyte") + ": 28 bytes, expected 34 for 3 item(s) of 6 byte(s) after the 16-byte header",
                e.getMessage());
    }

    @Test
    void truncatedGzipFailsWhenRead() throws Exception {
        write("t10k", ".gz", IMAGES, 3, PIXELS, 3, new byte[] {0, 1, 2});
        Dataset d = FashionMnist.open(dir, Split.TEST);
        try (BatchIterator it = d.batches(3)) {
            DataException e = assertThrows(DataException.class, it::next);
            assertEquals(dir.resolve("t10k-images-idx3-ubyte.gz") + ": file ends early, while reading image 2 of 3", e.getMessage());
        }
    }

    @Test
    void labelOutOfRangeIsRefused() throws Exception {
        write("t10k", "", IMAGES, 2, PIXELS, 2, new byte[] {1, (byte) 200});
        try (BatchIterator it = FashionMnist.open(dir, Split.TEST).batches(1)) {
            assertEquals(1, it.next().labels()[0]);
            DataException e = assertThrows(DataException.class, it::next);
            assertEquals(dir.resolve("t10k-labels-idx1-ubyte") + ": image 1 has label 200, expected 0-9", e.getMessage());
        }
    }

    @Test
    void kindsAreFoundByCommandLineName() {
        assertEquals(DatasetKind.FASHION_MNIST, DatasetKind.byId("fashion-mnist"));
        assertEquals(DatasetKind.CIFAR10, DatasetKind.byId("CIFAR10"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatasetKind.byId("mnist"));
        assertEquals("unknown data set 'mnist', expected one of [cifar10, fashion-mnist]", e.getMessage());
    }
}
