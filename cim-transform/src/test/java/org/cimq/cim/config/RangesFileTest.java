package org.cimq.cim.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RangesFileTest {
    @TempDir
    Path dir;

    private Ranges roundTrip(Ranges r) {
        Path p = dir.resolve("ranges.json");
        RangesFile.write(r, p);
        Ranges back = RangesFile.read(p);
        assertEquals(r, back);
        return back;
    }

    @Test
    void networkRoundTripWritesTheSharedDelta() throws Exception {
        Ranges r = new Ranges("minmax", Granularity.NETWORK, Quantizer.ZERO_TREAD,
                List.of(LayerRange.single("/a/Conv", 9, 4.0), LayerRange.single("/b/Conv", 9, 4.0), LayerRange.noAdc("/c/Gemm")),
                Map.of("model", "resnet20.onnx"));
        roundTrip(r);
        String json = Files.readString(dir.resolve("ranges.json"));
        assertTrue(json.contains("\"delta\" : 4.0,\n  \"model\" : \"resnet20.onnx\""), json);
        assertEquals(4.0, r.networkDelta().getAsDouble());
    }

    @Test
    void layerRoundTrip() {
        Ranges r = new Ranges("mse", Granularity.LAYER, Quantizer.MID_RISE,
                List.of(LayerRange.single("/layer1/layer1.0/conv1/Conv", 3, 12.0), LayerRange.single("/fc/Gemm", 65536, 0.1)),
                Map.of());
        Ranges back = roundTrip(r);
        assertEquals(12.0, back.forNode("/layer1/layer1.0/conv1/Conv").orElseThrow().deltaAt(5, 7));
        assertTrue(back.forNode("/nope").isEmpty());
        assertTrue(back.networkDelta().isEmpty());
    }

    @Test
    void arrayRoundTrip() {
        Ranges r = new Ranges("percentile", Granularity.ARRAY, Quantizer.ZERO_TREAD,
                List.of(LayerRange.perArray("/a/Conv", 4, 12.0, 10.5, 1.0 / 3), LayerRange.perArray("/b/Conv", 2, 7.0)),
                Map.of("images", "512"));
        Ranges back = roundTrip(r);
        LayerRange a = back.forNode("/a/Conv").orElseThrow();
        assertArrayEquals(new double[] {12.0, 10.5, 1.0 / 3}, a.arrayDeltas());
        assertEquals(10.5, a.deltaAt(1, 99));
        assertEquals(Granularity.ARRAY, a.form());
        assertEquals(Map.of("images", "512"), back.extra());
    }

    @Test
    void columnRoundTripAllowsAPartialLastArray() {
        double[][] d = {{12.0, 11.0, 9.5}, {3.0}};
        Ranges r = new Ranges("minmax", Granularity.COLUMN, Quantizer.ZERO_TREAD,
                List.of(LayerRange.perColumn("/a/Conv", 5, d)), Map.of());
        Ranges back = roundTrip(r);
        LayerRange a = back.forNode("/a/Conv").orElseThrow();
        assertEquals(9.5, a.deltaAt(0, 2));
        assertEquals(3.0, a.deltaAt(1, 0));
        d[0][0] = -1;
        assertEquals(12.0, r.layers().get(0).columnDeltas()[0][0], "copied in");
        CimConfigException e = assertThrows(CimConfigException.class, () -> a.deltaAt(1, 1));
        assertEquals("layer '/a/Conv': no delta for array 1, column 1", e.getMessage());
    }

    private String readError(String json) throws Exception {
        Path p = dir.resolve("ranges.json");
        Files.writeString(p, json);
        String m = assertThrows(CimConfigException.class, () -> RangesFile.read(p)).getMessage();
        assertTrue(m.startsWith(p + ": "), m);
        return m.substring(p.toString().length() + 2);
    }

    private static String file(String granularity, String layers) {
        return "{\"format\": \"cimq-ranges\", \"version\": 1, \"method\": \"minmax\", \"granularity\": \"" + granularity
                + "\", \"quantizer\": \"zero-tread\", \"layers\": [" + layers + "]}";
    }

    @Test
    void badLayerValuesNameTheLayerAndField() throws Exception {
        assertEquals("layer '/a': levels: must be 0 (no ADC) or an integer from 2 to 65536, got 1",
                readError(file("layer", "{\"node\": \"/a\", \"levels\": 1, \"delta\": 2}")));
        assertEquals("layer '/a': delta: must be a finite number > 0, got -2.0",
                readError(file("layer", "{\"node\": \"/a\", \"levels\": 3, \"delta\": -2}")));
        assertEquals("layer '/a': deltas[1]: must be a finite number > 0, got 0.0",
                readError(file("array", "{\"node\": \"/a\", \"levels\": 3, \"deltas\": [1, 0]}")));
        assertEquals("layer '/a': deltas[0][1]: expected a number, got 'x'",
                readError(file("column", "{\"node\": \"/a\", \"levels\": 3, \"deltas\": [[1, \"x\"]]}")));
        assertEquals("layer '/a': deltas: missing, an ADC with 3 levels needs a step",
                readError(file("array", "{\"node\": \"/a\", \"levels\": 3}")));
        assertEquals("layer '/a': deltas: granularity layer takes \"delta\"",
                readError(file("layer", "{\"node\": \"/a\", \"levels\": 3, \"deltas\": [1]}")));
        assertEquals("layer '/a': levels: missing", readError(file("layer", "{\"node\": \"/a\", \"delta\": 1}")));
        assertEquals("layer '/a': dleta: unknown field, expected one of node, levels, delta, deltas, inputScale",
                readError(file("layer", "{\"node\": \"/a\", \"levels\": 3, \"dleta\": 1}")));
        assertEquals("layers[0]: node: expected a node name, got nothing", readError(file("layer", "{\"levels\": 3}")));
    }

    @Test
    void inputScalesRoundTripAndAreChecked() throws Exception {
        Ranges r = new Ranges("held", Granularity.LAYER, Quantizer.ZERO_TREAD,
                List.of(LayerRange.single("/a/Conv", 3, 2.75).withInputScale(0.37329), LayerRange.single("/b/Conv", 3, 1.5),
                        LayerRange.noAdc("/c/Conv").withInputScale(1.25)), Map.of());
        Ranges back = roundTrip(r);
        assertEquals(0.37329, back.forNode("/a/Conv").orElseThrow().inputScale());
        assertTrue(Double.isNaN(back.forNode("/b/Conv").orElseThrow().inputScale()), "absent: calibrated");
        assertTrue(back.forNode("/c/Conv").orElseThrow().hasInputScale());
        String json = Files.readString(dir.resolve("ranges.json"));
        assertTrue(json.contains("\"delta\" : 2.75,\n    \"inputScale\" : 0.37329"), json);
        assertEquals("layer '/a': inputScale: must be a finite number > 0, got 0.0",
                readError(file("layer", "{\"node\": \"/a\", \"levels\": 3, \"delta\": 2, \"inputScale\": 0}")));
        assertEquals("layer '/a': inputScale: expected a number, got 'big'",
                readError(file("layer", "{\"node\": \"/a\", \"levels\": 3, \"delta\": 2, \"inputScale\": \"big\"}")));
    }

    @Test
    void duplicateNodeAndNetworkMismatch() throws Exception {
        assertEquals("layer '/a': node: listed twice", readError(file("layer",
                "{\"node\": \"/a\", \"levels\": 3, \"delta\": 1}, {\"node\": \"/a\", \"levels\": 3, \"delta\": 2}")));
        assertEquals("layer '/b': delta: granularity network needs one delta for all layers, layer '/a' has 1.0, got 2.0",
                readError(file("network",
                        "{\"node\": \"/a\", \"levels\": 3, \"delta\": 1}, {\"node\": \"/b\", \"levels\": 3, \"delta\": 2}")));
    }

    @Test
    void networkLayersMayTakeTheTopLevelDelta() throws Exception {
        Path p = dir.resolve("net.json");
        Files.writeString(p, file("network", "{\"node\": \"/a\", \"levels\": 3}").replace("\"layers\"", "\"delta\": 2.5, \"layers\""));
        assertEquals(2.5, RangesFile.read(p).forNode("/a").orElseThrow().delta());
    }

    @Test
    void headerErrors() throws Exception {
        assertEquals("format: expected 'cimq-ranges' (a cimq ranges file), got nothing", readError("{\"rows\": 3}"));
        assertEquals("version: expected 1, got 2", readError(file("layer", "").replace("\"version\": 1", "\"version\": 2")));
        assertEquals("granularity: expected one of network, layer, array, column, got 'tile'", readError(file("tile", "")));
        assertEquals("method: missing", readError(file("layer", "").replace("\"method\": \"minmax\", ", "")));
        assertEquals("delta: a top-level delta is only for granularity network, got layer",
                readError(file("layer", "").replace("\"layers\"", "\"delta\": 1, \"layers\"")));
        assertTrue(readError("{\"format\": ").startsWith("not valid JSON at line 1, column "));
    }

    @Test
    void arraySetupRoundTripsAsTheCimObjectInConfigFileNames() throws Exception {
        CimConfig cfg = CimConfig.DEFAULTS.with(Map.of("rows", "64", "mapping", "balanced", "cell_bits", "2"));
        Ranges r = new Ranges("mse", Granularity.LAYER, Quantizer.ZERO_TREAD, List.of(LayerRange.single("/a/Conv", 3, 2.0)),
                Map.of("model", "m.onnx"), ArraySetup.of(cfg));
        Ranges back = roundTrip(r);
        assertEquals(64, back.arrays().fields().get("rows"));
        assertEquals(Mapping.BALANCED, back.arrays().fields().get("mapping"));
        String json = Files.readString(dir.resolve("ranges.json"));
        assertTrue(json.contains("\"cim\" : {\n    \"rows\" : 64,\n    \"cols\" : 128,\n    \"weight_bits\" : 4,\n"
                + "    \"cell_bits\" : 2,\n    \"weight_scheme\" : \"differential\",\n    \"input_bits\" : 4,\n"
                + "    \"dac_bits\" : 1,\n    \"mapping\" : \"balanced\",\n    \"signed_inputs\" : \"error\"\n  }"), json);
        assertEquals(r, r.withExtra(Map.of("model", "m.onnx")), "withExtra keeps the array setup");
    }

    @Test
    void aPartialCimObjectIsReadAndAFileWithoutOneHasNoSetup() throws Exception {
        Path p = dir.resolve("part.json");
        Files.writeString(p, file("layer", "").replace("\"layers\"", "\"cim\": {\"rows\": 96}, \"layers\""));
        assertEquals(Map.of("rows", 96), RangesFile.read(p).arrays().fields());
        Files.writeString(p, file("layer", ""));
        assertEquals(null, RangesFile.read(p).arrays());
    }

    @Test
    void badCimObjectsNameTheField() throws Exception {
        assertEquals("cim: adc_levels: not part of the array configuration a ranges file records, expected one of rows, cols, "
                + "weight_bits, cell_bits, weight_scheme, input_bits, dac_bits, mapping, signed_inputs",
                readError(file("layer", "").replace("\"layers\"", "\"cim\": {\"adc_levels\": 3}, \"layers\"")));
        assertEquals("cim: rows: expected an integer, got 'many'",
                readError(file("layer", "").replace("\"layers\"", "\"cim\": {\"rows\": \"many\"}, \"layers\"")));
        assertEquals("cim: mapping: expected one of flat, channel-aligned, balanced, got 'diagonal'",
                readError(file("layer", "").replace("\"layers\"", "\"cim\": {\"mapping\": \"diagonal\"}, \"layers\"")));
        assertEquals("cim: expected an object of array settings (rows, cols, weight_bits, cell_bits, weight_scheme, input_bits, "
                + "dac_bits, mapping, signed_inputs), got 128",
                readError(file("layer", "").replace("\"layers\"", "\"cim\": 128, \"layers\"")));
    }

    @Test
    void missingFileNamesIt() {
        Path p = dir.resolve("none.json");
        assertEquals(p + ": cannot read: no such file",
                assertThrows(CimConfigException.class, () -> RangesFile.read(p)).getMessage());
    }
}
