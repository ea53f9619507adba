package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.cimq.cim.config.RangesFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cimq sweep} on a tiny all-mapped network: the table and the JSON shape, points that
 * equal {@code cimq eval} of the same ranges, resume skipping finished points, and usage errors.
 */
class SweepCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private List<String> args(Path model, String... more) {
        List<String> a = new ArrayList<>(List.of("sweep", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(),
                "--calib-images", "20", "--search-images", "10", "--batch", "8", "-q", "--rows", "16", "--digital-layers="));
        Collections.addAll(a, more);
        return a;
    }

    private static CliRun run(List<String> a) {
        return CliRun.of(a.toArray(String[]::new));
    }

    @Test
    void sweepsTablesJsonAndResumes() throws Exception {
        TinyImages.write(dir, 40, 24);
        Path model = TinyModels.cimNet(dir, true);
        Path json = dir.resolve("sweep.json");
        Path ranges = dir.resolve("ranges");
        CliRun r = run(args(model, "--levels", "3,5", "--methods", "minmax,mse,acc-layer", "--json", json.toString(),
                "--ranges-dir", ranges.toString()));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("| method | L = 3 | L = 5 |"), r.out());
        for (String m : new String[] {"minmax", "mse", "acc-layer"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("| " + m + " | ")), r.out());
        }
        JsonNode j = JSON.readTree(json.toFile());
        assertEquals(List.of("model", "dataset", "testImages", "calibImages", "searchImages", "searchDefaults", "significance",
                "config", "floatTop1", "losslessTop1", "points"), fieldNames(j));
        assertEquals(10, j.get("searchImages").asInt(), "--search-images as given");
        assertEquals(500, j.get("searchDefaults").get("acc-layer").asInt());
        assertEquals(2000, j.get("searchDefaults").get("acc-network").asInt());
        assertEquals(0.0, j.get("significance").asDouble());
        assertEquals("cimnet.onnx", j.get("model").asText());
        assertEquals("fashion-mnist", j.get("dataset").asText());
        assertEquals(24, j.get("testImages").asInt());
        assertEquals(20, j.get("calibImages").asInt());
        assertEquals(16, j.get("config").get("rows").asInt());
        assertEquals(6, j.get("points").size());
        for (JsonNode p : j.get("points")) {
            assertEquals(List.of("method", "levels", "top1", "calibTop1", "calibStartTop1", "searchImages", "seconds"),
                    fieldNames(p));
            assertEquals(p.get("method").asText().startsWith("acc") ? 10 : 0, p.get("searchImages").asInt(), p.toString());
            double top1 = p.get("top1").asDouble();
            assertTrue(top1 >= 0 && top1 <= 1, p.toString());
            assertEquals(p.get("method").asText().startsWith("acc"), p.get("calibTop1").isNumber(), p.toString());
            assertEquals(p.get("method").asText().startsWith("acc"), p.get("calibStartTop1").isNumber(), p.toString());
            if (p.get("calibTop1").isNumber()) {
                assertTrue(p.get("calibTop1").asDouble() >= p.get("calibStartTop1").asDouble(), "the search lost to its start: " + p);
            }
            assertTrue(Files.exists(ranges.resolve(p.get("method").asText() + "-L" + p.get("levels").asInt() + ".json")));
        }

        CliRun lossless = CliRun.of("eval", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(),
                "--calib-images", "20", "-q", "--rows", "16", "--digital-layers=", "--json", dir.resolve("l0.json").toString());
        assertEquals(0, lossless.exit(), lossless.err());
        assertEquals(JSON.readTree(dir.resolve("l0.json").toFile()).get("top1").asDouble(), j.get("losslessTop1").asDouble(), 0);
        Path accRanges = ranges.resolve("acc-layer-L3.json");
        assertEquals("acc-layer", RangesFile.read(accRanges).method());
        CliRun acc = CliRun.of("eval", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(),
                "--calib-images", "20", "-q", "--rows", "16", "--digital-layers=", "-L", "3", "--ranges", accRanges.toString(),
                "--json", dir.resolve("acc.json").toString());
        assertEquals(0, acc.exit(), acc.err());
        assertEquals(JSON.readTree(dir.resolve("acc.json").toFile()).get("top1").asDouble(), point(j, "acc-layer", 3).get("top1")
                .asDouble(), 0, "the sweep's point is the top-1 cimq eval measures with its ranges");

        CliRun again = run(args(model, "--levels", "3,5", "--methods", "minmax,sigma3,mse,acc-layer", "--json", json.toString(),
                "--resume"));
        assertEquals(0, again.exit(), again.err());
        JsonNode k = JSON.readTree(json.toFile());
        assertEquals(8, k.get("points").size());
        for (JsonNode p : j.get("points")) {
            assertEquals(p, point(k, p.get("method").asText(), p.get("levels").asInt()), "finished points are kept as they were");
        }
        assertTrue(point(k, "sigma3", 5).get("calibTop1").isNull());
        assertTrue(again.out().lines().anyMatch(l -> l.startsWith("| sigma3 | ")), again.out());

        byte[] before = Files.readAllBytes(json);
        List<String> other = args(model, "--levels", "3", "--methods", "mse", "--json", json.toString(), "--resume");
        other.set(other.indexOf("16"), "8");
        CliRun mismatch = run(other);
        assertEquals(1, mismatch.exit(), mismatch.err());
        assertTrue(mismatch.err().contains("another run"), mismatch.err());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(json)), "a refused resume leaves the report alone");
        CliRun stricter = run(args(model, "--levels", "3", "--methods", "acc-layer", "--json", json.toString(), "--resume",
                "--significance", "2"));
        assertEquals(1, stricter.exit(), stricter.err());
        assertTrue(stricter.err().contains("another run") && stricter.err().contains("significance 0.0"), stricter.err());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(json)), "a refused resume leaves the report alone");
        List<String> defaults = args(model, "--levels", "3", "--methods", "acc-layer", "--json", json.toString(), "--resume");
        int at = defaults.indexOf("--search-images");
        defaults.remove(at + 1);
        defaults.remove(at);
        CliRun sample = run(defaults);
        assertEquals(1, sample.exit(), sample.err());
        assertTrue(sample.err().contains("another run") && sample.err().contains("10 search images"), sample.err());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(json)), "a refused resume leaves the report alone");
    }

    @Test
    void badLevelsAndMethodsAreUsageErrors() throws Exception {
        TinyImages.write(dir, 4, 4);
        Path model = TinyModels.cimNet(dir, true);
        for (String l : new String[] {"1", "0", "3,1"}) {
            CliRun r = run(args(model, "--levels", l));
            assertEquals(2, r.exit(), l + ": " + r.err());
            assertTrue(r.err().contains("--levels"), r.err());
        }
        assertTrue(run(args(model, "--levels", "0")).err().contains("lossless"));
        CliRun m = run(args(model, "--levels", "3", "--methods", "mse,best"));
        assertEquals(2, m.exit(), m.err());
        assertTrue(m.err().contains("'best'") && m.err().contains("acc-layer"), m.err());
        assertEquals(2, run(args(model, "--levels", "3", "--resume")).exit());
        for (String z : new String[] {"-1", "NaN", "Infinity"}) {
            CliRun bad = run(args(model, "--levels", "3", "--significance", z));
            assertEquals(2, bad.exit(), z + ": " + bad.err());
            assertTrue(bad.err().contains("--significance"), bad.err());
        }
        CliRun cal = CliRun.of("calibrate", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(), "-q", "-L", "3",
                "--method", "acc-layer", "--significance", "-0.5", "-o", dir.resolve("r.json").toString());
        assertEquals(2, cal.exit(), cal.err());
        assertTrue(cal.err().contains("--significance") && !Files.exists(dir.resolve("r.json")), cal.err());
    }

    private static JsonNode point(JsonNode report, String method, int levels) {
        for (JsonNode p : report.get("points")) {
            if (p.get("method").asText().equals(method) && p.get("levels").asInt() == levels) {
                return p;
            }
        }
        throw new AssertionError("no point " + method + " L = " + levels + " in " + report);
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
