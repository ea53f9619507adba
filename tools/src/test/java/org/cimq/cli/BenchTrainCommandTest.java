package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cimq bench train}: both configurations timed on the same images, consistent rows, usage errors. */
class BenchTrainCommandTest {
    @Test
    void timesTrainingWithAndWithoutTheAdcOnTheSameImages(@TempDir Path dir) throws Exception {
        TinyImages.write(dir, 48, 8);
        Path model = TinyModels.cimNet(dir, true);
        Path json = dir.resolve("train.json");
        CliRun r = CliRun.of("bench", "train", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(), "--rows",
                "16", "--calib-images", "16", "--images", "48", "--batch", "16", "--json", json.toString(), "-q");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("| configuration | s / 1,000 images |"), r.out());
        assertTrue(r.out().contains("--backward fake-quant-scaled; OMP_WAIT_POLICY"), "the footer names the OpenMP wait policy: " + r.out());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        JsonNode rows = j.get("rows");
        assertEquals(2, rows.size());
        assertEquals(3, rows.get(0).get("levels").asInt(), "no -L: the ADC row uses 3 levels");
        assertEquals(0, rows.get(1).get("levels").asInt());
        for (JsonNode row : rows) {
            // 48 images in steps of 16, the first untimed: two timed steps of 16 images
            assertEquals(2, row.get("timedSteps").asInt());
            assertEquals(32, row.get("timedImages").asInt());
            double perThousand = row.get("secondsPer1000Images").asDouble();
            assertTrue(perThousand > 0);
            assertEquals(row.get("timedSeconds").asDouble() / 32 * 1000, perThousand, 1e-9 * perThousand);
            assertEquals(perThousand * 50 / 60, row.get("projectedEpochMinutes").asDouble(), 1e-9 * perThousand);
            assertTrue(Double.isFinite(row.get("trainLoss").asDouble()) && row.get("trainLoss").asDouble() > 0);
        }
        assertEquals(rows.get(0).get("secondsPer1000Images").asDouble() / rows.get(1).get("secondsPer1000Images").asDouble(),
                j.get("adcOverLossless").asDouble(), 1e-12);
        assertEquals(48, j.get("images").asInt());
        assertEquals("fake-quant-scaled", j.get("backward").asText());
        assertTrue(j.get("peakRssBytes").asLong() > 0);
    }

    @Test
    void learnedStepsAreAThirdRow(@TempDir Path dir) throws Exception {
        TinyImages.write(dir, 32, 8);
        Path model = TinyModels.cimNet(dir, true);
        Path json = dir.resolve("train.json");
        CliRun r = CliRun.of("bench", "train", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(), "--rows",
                "16", "--calib-images", "16", "--images", "32", "--batch", "16", "--learn-steps", "--json", json.toString(), "-q");
        assertEquals(0, r.exit(), r.err());
        JsonNode rows = new ObjectMapper().readTree(json.toFile()).get("rows");
        assertEquals(3, rows.size());
        assertEquals("L=3 (ADC in the loop, steps learned)", rows.get(2).get("configuration").asText());
        assertEquals(3, rows.get(2).get("levels").asInt());
        assertEquals(1, rows.get(2).get("timedSteps").asInt());
        assertTrue(r.out().contains("| L=3 (ADC in the loop, steps learned) |"), r.out());
    }

    @Test
    void noTimedStepIsAUsageErrorAndWritesNothing(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("train.json");
        CliRun r = CliRun.of("bench", "train", "m.onnx", "--dataset", "fashion-mnist", "--images", "16", "--batch", "16", "--json",
                json.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("leaves no timed step"), r.err());
        assertFalse(Files.exists(json));
        CliRun bad = CliRun.of("bench", "train", "m.onnx", "--dataset", "fashion-mnist", "--backward", "sd", "--json", json.toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("--backward must be one of arrays, fake-quant, fake-quant-scaled, exact, got 'sd'"), bad.err());
        assertFalse(Files.exists(json));
    }
}
