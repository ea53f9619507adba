package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCimTest {
    @TempDir
    Path dir;

    private JsonNode inspect(String... cimArgs) throws Exception {
        Path json = dir.resolve("inspect.json");
        String[] args = new String[cimArgs.length + 4];
        args[0] = "inspect";
        args[1] = TinyModels.cimNet(dir, true).toString();
        args[2] = "--json";
        args[3] = json.toString();
        System.arraycopy(cimArgs, 0, args, 4, cimArgs.length);
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("CIM tile plan (1 mapped layers, 16x128 arrays)"), r.out());
        assertTrue(r.out().contains("digital: conv1, gemm"), r.out());
        return new ObjectMapper().readTree(json.toFile()).get("cimPlan");
    }

    /**
     * conv2 (4→4, 3x3): K = 36, N = 4, S = 3 slices (Bw = 4, c = 1) → 12 columns, one column tile;
     * 4 unsigned input planes; 6x6 = 36 output positions.
     */
    @Test
    void flatMappingCutsK36Into3ArraysOf16Rows() throws Exception {
        JsonNode plan = inspect("--cim", "--rows", "16");
        assertEquals(1, plan.get("layers").size());
        JsonNode conv2 = plan.get("layers").get(0);
        assertEquals("conv2", conv2.get("layer").asText());
        assertEquals("unsigned", conv2.get("inputMode").asText());
        JsonNode p = conv2.get("plan");
        assertEquals(36, p.get("k").asInt());
        assertEquals(4, p.get("n").asInt());
        assertEquals(3, p.get("slices").asInt());
        assertEquals(4, p.get("planes").asInt());
        assertEquals(3, p.get("rowTiles").asInt());
        assertEquals(1, p.get("colTiles").asInt());
        assertEquals(3, p.get("arrays").asInt());
        assertEquals(36.0 * 12 / (3 * 16 * 128), p.get("utilization").asDouble(), 1e-12);
        assertEquals(3 * 12 * 4 * 36, p.get("adcConversionsPerImage").asLong());
        assertEquals(3, plan.get("totals").get("arrays").asLong());
        assertEquals("gemm", plan.get("digital").get(1).asText());
    }

    /** Channel-aligned: floor(16 / 9) = 1 input channel (9 rows) per array → 4 row tiles. */
    @Test
    void channelAlignedMappingPutsOneChannelPerArray() throws Exception {
        JsonNode p = inspect("--rows", "16", "--mapping", "channel-aligned").get("layers").get(0).get("plan");
        assertEquals(4, p.get("rowTiles").asInt());
        assertEquals(4, p.get("arrays").asInt());
        assertEquals(36.0 * 12 / (4 * 16 * 128), p.get("utilization").asDouble(), 1e-12);
        assertEquals(4 * 12 * 4 * 36, p.get("adcConversionsPerImage").asLong());
    }

    @Test
    void graphInputLayersUseTheSignedMode() throws Exception {
        Path json = dir.resolve("signed.json");
        CliRun r = CliRun.of("inspect", TinyModels.cimNet(dir, false).toString(), "--digital-layers", "last",
                "--signed-inputs", "split", "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("conv1 *"), r.out());
        JsonNode layers = new ObjectMapper().readTree(json.toFile()).get("cimPlan").get("layers");
        assertEquals("split", layers.get(0).get("inputMode").asText());
        assertEquals(8, layers.get(0).get("plan").get("planes").asInt());
        assertEquals(4, layers.get(1).get("plan").get("planes").asInt());
    }

    @Test
    void withoutCimOptionsThereIsNoPlan() throws Exception {
        CliRun r = CliRun.of("inspect", TinyModels.cimNet(dir, true).toString());
        assertEquals(0, r.exit(), r.err());
        assertFalse(r.out().contains("CIM tile plan"), r.out());
    }

    @Test
    void badConfigValueIsOneLineNamingTheField() throws Exception {
        CliRun r = CliRun.of("inspect", TinyModels.cimNet(dir, true).toString(), "--rows", "0");
        assertEquals(1, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("cimq: error: rows: "), r.err());
    }
}
