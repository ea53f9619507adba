package org.cimq.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Where a CIM model's calibration comes from: {@code --calib-images N}, the first N images of
 * the train split (input scales, and minmax ADC steps), and {@code --ranges FILE}, ADC steps
 * read from a {@code ranges.json} instead of minmax.
 */
public final class CalibrationOptions {
    /** Calibration images when {@code --calib-images} is not given. */
    public static final int DEFAULT_IMAGES = 1000;

    @Option(names = "--ranges", paramLabel = "FILE",
            description = "ADC steps from this ranges.json (see README) instead of minmax on the calibration images.")
    Path ranges;

    @Option(names = "--calib-images", paramLabel = "N",
            description = "Calibrate on the first N images of the train split (default " + DEFAULT_IMAGES + ").")
    Integer images;

    /** The ranges file, or null for minmax steps. */
    public Path ranges() {
        return ranges;
    }

    /** True when either option was given. */
    public boolean given() {
        return ranges != null || images != null;
    }

    /** The number of calibration images; a value below 1 is a usage error. */
    public int images(CommandSpec spec) {
        int n = images != null ? images : DEFAULT_IMAGES;
        if (n < 1) {
            throw new ParameterException(spec.commandLine(), "--calib-images must be >= 1, got " + n);
        }
        return n;
    }
}
