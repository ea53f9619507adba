package org.cimq.cli;

import java.nio.file.Path;
import org.cimq.data.Dataset;
import org.cimq.data.DatasetKind;
import org.cimq.data.Normalization;
import org.cimq.data.Split;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Which images to read and how to normalise them: shared by {@code eval} and {@code bench}. */
public final class DataOptions {
    @Option(names = "--dataset", required = true, converter = KindConverter.class, paramLabel = "NAME",
            description = "cifar10 or fashion-mnist.")
    DatasetKind kind;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder with the data set's files (default for fashion-mnist: /usr/share/datasets/fashion-mnist).")
    Path dir;

    @Option(names = "--split", defaultValue = "test", paramLabel = "SPLIT", description = "test or train (default: ${DEFAULT-VALUE}).")
    Split split;

    @Option(names = "--mean", split = ",", paramLabel = "M", description = "Per-channel mean after scaling bytes to [0,1] "
            + "(default: cifar10 0.485,0.456,0.406; fashion-mnist 0.2860).")
    float[] mean;

    @Option(names = "--std", split = ",", paramLabel = "S", description = "Per-channel std "
            + "(default: cifar10 0.229,0.224,0.225; fashion-mnist 0.3530).")
    float[] std;

    /** The data set's name as given to {@code --dataset} ("cifar10", "fashion-mnist"). */
    /** The data set's kind. */
    public DatasetKind kind() {
        return kind;
    }

    public String kindId() {
        return kind.id();
    }

    /** The data set, checked on disk, with the requested normalisation; bad option values are usage errors. */
    public Dataset open(CommandSpec spec) {
        return open(spec, split);
    }

    /** As {@link #open(CommandSpec)} for {@code which} split, whatever {@code --split} says (calibration reads train). */
    public Dataset open(CommandSpec spec, Split which) {
        Path folder = dir != null ? dir : kind.defaultDir();
        if (folder == null) {
            throw new ParameterException(spec.commandLine(), "--data DIR is required for " + kind);
        }
        Dataset d = kind.open(folder, which);
        if (mean == null && std == null) {
            return d;
        }
        try {
            Normalization n = new Normalization(mean != null ? mean : d.normalization().mean(),
                    std != null ? std : d.normalization().std());
            return d.withNormalization(n);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--mean/--std: " + e.getMessage());
        }
    }

    /** Reads data set names such as "fashion-mnist". */
    static final class KindConverter implements ITypeConverter<DatasetKind> {
        @Override
        public DatasetKind convert(String value) {
            try {
                return DatasetKind.byId(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
