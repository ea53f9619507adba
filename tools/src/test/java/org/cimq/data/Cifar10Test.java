package org.cimq.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10Test {
    private static final float EPS = 1e-6f;

    @TempDir
    Path dir;

    @Test
    void readsPixelsInChwOrderAndNormalises() throws Exception {
        TestFiles.write(dir.resolve("test_batch.bin"), TestFiles.cifarRecord(7, 0, 255, 51), TestFiles.cifarRecord(0, 10, 0, 0));
        Dataset d = Cifar10.open(dir, Split.TEST);
        assertEquals(2, d.size());
        assertEquals(10, d.classes());
        try (BatchIterator it = d.batches(100)) {
            Batch b = it.next();
            assertFalse(it.hasNext());
            assertArrayEquals(new int[] {7, 0}, b.labels());
            assertArrayEquals(new long[] {2, 3, 32, 32}, b.shape());
            float[] x = b.images();
            assertEquals((0 - 0.485f) / 0.229f, x[0], EPS);
            assertEquals(-2.1179039f, x[0], 1e-5f);
            assertEquals((5 / 255f - 0.485f) / 0.229f, x[5], EPS);
            assertEquals((1 - 0.456f) / 0.224f, x[1024], EPS);
            assertEquals(2.4285715f, x[1024 + 1023], 1e-5f);
            assertEquals((0.2f - 0.406f) / 0.225f, x[2048], EPS);
            assertEquals((10 / 255f - 0.485f) / 0.229f, x[3072], EPS);
        }
    }

    @Test
    void batchesLimitAndCustomNormalisation() throws Exception {
        TestFiles.write(dir.resolve("test_batch.bin"), TestFiles.cifarRecord(1, 0, 0, 0),
                TestFiles.cifarRecord(2, 255, 0, 0), TestFiles.cifarRecord(3, 0, 0, 0));
        Normalization unit = new Normalization(new float[] {0, 0, 0}, new float[] {1, 1, 1});
        Dataset d = Cifar10.open(dir, Split.TEST).limit(2).withNormalization(unit);
        List<Integer> sizes = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        float second = 0;
        try (BatchIterator it = d.batches(1)) {
            while (it.hasNext()) {
                Batch b = it.next();
                sizes.add(b.count());
                labels.add(b.labels()[0]);
                second = b.images()[0];
            }
        }
        assertEquals(List.of(1, 1), sizes);
        assertEquals(List.of(1, 2), labels);
        assertEquals(1f, second, 0f);
    }

    @Test
    void trainSplitReadsFiveFilesInOrder() throws Exception {
        for (int i = 1; i <= 5; i++) {
            TestFiles.write(dir.resolve("data_batch_" + i + ".bin"), TestFiles.cifarRecord(i, 0, 0, 0), TestFiles.cifarRecord(i + 4, 0, 0, 0));
        }
        Dataset d = Cifar10.open(dir, Split.TRAIN);
        assertEquals(10, d.size());
        try (BatchIterator it = d.limit(7).batches(3)) {
            List<Integer> labels = new ArrayList<>();
            it.forEachRemaining(b -> {
                for (int l : b.labels()) {
                    labels.add(l);
                }
            });
            assertEquals(List.of(1, 5, 2, 6, 3, 7, 4), labels);
        }
    }

    @Test
    void missingFolderAndFileAreNamed() throws Exception {
        DataException e = assertThrows(DataException.class, () -> Cifar10.open(dir.resolve("nope"), Split.TEST));
        assertEquals(dir.resolve("nope") + ": no such folder; expected CIFAR-10 binary batches "
                + "(data_batch_1.bin ... data_batch_5.bin, test_batch.bin)", e.getMessage());
        e = assertThrows(DataException.class, () -> Cifar10.open(dir, Split.TEST));
        assertTrue(e.getMessage().startsWith(dir.resolve("test_batch.bin") + ": no such file"), e.getMessage());
        TestFiles.write(dir.resolve("data_batch_1.bin"), TestFiles.cifarRecord(0, 0, 0, 0));
        e = assertThrows(DataException.class, () -> Cifar10.open(dir, Split.TRAIN));
        assertTrue(e.getMessage().startsWith(dir.resolve("data_batch_2.bin") + ": no such file"), e.getMessage());
    }

    @Test
    void sizeNotAMultipleOfTheRecordIsRefused() throws Exception {
        Path f = dir.resolve("test_batch.bin");
        TestFiles.write(f, TestFiles.cifarRecord(0, 0, 0, 0), new byte[10]);
        DataException e = assertThrows(DataException.class, () -> Cifar10.open(dir, Split.TEST));
        assertEquals(f + ": 3083 bytes is not a positive multiple of the 3073-byte CIFAR-10 record", e.getMessage());
        Files.write(f, new byte[0]);
        assertThrows(DataException.class, () -> Cifar10.open(dir, Split.TEST));
    }

    @Test
    void labelOutOfRangeIsReportedWithItsIndex() throws Exception {
        Path f = dir.resolve("test_batch.bin");
        TestFiles.write(f, TestFiles.cifarRecord(9, 0, 0, 0), TestFiles.cifarRecord(10, 0, 0, 0));
        Dataset d = Cifar10.open(dir, Split.TEST);
        try (BatchIterator it = d.batches(2)) {
            DataException e = assertThrows(DataException.class, it::next);
            assertEquals(f + ": image 1 has label 10, expected 0-9", e.getMessage());
        }
    }

    @Test
    void wrongChannelCountForNormalisationIsRefused() throws Exception {
        TestFiles.write(dir.resolve("test_batch.bin"), TestFiles.cifarRecord(0, 0, 0, 0));
        Dataset d = Cifar10.open(dir, Split.TEST);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> d.withNormalization(FashionMnist.DEFAULT_NORMALIZATION));
        assertEquals("cifar10 has 3 channel(s); mean and std need 3 value(s) each, got 1", e.getMessage());
    }
}
