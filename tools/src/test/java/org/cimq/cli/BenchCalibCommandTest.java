package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cimq bench calib} on the Fashion-MNIST CNN of models/ with a few images: every phase in
 * run order with its time, shares summing to one, the acc phases' candidates (25 per searched
 * step) and their never-worse top-1, the goals computed from the phases, and the same acc results
 * with {@code --reference-kernels}. No timing limits.
 */
class BenchCalibCommandTest {
    private static final List<String> PHASES = List.of("input scales", "histograms", "mse", "mse-network", "search sample",
            "acc-network", "acc-layer");

    @Test
    void reportsEveryPhaseWithSaneValues(@TempDir Path dir) throws Exception {
        Path model = Path.of(System.getProperty("cimq.repo", ".."), "models", "fashion_mnist_cnn.onnx");
        Path json = dir.resolve("calib.json");
        CliRun r = CliRun.of("bench", "calib", model.toString(), "--dataset", "fashion-mnist", "--data",
                "/usr/share/datasets/fashion-mnist", "--cim", "--calib-images", "24", "--search-images", "16", "--batch", "8",
                "--levels", "3", "--json", json.toString(), "-q");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("| phase | seconds | share | notes |"), r.out());
        assertTrue(r.out().contains("goal: mse for all layers after the histograms < 1 s: "), r.out());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertTrue(j.get("complete").asBoolean());
        assertEquals(24, j.get("calibImages").asInt());
        assertEquals(16, j.get("searchImages").asInt());
        assertEquals(3, j.get("levels").asInt());
        assertEquals(3, j.get("cim").get("adc_levels").asInt());
        JsonNode phases = j.get("phases");
        assertEquals(PHASES.size(), phases.size());
        double total = 0;
        double shares = 0;
        for (int i = 0; i < PHASES.size(); i++) {
            JsonNode p = phases.get(i);
            assertEquals(PHASES.get(i), p.get("phase").asText());
            assertTrue(p.get("seconds").asDouble() >= 0, p.toString());
            total += p.get("seconds").asDouble();
            shares += p.get("share").asDouble();
            boolean acc = PHASES.get(i).startsWith("acc-");
            assertEquals(acc, p.hasNonNull("candidates"), p.toString());
            if (acc) {
                double start = p.get("startTop1").asDouble();
                double top1 = p.get("top1").asDouble();
                assertTrue(start >= 0 && top1 <= 1 && top1 >= start, p.toString());
            }
        }
        assertEquals(total, j.get("totalSeconds").asDouble(), 1e-9);
        assertEquals(1.0, shares, 1e-9);
        assertEquals(25, phases.get(5).get("candidates").asInt());
        int accLayer = phases.get(6).get("candidates").asInt();
        assertTrue(accLayer >= 25 && accLayer % 25 == 0, "acc-layer candidates " + accLayer);
        JsonNode goals = j.get("goals");
        assertEquals(3, goals.size());
        assertEquals(phases.get(2).get("seconds").asDouble(), goals.get(0).get("seconds").asDouble(), 1e-12);
        assertEquals(phases.get(6).get("seconds").asDouble(), goals.get(1).get("seconds").asDouble(), 1e-12);
        double endToEnd = phases.get(0).get("seconds").asDouble() + phases.get(1).get("seconds").asDouble()
                + phases.get(4).get("seconds").asDouble() + phases.get(6).get("seconds").asDouble();
        assertEquals(endToEnd, goals.get(2).get("seconds").asDouble(), 1e-9);
        for (JsonNode g : goals) {
            assertEquals(g.get("seconds").asDouble() < g.get("limitSeconds").asDouble(), g.get("met").asBoolean());
        }
        assertTrue(j.get("peakHeapBytes").asLong() > 0);
        assertFalse(j.get("referenceKernels").asBoolean());

        Path refJson = dir.resolve("calib-ref.json");
        CliRun ref = CliRun.of("bench", "calib", model.toString(), "--dataset", "fashion-mnist", "--data",
                "/usr/share/datasets/fashion-mnist", "--cim", "--calib-images", "24", "--search-images", "16", "--batch", "8",
                "--levels", "3", "--reference-kernels", "--json", refJson.toString(), "-q");
        assertEquals(0, ref.exit(), ref.err());
        JsonNode rj = new ObjectMapper().readTree(refJson.toFile());
        assertTrue(rj.get("referenceKernels").asBoolean());
        for (int i = 5; i < 7; i++) {
            JsonNode fused = phases.get(i);
            JsonNode plain = rj.get("phases").get(i);
            for (String field : List.of("phase", "candidates", "startTop1", "top1")) {
                assertEquals(plain.get(field), fused.get(field), "fused and reference kernels: " + field + " of " + plain);
            }
        }
    }

    @Test
    void badLevelsAndNetworkGranularityAreUsageErrorsWithoutReport(@TempDir Path dir) {
        Path json = dir.resolve("calib.json");
        CliRun one = CliRun.of("bench", "calib", "m.onnx", "--dataset", "fashion-mnist", "--data", dir.toString(), "--cim",
                "--levels", "1", "--json", json.toString());
        assertEquals(2, one.exit(), one.err());
        assertTrue(one.err().contains("--levels must be an integer from 2"), one.err());
        CliRun net = CliRun.of("bench", "calib", "m.onnx", "--dataset", "fashion-mnist", "--data", dir.toString(),
                "--granularity", "network", "--json", json.toString());
        assertEquals(2, net.exit(), net.err());
        assertTrue(net.err().contains("granularity layer or array"), net.err());
        assertFalse(Files.exists(json));
    }
}
