package org.cimq.ir.shapes;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.cimq.ir.DType;
import org.cimq.ir.Dim;
import org.cimq.ir.Graph;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.cimq.onnx.OnnxImporter;
import org.cimq.onnx.TensorFiles;
import org.junit.jupiter.api.Test;

/**
 * Checks inferred output shapes against ONNX's backend node tests (package libonnx-testdata):
 * every case whose ops all have rules is loaded, stripped of its declared output types and
 * inferred; each output's dims must equal the shape of the expected output tensor.
 */
class ShapeInferenceConformanceTest {
    private static final Path NODE_TESTS = Path.of("/usr/include/onnx/backend/test/data/node");

    @Test
    void inferredShapesMatchOnnxNodeTestOutputs() throws IOException {
        if (!Files.isDirectory(NODE_TESTS)) {
            fail("ONNX backend test data not found at " + NODE_TESTS + "; install the Debian package libonnx-testdata");
        }
        List<String> failures = new ArrayList<>();
        int checked = 0;
        int skipped = 0;
        int bound = 0;
        for (Path dir : cases()) {
            String name = dir.getFileName().toString();
            Model unbound = coveredModel(dir);
            if (unbound == null) {
                skipped++;
                continue;
            }
            checked++;
            check(name + " (inputs unbound)", unbound, dir, false, failures);
            Model model = coveredModel(dir);
            if (bindShapeInputs(model.graph(), dir)) {
                bound++;
            }
            check(name, model, dir, true, failures);
        }
        System.out.printf("ONNX node conformance: %d cases checked (%d with integer or scalar inputs bound to their test"
                + " data), %d failures, %d cases skipped (ops without rules, non-tensor inputs or unreadable)%n",
                checked, bound, failures.size(), skipped);
        failures.forEach(f -> System.out.println("  " + f));
        assertTrue(failures.isEmpty(), failures.size() + " disagreements in " + checked + " cases:\n"
                + String.join("\n", failures));
        assertTrue(checked >= 300, "only " + checked + " conformance cases checked, expected at least 300");
    }

    private static List<Path> cases() throws IOException {
        try (Stream<Path> s = Files.list(NODE_TESTS)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted().toList();
        }
    }

    /** The case's model with node output types cleared, or null if it has an op without a rule. */
    private static Model coveredModel(Path dir) {
        Model model;
        try {
            model = OnnxImporter.load(dir.resolve("model.onnx"));
        } catch (RuntimeException e) {
            return null;
        }
        Graph g = model.graph();
        Set<String> ops = ShapeInference.supportedOps();
        boolean covered = g.nodes().stream().allMatch(n -> n.domain().isEmpty() && ops.contains(n.opType()));
        boolean tensorsOnly = g.inputs().stream().allMatch(v -> v.type() != null);
        if (!covered || !tensorsOnly || g.nodes().isEmpty()) {
            return null;
        }
        for (Node n : g.nodes()) {
            n.outputs().stream().filter(v -> v != null && !g.inputs().contains(v)).forEach(v -> v.setType(null));
        }
        return model;
    }

    /**
     * Infers {@code model} and compares its outputs with the expected tensors: every known dim
     * must be right, and with {@code exact} every dim must be known unless a graph input has
     * symbolic dims.
     */
    private static void check(String name, Model model, Path dir, boolean exact, List<String> failures) {
        Graph g = model.graph();
        try {
            ShapeInference.run(model);
        } catch (RuntimeException e) {
            failures.add(name + ": " + e);
            return;
        }
        boolean unknownAllowed = !exact || g.inputs().stream().anyMatch(v -> !v.type().isStatic());
        for (int i = 0; i < g.outputs().size(); i++) {
            Path pb = dir.resolve("test_data_set_0/output_" + i + ".pb");
            if (!Files.isRegularFile(pb)) {
                continue;
            }
            String problem = compare(g.outputs().get(i).type(), TensorFiles.read(pb), unknownAllowed);
            if (problem != null) {
                failures.add(name + " output " + i + " '" + g.outputs().get(i).name() + "': " + problem);
            }
        }
    }

    /**
     * Makes integer and scalar graph inputs constants holding their test data, the way a
     * deployed model holds its shape, axes and pads: the node tests feed them at run time, so
     * without this many expected shapes are not derivable from the model alone.
     */
    private static boolean bindShapeInputs(Graph g, Path dir) {
        boolean any = false;
        for (int i = 0; i < g.inputs().size(); i++) {
            Value v = g.inputs().get(i);
            Path pb = dir.resolve("test_data_set_0/input_" + i + ".pb");
            boolean candidate = v.type().dtype() != null && (v.type().rank() == 0
                    || v.type().dtype() == DType.INT64 || v.type().dtype() == DType.INT32);
            if (candidate && !v.isConstant() && Files.isRegularFile(pb)) {
                v.setConstant(TensorFiles.read(pb));
                any = true;
            }
        }
        return any;
    }

    private static String compare(TensorType inferred, Tensor expected, boolean symbolicInputs) {
        long[] want = expected.shape();
        if (inferred == null || inferred.dims() == null) {
            return symbolicInputs ? null : "no shape inferred, expected " + Arrays.toString(want);
        }
        boolean bfloat16AsUint16 = inferred.dtype() == DType.BFLOAT16 && expected.dtype() == DType.UINT16;
        if (inferred.dtype() != null && inferred.dtype() != expected.dtype() && !bfloat16AsUint16) {
            return "element type " + inferred.dtype() + ", expected " + expected.dtype();
        }
        List<Dim> dims = inferred.dims();
        if (dims.size() != want.length) {
            return "inferred " + inferred + ", expected " + Arrays.toString(want);
        }
        for (int d = 0; d < want.length; d++) {
            Dim got = dims.get(d);
            if (got.isKnown() ? got.value() != want[d] : !symbolicInputs) {
                return "inferred " + inferred + ", expected " + Arrays.toString(want);
            }
        }
        return null;
    }
}
