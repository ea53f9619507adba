package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCimCommandTest {
    @Test
    void fiveEnginesOnTheSameBatchesWithCimWorkAndMemory(@TempDir Path dir) throws Exception {
        TinyImages.write(dir, 30, 9);
        Path model = TinyModels.cimNet(dir, true);
        Path json = dir.resolve("bench.json");
        CliRun r = CliRun.of("bench", "cim", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(),
                "--rows", "16", "--calib-images", "20", "--images", "9", "--batch", "4", "--threads", "1",
                "--reference-kernels", "--json", json.toString(), "-q");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("| engine | images/s | speed / ORT float | top-1 | partial sums/s | ADC conv/s |"), r.out());
        assertTrue(r.out().contains("| cimq cim L=3 |"), r.out());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        JsonNode e = j.get("engines");
        assertEquals(5, e.size());
        assertEquals("ort float", e.get(0).get("engine").asText());
        assertEquals(1.0, e.get(0).get("speedRatioToOrt").asDouble(), 1e-12);
        assertEquals(3, j.get("cim").get("adc_levels").asInt());
        long ps = j.get("partialSumsPerImage").asLong();
        // conv2 of the tiny net: K = 36 rows on 16-row arrays (3 arrays), 4 channels x 3 slices, 4 input planes
        assertTrue(ps > 0 && ps % (3L * 4 * 3 * 4) == 0, "partial sums per image " + ps);
        for (int i = 0; i < 5; i++) {
            assertTrue(e.get(i).get("imagesPerSecond").asDouble() > 0);
        }
        assertEquals(0.0, e.get(1).get("partialSumsPerSecond").asDouble());
        assertEquals(e.get(2).get("imagesPerSecond").asDouble() * ps, e.get(2).get("adcConversionsPerSecond").asDouble(), 1e-6 * ps);
        assertEquals(0.0, e.get(3).get("adcConversionsPerSecond").asDouble());
        assertTrue(e.get(3).get("partialSumsPerSecond").asDouble() > 0);
        // fused and reference kernels compute the same model: same predictions, so the same top-1
        assertEquals(e.get(2).get("top1").asDouble(), e.get(4).get("top1").asDouble());
        assertTrue(j.get("peakHeapBytes").asLong() > 0);
        assertTrue(j.get("peakRssBytes").asLong() > j.get("peakHeapBytes").asLong() / 4);
        assertTrue(j.get("cimTimeOverOrtFloat").asDouble() > 0);
        assertEquals(org.cimq.runtime.cim.CimNative.status(), j.get("fusedKernelLoop").asText());
        assertTrue(r.out().contains("fused kernel loop: " + org.cimq.runtime.cim.CimNative.status()), r.out());
    }

    @Test
    void zeroImagesIsAUsageError() {
        assertEquals(2, CliRun.of("bench", "cim", "m.onnx", "--images", "0").exit());
    }
}
