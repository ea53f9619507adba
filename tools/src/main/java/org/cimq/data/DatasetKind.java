package org.cimq.data;

import java.nio.file.Path;
import java.util.Arrays;

/** The data sets cimq can read, by their command-line names. */
public enum DatasetKind {
    CIFAR10(Cifar10.NAME, null) {
        @Override
        public Dataset open(Path dir, Split split) {
            return Cifar10.open(dir, split);
        }
    },
    FASHION_MNIST(FashionMnist.NAME, FashionMnist.DEFAULT_DIR) {
        @Override
        public Dataset open(Path dir, Split split) {
            return FashionMnist.open(dir, split);
        }
    };

    private final String id;
    private final Path defaultDir;

    DatasetKind(String id, Path defaultDir) {
        this.id = id;
        this.defaultDir = defaultDir;
    }

    /** Opens the split's files in {@code dir} with the data set's default normalisation. */
    public abstract Dataset open(Path dir, Split split);

    /** The command-line name, e.g. "fashion-mnist". */
    public String id() {
        return id;
    }

    /** Where the data usually is when no folder is given, or null when there is no usual place. */
    public Path defaultDir() {
        return defaultDir;
    }

    /** The kind named {@code id}; the exception lists the valid names. */
    public static DatasetKind byId(String id) {
        for (DatasetKind k : values()) {
            if (k.id.equalsIgnoreCase(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown data set '" + id + "', expected one of "
                + Arrays.stream(values()).map(DatasetKind::id).toList());
    }

    @Override
    public String toString() {
        return id;
    }
}
