package org.cimq.cli;

import org.cimq.cim.search.AccuracySearch;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --significance Z} of the acc searches ({@link AccuracySearch.Options#significance}), shared by calibrate and sweep. */
public final class SignificanceOption {
    @Option(names = "--significance", paramLabel = "Z",
            description = "acc methods: a candidate replaces the best only when its gain in right answers over the best, "
                    + "paired image by image, exceeds Z standard errors (McNemar); 0: any strict improvement, top-1 then "
                    + "cross-entropy (default ${DEFAULT-VALUE}).")
    double significance = AccuracySearch.Options.SIGNIFICANCE;

    /** The value given; a negative, NaN or infinite one is a usage error. */
    public double value(CommandSpec spec) {
        if (!(significance >= 0) || Double.isInfinite(significance)) {
            throw new ParameterException(spec.commandLine(), "--significance must be a finite number >= 0, got " + significance);
        }
        return significance;
    }

    /** The default search options with this significance. */
    public AccuracySearch.Options searchOptions(CommandSpec spec) {
        return AccuracySearch.Options.DEFAULT.withSignificance(value(spec));
    }
}
