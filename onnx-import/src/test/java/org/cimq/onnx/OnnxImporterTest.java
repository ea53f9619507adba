package org.cimq.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.cimq.ir.Dim;
import org.cimq.ir.Graph;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxImporterTest {
    @TempDir
    Path tmp;

    @Test
    void readsResnet20WithOpsetShapesAndWeights() {
        Model m = OnnxImporter.load(TestPaths.resnet20());
        assertEquals(13, m.opsetVersion(""));
        Graph g = m.graph();
        assertEquals(1, g.inputs().size());
        Value in = g.inputs().get(0);
        assertEquals("input", in.name());
        assertEquals(4, in.type().rank());
        assertTrue(in.type().dims().get(0).param() != null, "dynamic batch dim is symbolic");
        assertEquals(Dim.of(3), in.type().dims().get(1));
        assertEquals("logits", g.outputs().get(0).name());
        Map<String, Long> ops = g.nodes().stream().collect(Collectors.groupingBy(Node::opType, Collectors.counting()));
        assertEquals(19L, ops.get("Conv"));
        assertEquals(1L, ops.get("Gemm"));
        long params = g.parameterCount();
        assertTrue(params > 260_000 && params < 290_000, "ResNet-20 has about 0.27 M parameters, got " + params);
        // topological order: every node input is defined before use
        java.util.Set<Value> seen = new java.util.HashSet<>(g.inputs());
        seen.addAll(g.initializers().values());
        for (Node n : g.nodes()) {
            for (Value v : n.inputs()) {
                assertTrue(v == null || seen.contains(v), n.describe() + " reads " + v + " before it is defined");
            }
            seen.addAll(n.outputs());
        }
    }

    @Test
    void writeThenReadGivesTheSameBytes() throws Exception {
        Model m = OnnxImporter.load(TestPaths.resnet20());
        byte[] once = OnnxWriter.toBytes(m);
        Path p = tmp.resolve("r.onnx");
        Files.write(p, once);
        byte[] twice = OnnxWriter.toBytes(OnnxImporter.load(p));
        assertArrayEquals(once, twice);
    }

    @Test
    void garbageAndTruncatedFilesGiveOneClearError() throws Exception {
        Path bad = tmp.resolve("bad.onnx");
        Files.write(bad, new byte[] {(byte) 0xFF, 0x13, 0x01, 0x02, 0x7F});
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxImporter.load(bad));
        assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());

        byte[] full = Files.readAllBytes(TestPaths.resnet20());
        Path cut = tmp.resolve("cut.onnx");
        Files.write(cut, java.util.Arrays.copyOf(full, full.length / 2));
        e = assertThrows(OnnxFormatException.class, () -> OnnxImporter.load(cut));
        assertTrue(e.getMessage().contains("cut.onnx"), e.getMessage());

        e = assertThrows(OnnxFormatException.class, () -> OnnxImporter.load(tmp.resolve("missing.onnx")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }
}
