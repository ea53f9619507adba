package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.cimq.data.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchFloatCommandTest {
    @Test
    void bothEnginesRunTheSameBatchesAndAgree(@TempDir Path dir) throws Exception {
        TestFiles.writeArgmaxImages(dir, "", 0, 1, 2, 3, 4, 5, 0, 1);
        Path model = TinyModels.passThrough(dir, 1, 2, 3);
        Path json = dir.resolve("bench.json");
        CliRun r = CliRun.of("bench", "float", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(),
                "--images", "7", "--batch", "3", "--threads", "1", "--warmup", "2", "--passes", "2", "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("| engine | images/s | ratio to ORT | top-1 |\n|---|---:|---:|---:|\n| ort | "), r.out());
        assertTrue(r.out().contains("| 1.00 | 1.0000 |\n| cimq | "), r.out());
        assertTrue(r.out().contains("engines agree on 100.00% of predictions"), r.out());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(7, j.get("images").asInt());
        assertEquals(2, j.get("engines").size());
        assertEquals("cimq", j.get("engines").get(1).get("engine").asText());
        assertTrue(j.get("engines").get(1).get("imagesPerSecond").asDouble() > 0);
        assertEquals(1.0, j.get("agreement").asDouble());
    }

    @Test
    void unknownBenchKindIsAUsageError() {
        assertEquals(2, CliRun.of("bench", "quantum").exit());
    }
}
