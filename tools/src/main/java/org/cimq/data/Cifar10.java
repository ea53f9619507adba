package org.cimq.data;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10 in its binary layout: {@code data_batch_1.bin} … {@code data_batch_5.bin} (train),
 * {@code test_batch.bin} (test). Each 3,073-byte record is a label byte (0-9) then 1,024
 * red, 1,024 green and 1,024 blue bytes of a 32×32 row-major image, which is already CHW.
 * Files are checked (presence, size) when opened and read one record at a time.
 */
public final class Cifar10 {
    public static final String NAME = "cifar10";
    public static final int CLASSES = 10;
    public static final int SIDE = 32;
    public static final int RECORD_BYTES = 1 + 3 * SIDE * SIDE;
    /** The mean and std the shared ResNet-20 model expects (ImageNet's). */
    public static final Normalization DEFAULT_NORMALIZATION = new Normalization(
            new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});
    private static final String LAYOUT = "CIFAR-10 binary batches (data_batch_1.bin ... data_batch_5.bin, test_batch.bin)";

    private Cifar10() {
    }

    /** The split's files in {@code dir}, checked but not read, with {@link #DEFAULT_NORMALIZATION}. */
    public static Dataset open(Path dir, Split split) {
        DataFiles.requireFolder(dir, LAYOUT);
        List<Path> files = new ArrayList<>();
        if (split == Split.TRAIN) {
            for (int i = 1; i <= 5; i++) {
                files.add(dir.resolve("data_batch_" + i + ".bin"));
            }
        } else {
            files.add(dir.resolve("test_batch.bin"));
        }
        long[] counts = new long[files.size()];
        long total = 0;
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            long size = DataFiles.size(f, LAYOUT);
            if (size == 0 || size % RECORD_BYTES != 0) {
                throw new DataException(f + ": " + size + " bytes is not a positive multiple of the "
                        + RECORD_BYTES + "-byte CIFAR-10 record");
            }
            counts[i] = size / RECORD_BYTES;
            total += counts[i];
        }
        return new Dataset(NAME, split, CLASSES, 3, SIDE, SIDE, Math.toIntExact(total), DEFAULT_NORMALIZATION,
                () -> new Reader(files, counts));
    }

    /** Reads the records of several files in sequence, opening each only when reached. */
    private static final class Reader implements ImageReader {
        private final List<Path> files;
        private final long[] counts;
        private final byte[] record = new byte[RECORD_BYTES];
        private int file = -1;
        private long index;
        private InputStream in;

        Reader(List<Path> files, long[] counts) {
            this.files = files;
            this.counts = counts;
        }

        @Override
        public int read(byte[] pixels) {
            while (in == null || index == counts[file]) {
                close();
                file++;
                index = 0;
                in = DataFiles.open(files.get(file));
            }
            Path f = files.get(file);
            DataFiles.readFully(in, record, f, "record " + index);
            int label = DataFiles.checkLabel(record[0] & 0xFF, CLASSES, f, index);
            System.arraycopy(record, 1, pixels, 0, pixels.length);
            index++;
            return label;
        }

        @Override
        public void close() {
            if (in != null) {
                DataFiles.close(in);
                in = null;
            }
        }
    }
}
