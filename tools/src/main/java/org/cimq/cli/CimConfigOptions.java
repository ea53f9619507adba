package org.cimq.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.CimConfigException;
import org.cimq.cim.config.CimConfigFiles;
import picocli.CommandLine.Option;

/**
 * The CIM configuration options every CIM command shares: {@code --cim [FILE]} and one option
 * per {@link CimConfig} field, named as in files with dashes ({@code --adc-levels} for
 * {@code adc_levels}). {@link #resolve()} applies the options given on top of the file, or of
 * CIM-SPEC's defaults; a bad value is a {@link CimConfigException} naming the field.
 */
public final class CimConfigOptions {
    @Option(names = "--cim", paramLabel = "FILE", arity = "0..1", fallbackValue = "",
            description = "Map onto CIM arrays with this configuration, YAML or JSON; without FILE, CIM-SPEC's defaults. "
                    + "The options below override it (and imply --cim).")
    String file;

    @Option(names = "--rows", paramLabel = "R", description = "Rows per array, 1..65536 (default 128).")
    String rows;

    @Option(names = "--cols", paramLabel = "C", description = "Columns per array, 1..65536 (default 128).")
    String cols;

    @Option(names = "--weight-bits", paramLabel = "BW", description = "Weight bits, 2..16 (default 4).")
    String weightBits;

    @Option(names = "--cell-bits", paramLabel = "c", description = "Bits per cell, 1..min(weight bits, 8) (default 1).")
    String cellBits;

    @Option(names = "--weight-scheme", paramLabel = "SCHEME",
            description = "Signed weights: differential, offset or twos-complement (default differential).")
    String weightScheme;

    @Option(names = "--input-bits", paramLabel = "BA", description = "Input bits, 1..16 (default 4).")
    String inputBits;

    @Option(names = "--dac-bits", paramLabel = "d", description = "Input bits per cycle, 1..input bits (default 1).")
    String dacBits;

    @Option(names = {"-L", "--adc-levels"}, paramLabel = "L",
            description = "ADC levels: 0 for no ADC, else 2..65536 (default 0).")
    String adcLevels;

    @Option(names = "--quantizer", paramLabel = "Q", description = "ADC quantizer: zero-tread or mid-rise (default zero-tread).")
    String quantizer;

    @Option(names = "--granularity", paramLabel = "G",
            description = "One ADC step per network, layer, array or column (default layer).")
    String granularity;

    @Option(names = "--mapping", paramLabel = "M",
            description = "Rows onto arrays: flat, channel-aligned or balanced (flat's array count, rows spread evenly) "
                    + "(default flat).")
    String mapping;

    @Option(names = "--digital-layers", paramLabel = "LIST",
            description = "Layers kept digital, comma-separated: first, last, node names, indices among mappable layers "
                    + "(-1 = last); empty for none (default first,last).")
    String digitalLayers;

    @Option(names = "--activation-percentile", paramLabel = "P",
            description = "Percentile of a layer's input that sets its scale, in (0, 100] (default 99.99).")
    String activationPercentile;

    @Option(names = "--signed-inputs", paramLabel = "HOW",
            description = "Signed inputs of a mapped layer: error, split or twos-complement (default error).")
    String signedInputs;

    /** The configuration: the file (or the defaults) with every option given applied at once. */
    public CimConfig resolve() {
        Path path = file == null || file.isEmpty() ? null : Path.of(file);
        CimConfig base = path != null ? CimConfigFiles.read(path) : CimConfig.DEFAULTS;
        Map<String, String> changes = overrides();
        if (changes.isEmpty()) {
            return base;
        }
        try {
            return base.with(changes);
        } catch (CimConfigException e) {
            if (path == null) {
                throw e;
            }
            throw new CimConfigException(path + " with command-line overrides: " + e.getMessage(), e);
        }
    }

    /** True when {@code --cim} or any field option was given: the command is asked to map the model. */
    public boolean given() {
        return file != null || !overrides().isEmpty();
    }

    /** The fields given on the command line, file names to text. */
    Map<String, String> overrides() {
        Map<String, String> m = new LinkedHashMap<>();
        String[] values = {rows, cols, weightBits, cellBits, weightScheme, inputBits, dacBits, adcLevels, quantizer,
            granularity, mapping, digitalLayers, activationPercentile, signedInputs};
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                m.put(CimConfig.FIELDS.get(i), values[i]);
            }
        }
        return m;
    }
}
