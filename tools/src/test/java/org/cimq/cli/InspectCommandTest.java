package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
    static Path resnet20() {
        Path p = Path.of(System.getProperty("cimq.shared", "../shared"), "models", "resnet20_cifar10.onnx");
        org.junit.jupiter.api.Assertions.assertTrue(Files.isRegularFile(p), "no model at " + p + ": tests need the shared folder");
        return p;
    }

    @Test
    void resnet20HasNineteenConvAndOneGemmMappable(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("out/inspect.json");
        CliRun r = CliRun.of("inspect", resnet20().toString(), "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("input   input   float[batch,3,32,32]"), r.out());
        assertTrue(r.out().contains("output  logits  float[batch,10]"), r.out());
        assertTrue(r.out().contains("CIM-mappable nodes: 20 {Conv=19, Gemm=1}"), r.out());
        assertTrue(r.out().contains("opsets      ai.onnx 13"), r.out());

        JsonNode j = new ObjectMapper().readTree(json.toFile());
        for (String key : new String[] {"model", "irVersion", "opsets", "inputs", "outputs", "ops", "parameters", "mappable"}) {
            assertTrue(j.has(key), key);
        }
        assertEquals("batch", j.get("inputs").get(0).get("shape").get(0).asText());
        assertEquals(3, j.get("inputs").get(0).get("shape").get(1).asInt());
        assertEquals(19, j.get("ops").get("Conv").asInt());
        JsonNode m = j.get("mappable");
        assertEquals(20, m.size());
        assertKn(m, "/conv1/Conv", "Conv", 27, 16);
        assertKn(m, "/layer2/layer2.0/conv1/Conv", "Conv", 16 * 9, 32);
        assertKn(m, "/layer2/layer2.0/conv2/Conv", "Conv", 32 * 9, 32);
        assertKn(m, "/layer3/layer3.2/conv2/Conv", "Conv", 64 * 9, 64);
        assertKn(m, "/linear/Gemm", "Gemm", 64, 10);
        long params = j.get("parameters").asLong();
        assertTrue(params > 260_000 && params < 280_000, "ResNet-20 has 0.27 M parameters, got " + params);
    }

    private static void assertKn(JsonNode mappable, String node, String op, long k, long n) {
        for (JsonNode e : mappable) {
            if (e.get("node").asText().equals(node)) {
                assertEquals(op, e.get("op").asText());
                assertEquals(k, e.get("k").asLong(), node + " K");
                assertEquals(n, e.get("n").asLong(), node + " N");
                return;
            }
        }
        throw new AssertionError(node + " not among the mappable nodes");
    }

    @Test
    void truncatedModelFailsWithOneLineNamingTheFile(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(resnet20());
        Path cut = dir.resolve("cut.onnx");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        CliRun r = CliRun.of("inspect", cut.toString());
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("cimq: error: " + cut + ": "), r.err());
    }
}
