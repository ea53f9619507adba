package org.cimq.data;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fashion-MNIST (and MNIST) in idx format: {@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte} and {@code t10k-…} for test, each raw or gzipped
 * ({@code .gz}). Images are 1×28×28, labels 0-9. Headers are checked when opened.
 */
public final class FashionMnist {
    public static final String NAME = "fashion-mnist";
    public static final int CLASSES = 10;
    /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final Normalization DEFAULT_NORMALIZATION = new Normalization(new float[] {0.2860f}, new float[] {0.3530f});
    private static final String LAYOUT = "Fashion-MNIST idx files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-...)";

    private FashionMnist() {
    }

    /** The split's files in {@code dir}, headers checked, with {@link #DEFAULT_NORMALIZATION}. */
    public static Dataset open(Path dir, Split split) {
        DataFiles.requireFolder(dir, LAYOUT);
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        Path imageFile = find(dir, prefix + "-images-idx3-ubyte");
        Path labelFile = find(dir, prefix + "-labels-idx1-ubyte");
        IdxHeader images = IdxHeader.read(imageFile, 3);
        IdxHeader labels = IdxHeader.read(labelFile, 1);
        images.checkSize();
        labels.checkSize();
        if (images.count() != labels.count()) {
            throw new DataException(imageFile + ": " + images.count() + " images but " + labelFile + " has "
                    + labels.count() + " labels; expected the same count");
        }
        int rows = images.dims()[1];
        int cols = images.dims()[2];
        return new Dataset(NAME, split, CLASSES, 1, rows, cols, images.count(), DEFAULT_NORMALIZATION,
                () -> new Reader(images, labels));
    }

    private static Path find(Path dir, String base) {
        Path raw = dir.resolve(base);
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw new DataException(gz + ": no such file (nor " + raw.getFileName() + "); expected " + LAYOUT);
    }

    /** Reads an image file and a label file in step, past their headers. */
    private static final class Reader implements ImageReader {
        private final IdxHeader imageHeader;
        private final IdxHeader labelHeader;
        private final InputStream images;
        private final InputStream labels;
        private final byte[] label = new byte[1];
        private long index;

        Reader(IdxHeader imageHeader, IdxHeader labelHeader) {
            this.imageHeader = imageHeader;
            this.labelHeader = labelHeader;
            this.images = DataFiles.open(imageHeader.file());
            this.labels = DataFiles.open(labelHeader.file());
            DataFiles.readFully(images, new byte[imageHeader.bytes()], imageHeader.file(), "the idx header");
            DataFiles.readFully(labels, new byte[labelHeader.bytes()], labelHeader.file(), "the idx header");
        }

        @Override
        public int read(byte[] pixels) {
            DataFiles.readFully(images, pixels, imageHeader.file(), "image " + index + " of " + imageHeader.count());
            DataFiles.readFully(labels, label, labelHeader.file(), "label " + index + " of " + labelHeader.count());
            return DataFiles.checkLabel(label[0] & 0xFF, CLASSES, labelHeader.file(), index++);
        }

        @Override
        public void close() {
            DataFiles.close(images);
            DataFiles.close(labels);
        }
    }
}
