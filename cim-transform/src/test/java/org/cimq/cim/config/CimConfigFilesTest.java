package org.cimq.cim.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CimConfigFilesTest {
    @TempDir
    Path dir;

    private Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private String error(Path p) {
        return assertThrows(CimConfigException.class, () -> CimConfigFiles.read(p)).getMessage();
    }

    @Test
    void yamlFieldsOverrideDefaults() throws Exception {
        CimConfig c = CimConfigFiles.read(file("cim.yaml", """
                # a comment
                rows: 256
                adc_levels: 16
                granularity: array
                weight_scheme: offset
                digital_layers: [first, 3, "/fc/Gemm", -1]
                activation_percentile: 100
                """));
        assertEquals(CimConfig.DEFAULTS.with("rows", "256").with("adc_levels", "16").with("granularity", "array")
                .with("weight_scheme", "offset").with("digital_layers", "first,3,/fc/Gemm,-1")
                .with("activation_percentile", "100"), c);
    }

    @Test
    void jsonIsReadTooEvenWithTabs() throws Exception {
        CimConfig c = CimConfigFiles.read(file("cim.json",
                "{\n\t\"cols\": 64,\n\t\"quantizer\": \"mid-rise\",\n\t\"digital_layers\": []\n}\n"));
        assertEquals(64, c.cols());
        assertEquals(Quantizer.MID_RISE, c.quantizer());
        assertEquals(List.of(), c.digitalLayers());
        assertEquals(128, c.rows());
    }

    @Test
    void emptyFileIsTheDefaults() throws Exception {
        assertEquals(CimConfig.DEFAULTS, CimConfigFiles.read(file("empty.yaml", "")));
    }

    @Test
    void writeThenReadGivesTheSameConfig() throws Exception {
        CimConfig c = CimConfig.DEFAULTS.with("cell_bits", "2").with("adc_levels", "7").with("mapping", "channel-aligned")
                .with("digital_layers", "first,0,-1,null,yes,/a b/Conv").with("signed_inputs", "split")
                .with("activation_percentile", "99.5");
        Path p = dir.resolve("sub/out.yaml");
        CimConfigFiles.write(c, p);
        assertEquals(c, CimConfigFiles.read(p));
        try (var files = Files.list(p.getParent())) {
            assertEquals(List.of(p), files.toList(), "no temporary file left");
        }
        assertTrue(CimConfigFiles.toYaml(c).contains("mapping: channel-aligned"), CimConfigFiles.toYaml(c));
    }

    @Test
    void outOfRangeValueNamesFileAndField() throws Exception {
        Path p = file("cim.yaml", "adc_levels: 1\n");
        assertEquals(p + ": adc_levels: must be 0 (no ADC) or an integer from 2 to 65536, got 1", error(p));
    }

    @Test
    void unknownFieldListsKnownOnes() throws Exception {
        Path p = file("cim.yaml", "row: 64\n");
        String m = error(p);
        assertTrue(m.startsWith(p + ": row: unknown field, expected one of rows, cols, "), m);
    }

    @Test
    void wrongTypesNameTheField() throws Exception {
        assertEquals(dir.resolve("a.yaml") + ": rows: expected an integer, got 'many'", error(file("a.yaml", "rows: many\n")));
        assertEquals(dir.resolve("b.yaml") + ": rows: expected an integer, got 12.5", error(file("b.yaml", "rows: 12.5\n")));
        assertEquals(dir.resolve("c.yaml") + ": digital_layers: expected a list of node names or integer indices, got 'first'",
                error(file("c.yaml", "digital_layers: first\n")));
        assertEquals(dir.resolve("d.yaml") + ": digital_layers[1]: expected a node name or an integer index, got 1.5",
                error(file("d.yaml", "digital_layers: [first, 1.5]\n")));
        assertEquals(dir.resolve("e.yaml") + ": activation_percentile: expected a number, got 'high'",
                error(file("e.yaml", "activation_percentile: high\n")));
        assertEquals(dir.resolve("f.yaml") + ": mapping: expected one of flat, channel-aligned, balanced, got '3'",
                error(file("f.yaml", "mapping: 3\n")));
        assertEquals(dir.resolve("g.yaml") + ": expected a mapping of field names to values, got [1,2]",
                error(file("g.yaml", "[1, 2]\n")));
    }

    @Test
    void syntaxErrorIsOneLineWithPosition() throws Exception {
        Path p = file("bad.yaml", "rows: 64\ncols: [1, 2\n");
        String m = error(p);
        assertTrue(m.startsWith(p + ": not valid YAML or JSON at line 3, column 1: "), m);
        assertFalse(m.contains("\n"), m);
        Path j = file("bad.json", "{\"rows\": 64,, }");
        assertTrue(error(j).startsWith(j + ": not valid YAML or JSON at line 1, column "), error(j));
    }

    @Test
    void trailingContentIsAnError() throws Exception {
        Path j = file("trail.json", "{\"rows\": 64} {}");
        assertTrue(error(j).startsWith(j + ": not valid YAML or JSON at line 1, column "), error(j));
        Path y = file("two.yaml", "rows: 64\n---\nrows: 32\n");
        assertTrue(error(y).startsWith(y + ": not valid YAML or JSON"), error(y));
    }

    @Test
    void duplicateFieldIsAnError() throws Exception {
        Path p = file("dup.yaml", "rows: 64\nrows: 32\n");
        String m = error(p);
        assertTrue(m.startsWith(p + ": not valid YAML or JSON") && m.contains("rows"), m);
    }

    @Test
    void missingFileAndDirectory() {
        Path p = dir.resolve("nope.yaml");
        assertEquals(p + ": cannot read: no such file", error(p));
        assertTrue(error(dir).startsWith(dir + ": cannot read: "), error(dir));
    }
}
