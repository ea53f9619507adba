package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cimq.cim.config.CimConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class CimConfigOptionsTest {
    @Command(name = "probe")
    static final class Probe implements Callable<Integer> {
        @Mixin
        CimConfigOptions cim;

        CimConfig resolved;

        @Override
        public Integer call() {
            resolved = cim.resolve();
            return 0;
        }
    }

    private record Run(int exit, CimConfig config, List<String> err) {
    }

    private static Run run(String... args) {
        Probe probe = new Probe();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(probe);
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, probe.resolved, err.toString().lines().toList());
    }

    @Test
    void noOptionsGiveTheDefaults() {
        Run r = run();
        assertEquals(0, r.exit(), r.err().toString());
        assertEquals(CimConfig.DEFAULTS, r.config());
    }

    @Test
    void optionsOverrideTheFileTogether(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("cim.yaml");
        Files.writeString(f, "rows: 64\ninput_bits: 8\ndac_bits: 8\nadc_levels: 5\n");
        Run r = run("--cim", f.toString(), "--input-bits", "2", "--dac-bits", "2", "-L", "9", "--digital-layers=");
        assertEquals(0, r.exit(), r.err().toString());
        assertEquals(CimConfig.DEFAULTS.with(Map.of("rows", "64", "input_bits", "2", "dac_bits", "2", "adc_levels", "9",
                "digital_layers", "")), r.config());
    }

    @Test
    void everyOptionSetsItsOwnField() {
        Map<String, String> values = Map.ofEntries(Map.entry("rows", "7"), Map.entry("cols", "9"),
                Map.entry("weight_bits", "8"), Map.entry("cell_bits", "2"), Map.entry("weight_scheme", "offset"),
                Map.entry("input_bits", "6"), Map.entry("dac_bits", "3"), Map.entry("adc_levels", "15"),
                Map.entry("quantizer", "mid-rise"), Map.entry("granularity", "column"), Map.entry("mapping", "channel-aligned"),
                Map.entry("digital_layers", "0,/fc/Gemm"), Map.entry("activation_percentile", "99.5"),
                Map.entry("signed_inputs", "split"));
        assertEquals(CimConfig.FIELDS.size(), values.size());
        for (String field : CimConfig.FIELDS) {
            Map<String, String> change = new LinkedHashMap<>(Map.of("weight_bits", "8", "input_bits", "8"));
            change.put(field, values.get(field));
            List<String> args = new ArrayList<>();
            change.forEach((f, v) -> args.addAll(List.of("--" + f.replace('_', '-'), v)));
            Run r = run(args.toArray(String[]::new));
            assertEquals(0, r.exit(), field + ": " + r.err());
            assertEquals(CimConfig.DEFAULTS.with(change), r.config(), field);
            assertNotEquals(CimConfig.DEFAULTS.toMap().get(field), r.config().toMap().get(field), field);
        }
    }

    @Test
    void badValueIsOneLineAndExitOne() {
        Run r = run("-L", "1");
        assertEquals(1, r.exit());
        assertEquals(List.of("cimq: error: adc_levels: must be 0 (no ADC) or an integer from 2 to 65536, got 1"), r.err());
        r = run("--rows", "abc");
        assertEquals(List.of("cimq: error: rows: expected an integer, got 'abc'"), r.err());
    }

    @Test
    void overrideConflictingWithTheFileNamesBoth(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("cim.yaml");
        Files.writeString(f, "input_bits: 8\ndac_bits: 8\n");
        Run r = run("--cim", f.toString(), "--input-bits", "4");
        assertEquals(1, r.exit());
        assertEquals(List.of("cimq: error: " + f + " with command-line overrides: dac_bits: must be an integer from 1 to 4 "
                + "(input_bits), got 8"), r.err());
    }

    @Test
    void badFileIsOneLineAndExitOne(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("none.yaml");
        Run r = run("--cim", missing.toString());
        assertEquals(1, r.exit());
        assertEquals(List.of("cimq: error: " + missing + ": cannot read: no such file"), r.err());
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "rows: [\n");
        r = run("--cim", bad.toString(), "--rows", "4");
        assertEquals(1, r.exit());
        assertEquals(1, r.err().size(), r.err().toString());
    }
}
