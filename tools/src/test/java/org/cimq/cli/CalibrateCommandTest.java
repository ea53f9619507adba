package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cimq.cim.config.Granularity;
import org.cimq.cim.config.LayerRange;
import org.cimq.cim.config.Ranges;
import org.cimq.cim.config.RangesFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cimq calibrate} writes a ranges.json that {@code cimq transform --ranges} accepts. */
class CalibrateCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesRangesThatTransformReads() throws Exception {
        TinyImages.write(dir, 40, 10);
        Path model = TinyModels.cimNet(dir, true);
        Path ranges = dir.resolve("ranges.json");
        Path json = dir.resolve("report.json");
        CliRun r = CliRun.of("calibrate", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(),
                "--calib-images", "20", "--batch", "7", "-q", "--rows", "16", "-L", "3", "--digital-layers=",
                "--granularity", "array", "--method", "mse", "-o", ranges.toString(), "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("wrote " + ranges), r.out());
        Ranges read = RangesFile.read(ranges);
        assertEquals("mse", read.method());
        assertEquals(Granularity.ARRAY, read.granularity());
        assertTrue(read.layers().size() >= 2);
        for (LayerRange l : read.layers()) {
            assertEquals(3, l.levels());
            assertTrue(l.arrayDeltas().length >= 1);
        }
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals(20, report.get("images").asInt());
        assertEquals(read.layers().size(), report.get("layers").size());

        CliRun t = CliRun.of("transform", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(),
                "--calib-images", "20", "-q", "--rows", "16", "-L", "3", "--digital-layers=", "--granularity", "array",
                "--ranges", ranges.toString(), "-o", dir.resolve("cim.onnx").toString());
        assertEquals(0, t.exit(), t.err());
        assertEquals(16, read.arrays().fields().get("rows"), "the ranges record the arrays they were found for");
        Path other = dir.resolve("cim32.onnx");
        CliRun wrongRows = CliRun.of("transform", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(),
                "--calib-images", "20", "-q", "--rows", "32", "-L", "3", "--digital-layers=", "--granularity", "array",
                "--ranges", ranges.toString(), "-o", other.toString());
        BadConfigCliTest.assertOneLine(wrongRows, 1, ranges + ": cim.rows: the ranges were found for 16, the configuration has 32");
        assertFalse(Files.exists(other), "no output model may be written");

        CliRun net = CliRun.of("calibrate", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(),
                "--calib-images", "20", "-q", "--rows", "16", "-L", "4", "--digital-layers=", "--method", "mse-network",
                "-o", dir.resolve("net.json").toString());
        assertEquals(0, net.exit(), net.err());
        Ranges n = RangesFile.read(dir.resolve("net.json"));
        assertEquals(Granularity.NETWORK, n.granularity());
        assertTrue(n.networkDelta().isPresent());

        Path accJson = dir.resolve("acc-report.json");
        CliRun acc = CliRun.of("calibrate", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(),
                "--calib-images", "20", "--search-images", "12", "-q", "--rows", "16", "-L", "3", "--digital-layers=",
                "--method", "acc-layer", "-o", dir.resolve("acc.json").toString(), "--json", accJson.toString());
        assertEquals(0, acc.exit(), acc.err());
        Ranges a = RangesFile.read(dir.resolve("acc.json"));
        assertEquals("acc-layer", a.method());
        assertEquals(Granularity.LAYER, a.granularity());
        JsonNode accReport = new ObjectMapper().readTree(accJson.toFile());
        assertEquals(12, accReport.get("searchImages").asInt());
        assertEquals((2 + 3) * 25, accReport.get("candidates").asInt(), "two common-factor searches, then 3 layers");
        assertTrue(accReport.get("calibTop1").asDouble() >= accReport.get("startTop1").asDouble(), accReport.toString());

        Path arrayJson = dir.resolve("acc-array-report.json");
        CliRun perArray = CliRun.of("calibrate", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(),
                "--calib-images", "20", "--search-images", "12", "-q", "--rows", "16", "-L", "3", "--digital-layers=",
                "--granularity", "array", "--method", "acc-layer", "-o", dir.resolve("acc-array.json").toString(), "--json",
                arrayJson.toString());
        assertEquals(0, perArray.exit(), perArray.err());
        assertEquals(Granularity.ARRAY, RangesFile.read(dir.resolve("acc-array.json")).granularity());
        JsonNode arrayReport = new ObjectMapper().readTree(arrayJson.toFile());
        assertEquals((1 + 3) * 25, arrayReport.get("candidates").asInt(), "per-array steps: one common-factor search, then 3 layers");
        assertTrue(arrayReport.get("calibTop1").asDouble() >= arrayReport.get("startTop1").asDouble(), arrayReport.toString());

        CliRun bad = CliRun.of("calibrate", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(),
                "-q", "-L", "3", "--method", "best", "-o", dir.resolve("y.json").toString());
        assertEquals(2, bad.exit(), bad.err());
        assertTrue(!java.nio.file.Files.exists(dir.resolve("y.json")));

        CliRun noAdc = CliRun.of("calibrate", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(),
                "-q", "-o", dir.resolve("x.json").toString());
        assertEquals(2, noAdc.exit(), noAdc.err());
    }
}
