package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cimq cost} on the tiny CIM net, counted by hand, and its usage errors. */
class CostCommandTest {
    @TempDir
    Path dir;

    @Test
    void countsByHandForEveryLevelAsked() throws Exception {
        Path model = TinyModels.cimNet(dir, true);
        Path json = dir.resolve("cost.json");
        CliRun r = CliRun.of("cost", model.toString(), "--rows", "16", "-L", "3", "--digital-layers=", "--levels", "2,3,16",
                "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        // conv1: K = 9 (1 row tile), 4 channels × 3 slices = 12 columns, 4 cycles, 8×8 positions: 3072
        // conv2: K = 36 (3 row tiles), 12 columns, 4 cycles, 6×6 positions: 5184
        // gemm: K = 144 (9 row tiles), 30 columns, 4 cycles, 1 position: 1080
        assertTrue(r.out().contains("3072") && r.out().contains("5184") && r.out().contains("1080"), r.out());
        JsonNode costs = new ObjectMapper().readTree(json.toFile()).get("costs");
        assertEquals(3, costs.size(), "L = 3, then 2 and 16 (3 not repeated)");
        JsonNode at3 = costs.get(0);
        assertEquals(3, at3.get("levels").asInt());
        assertEquals(13, at3.get("arrays").asInt());
        assertEquals(3072 + 5184 + 1080, at3.get("conversions").asLong());
        assertEquals(9336 * 2.0 / 15, at3.get("adcEnergy").asDouble(), 1e-9);
        assertEquals(0.86 * 13 / 15, at3.get("energySaving").asDouble(), 1e-12);
        assertEquals(0.57 * 13 / 15, at3.get("areaSaving").asDouble(), 1e-12);
        assertEquals(0, costs.get(2).get("energySaving").asDouble(), 1e-12);
        assertEquals(3, at3.get("layers").size());
        assertEquals(9, at3.get("layers").get(2).get("rowTiles").asInt());

        CliRun sar = CliRun.of("cost", model.toString(), "-L", "3", "--adc-type", "sar", "--energy-share", "0.5",
                "--json", json.toString());
        assertEquals(0, sar.exit(), sar.err());
        JsonNode s = new ObjectMapper().readTree(json.toFile()).get("costs").get(0);
        assertEquals(0.5 + 0.5 * 2 / 4, s.get("relativeEnergy").asDouble(), 1e-12, "2 of 4 bit cycles");
    }

    @Test
    void noAdcIsAUsageError() throws Exception {
        Path model = TinyModels.cimNet(dir, true);
        CliRun none = CliRun.of("cost", model.toString(), "--cim");
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("L = 0 (no ADC) is not a cost point"), none.err());
        CliRun zero = CliRun.of("cost", model.toString(), "--levels", "3,0");
        assertEquals(2, zero.exit());
        assertTrue(zero.err().contains("0 is not a cost point"), zero.err());
        assertEquals(2, CliRun.of("cost", model.toString(), "-L", "3", "--energy-share", "1.5").exit());
        assertEquals(2, CliRun.of("cost", model.toString(), "-L", "3", "--adc-type", "pipeline").exit());
    }
}
