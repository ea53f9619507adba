package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every CIM configuration field out of range or of the wrong type, unknown fields and enum
 * values, through {@code cimq inspect MODEL --cim FILE} and through the field's option: exit 1
 * and one stderr line naming the file (for files) and the field.
 */
class BadConfigCliTest {
    @TempDir
    Path dir;

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("adc_levels: 1", "adc_levels"),
                Arguments.of("adc_levels: -4", "adc_levels"),
                Arguments.of("adc_levels: 65537", "adc_levels"),
                Arguments.of("rows: 0", "rows"),
                Arguments.of("rows: -128", "rows"),
                Arguments.of("cols: 0", "cols"),
                Arguments.of("cols: -1", "cols"),
                Arguments.of("weight_bits: 17", "weight_bits"),
                Arguments.of("weight_bits: 1", "weight_bits"),
                Arguments.of("input_bits: 17", "input_bits"),
                Arguments.of("input_bits: 0", "input_bits"),
                Arguments.of("weight_bits: 4\ncell_bits: 5", "cell_bits"),
                Arguments.of("cell_bits: 0", "cell_bits"),
                Arguments.of("weight_bits: 16\ncell_bits: 9", "cell_bits"),
                Arguments.of("input_bits: 4\ndac_bits: 5", "dac_bits"),
                Arguments.of("dac_bits: 0", "dac_bits"),
                Arguments.of("weight_scheme: sign-magnitude", "weight_scheme"),
                Arguments.of("quantizer: round", "quantizer"),
                Arguments.of("granularity: row", "granularity"),
                Arguments.of("mapping: diagonal", "mapping"),
                Arguments.of("signed_inputs: ignore", "signed_inputs"),
                Arguments.of("activation_percentile: 0", "activation_percentile"),
                Arguments.of("activation_percentile: 100.5", "activation_percentile"),
                Arguments.of("activation_percentile: high", "activation_percentile"),
                Arguments.of("rowz: 64", "rowz"),
                Arguments.of("rows: many", "rows"),
                Arguments.of("rows: 1.5", "rows"),
                Arguments.of("rows: [128, 128]", "rows"),
                Arguments.of("rows: 99999999999", "rows"),
                Arguments.of("digital_layers: first", "digital_layers"),
                Arguments.of("digital_layers: [first, {a: 1}]", "digital_layers[1]"),
                Arguments.of("digital_layers: [\"\"]", "digital_layers[0]"),
                Arguments.of("weight_scheme: 3", "weight_scheme"),
                Arguments.of("rows: 64\nrows: 32", "rows"),
                Arguments.of("- rows: 64", "expected a mapping"),
                Arguments.of("rows: [64", "not valid YAML"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void badConfigFileNamesFileAndField(String yaml, String field) throws Exception {
        Path model = TinyModels.cimNet(dir, true);
        Path cfg = dir.resolve("bad.yaml");
        Files.writeString(cfg, yaml + "\n");
        CliRun r = CliRun.of("inspect", model.toString(), "--cim", cfg.toString());
        assertOneLine(r, 1, field);
        assertTrue(r.err().contains(cfg.toString()), r.err());
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of(new String[] {"-L", "1"}, "adc_levels"),
                Arguments.of(new String[] {"--rows", "0"}, "rows"),
                Arguments.of(new String[] {"--cols", "-3"}, "cols"),
                Arguments.of(new String[] {"--weight-bits", "17"}, "weight_bits"),
                Arguments.of(new String[] {"--input-bits", "0"}, "input_bits"),
                Arguments.of(new String[] {"--weight-bits", "2", "--cell-bits", "3"}, "cell_bits"),
                Arguments.of(new String[] {"--dac-bits", "5"}, "dac_bits"),
                Arguments.of(new String[] {"--quantizer", "round"}, "quantizer"),
                Arguments.of(new String[] {"--granularity", "row"}, "granularity"),
                Arguments.of(new String[] {"--rows", "lots"}, "rows"),
                Arguments.of(new String[] {"--activation-percentile", "0"}, "activation_percentile"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptions")
    void badOptionValueNamesTheField(String[] options, String field) throws Exception {
        Path model = TinyModels.cimNet(dir, true);
        String[] args = Stream.concat(Stream.of("inspect", model.toString()), Stream.of(options)).toArray(String[]::new);
        assertOneLine(CliRun.of(args), 1, field);
    }

    @Test
    void missingOptionValueIsAUsageError() throws Exception {
        CliRun r = CliRun.of("inspect", TinyModels.cimNet(dir, true).toString(), "--rows");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("--rows"), r.err());
    }

    static void assertOneLine(CliRun r, int exit, String mustContain) {
        assertEquals(exit, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("cimq: error: "), r.err());
        assertTrue(r.err().contains(mustContain), "expected '" + mustContain + "' in: " + r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
