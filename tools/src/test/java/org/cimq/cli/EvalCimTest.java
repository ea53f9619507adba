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

class EvalCimTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private JsonNode eval(Path model, Path data, String... more) throws Exception {
        Path json = dir.resolve("eval.json");
        Files.deleteIfExists(json);
        String[] base = {"eval", model.toString(), "--dataset", "fashion-mnist", "--data", data.toString(), "--json",
            json.toString(), "-q"};
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exit(), r.err());
        return JSON.readTree(json.toFile());
    }

    @Test
    void cimJsonHasConfigLayersAndTotals() throws Exception {
        TinyImages.write(dir, 40, 12);
        JsonNode j = eval(TinyModels.cimNet(dir, true), dir, "--cim", "--rows", "16", "-L", "7", "--calib-images", "25",
                "--batch", "5");
        assertEquals(12, j.get("images").asInt());
        assertEquals("test", j.get("split").asText());
        assertEquals(16, j.get("cim").get("rows").asInt());
        assertEquals(7, j.get("cim").get("adc_levels").asInt());
        assertEquals("minmax", j.get("rangesMethod").asText());
        assertEquals("train", j.get("calibration").get("split").asText());
        assertEquals(25, j.get("calibration").get("images").asInt());
        JsonNode layers = j.get("layers");
        assertEquals(1, layers.size());
        JsonNode conv2 = layers.get(0);
        assertEquals("conv2", conv2.get("name").asText());
        assertEquals("unsigned", conv2.get("inputMode").asText());
        assertTrue(conv2.get("inputScale").asDouble() > 0);
        assertEquals(7, conv2.get("levels").asInt());
        assertTrue(conv2.get("delta").asDouble() > 0, conv2.toString());
        assertFalse(conv2.has("deltas"));
        JsonNode plan = conv2.get("plan");
        assertEquals(36, plan.get("k").asInt());
        assertEquals(4, plan.get("n").asInt());
        assertEquals(3, plan.get("slices").asInt());
        assertEquals(4, plan.get("planes").asInt());
        assertEquals(3, plan.get("arrays").asInt());
        assertEquals(36.0 * 12 / (3 * 16 * 128), plan.get("utilization").asDouble(), 1e-12);
        assertEquals(3 * 12 * 4 * 36, plan.get("adcConversionsPerImage").asLong());
        assertEquals(3, j.get("totals").get("arrays").asLong());
        assertEquals(3 * 12 * 4 * 36, j.get("totals").get("adcConversionsPerImage").asLong());
    }

    @Test
    void aTransformedModelEvaluatesAsItIsLikeTheModelBuiltInEval() throws Exception {
        TinyImages.write(dir, 40, 30);
        Path model = TinyModels.cimNet(dir, true);
        Path out = dir.resolve("cim.onnx");
        CliRun t = CliRun.of("transform", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(),
                "--calib-images", "20", "-L", "3", "--granularity", "array", "--rows", "16", "-o", out.toString(), "-q");
        assertEquals(0, t.exit(), t.err());
        JsonNode built = eval(model, dir, "--calib-images", "20", "-L", "3", "--granularity", "array", "--rows", "16");
        JsonNode asIs = eval(out, dir);
        assertEquals(built.get("correct").asInt(), asIs.get("correct").asInt());
        assertEquals(3, built.get("layers").get(0).get("deltas").size());
        assertEquals("array", asIs.get("cim").get("granularity").asText());
        assertEquals("minmax", asIs.get("rangesMethod").asText());
        JsonNode conv2 = asIs.get("layers").get(0);
        assertEquals("conv2", conv2.get("name").asText());
        assertEquals(3, conv2.get("arrayNodes").asInt());
        assertEquals(3, conv2.get("deltas").size());
        assertEquals(3, asIs.get("totals").get("adcNodes").asLong());

        CliRun again = CliRun.of("eval", out.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(), "--cim", "-q");
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("already transformed"), again.err());
        CliRun ort = CliRun.of("eval", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(), "--cim",
                "--engine", "ort", "-q");
        assertEquals(2, ort.exit());
    }

    /**
     * The Fashion-MNIST CNN with lossless ADCs (L = 0), first and last layer digital, calibrated on
     * 200 train images, stays within 3 points of the float model on the first 500 test images
     * (measured: float 0.9340, CIM 0.9320).
     */
    @Test
    void fashionMnistCnnWithoutAdcStaysNearFloat() throws Exception {
        Path model = Path.of(System.getProperty("cimq.repo", ".."), "models", "fashion_mnist_cnn.onnx");
        Path data = Path.of("/usr/share/datasets/fashion-mnist");
        assertTrue(Files.isRegularFile(model), "no model at " + model);
        double floatTop1 = eval(model, data, "--limit", "500").get("top1").asDouble();
        JsonNode cim = eval(model, data, "--limit", "500", "--cim", "-L", "0", "--calib-images", "200");
        double cimTop1 = cim.get("top1").asDouble();
        assertTrue(cim.get("layers").size() >= 1);
        assertTrue(Math.abs(floatTop1 - cimTop1) <= 0.03, "float " + floatTop1 + ", CIM " + cimTop1);
    }
}
