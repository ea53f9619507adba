package org.cimq.runtime.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.cimq.ir.DType;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.Value;
import org.cimq.onnx.OnnxImporter;
import org.cimq.runtime.Executor;
import org.cimq.runtime.KernelRegistry;
import org.cimq.runtime.ModelLoader;
import org.cimq.runtime.NdArrays;
import org.cimq.runtime.StandardKernels;
import org.cimq.runtime.UnsupportedOpException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs ONNX's own backend test data (Debian's libonnx-testdata) through cimq. Every case whose
 * ops all have kernels and whose tensors use the runtime's element types must match its
 * expected outputs (rtol 1e-4, atol 1e-5). Other cases are reported as skipped with the op,
 * the element type, or the variant the kernel declares unsupported (e.g. training-mode
 * Dropout: the runtime is inference-only) that excludes them. Every supported op must pass at least one case.
 */
class OnnxConformanceTest {
    static final Path ROOT = Path.of("/usr/include/onnx/backend/test/data");
    static final List<String> SUITES = List.of("node", "pytorch-converted", "pytorch-operator", "simple");
    /** Element types the runtime handles (float32 is the main path); cases using others are skipped by type. */
    static final Set<DType> RUNTIME_TYPES = EnumSet.of(DType.FLOAT, DType.DOUBLE, DType.FLOAT16, DType.INT64, DType.INT32, DType.INT8, DType.UINT8, DType.BOOL);
    static final double RTOL = 1e-4;
    static final double ATOL = 1e-5;
    /** Prefix of run()'s answer for a variant the kernel declares unsupported (listed, not failed). */
    private static final String VARIANT = "variant:";

    @Test
    void everyCaseWithSupportedOpsMatchesItsExpectedOutputs() throws IOException {
        assertTrue(Files.isDirectory(ROOT.resolve("node")),
                ROOT + " is missing: install Debian's libonnx-testdata (apt-get install libonnx-testdata)");
        KernelRegistry registry = StandardKernels.registry();
        List<String> failures = new ArrayList<>();
        Map<String, Integer> skippedByOp = new TreeMap<>();
        Map<String, Integer> skippedByType = new TreeMap<>();
        Map<String, Integer> skippedByVariant = new TreeMap<>();
        Set<String> opsPassed = new TreeSet<>();
        int passed = 0;
        for (String suite : SUITES) {
            List<Path> dirs;
            try (Stream<Path> s = Files.list(ROOT.resolve(suite))) {
                dirs = s.filter(d -> Files.exists(d.resolve("model.onnx"))).sorted().toList();
            }
            for (Path dir : dirs) {
                Model model = OnnxImporter.load(dir.resolve("model.onnx"));
                Set<String> unsupported = new TreeSet<>();
                for (Node n : model.graph().allNodesRecursive()) {
                    if (registry.find(n.domain(), n.opType(), (int) model.opsetVersion(n.domain())) == null) {
                        unsupported.add((n.domain().isEmpty() ? "" : n.domain() + ":") + n.opType());
                    }
                }
                if (!unsupported.isEmpty()) {
                    unsupported.forEach(op -> skippedByOp.merge(op, 1, Integer::sum));
                    continue;
                }
                OnnxTestCase tc;
                try {
                    tc = OnnxTestCase.read(suite, dir);
                } catch (org.cimq.onnx.OnnxFormatException e) {
                    skippedByType.merge("sequence/optional data", 1, Integer::sum);
                    continue;
                }
                Set<DType> types = new TreeSet<>();
                tc.dataSets().forEach(ds -> {
                    ds.inputs().forEach(t -> types.add(t.dtype()));
                    ds.outputs().forEach(t -> types.add(t.dtype()));
                });
                types.removeAll(RUNTIME_TYPES);
                if (!types.isEmpty()) {
                    types.forEach(t -> skippedByType.merge(t.name(), 1, Integer::sum));
                    continue;
                }
                List<String> ops = model.graph().allNodesRecursive().stream().map(Node::opType).toList();
                String problem = run(model, tc);
                if (problem != null && problem.startsWith(VARIANT)) {
                    skippedByVariant.merge(problem.substring(VARIANT.length()), 1, Integer::sum);
                    continue;
                }
                if (problem == null) {
                    passed++;
                    opsPassed.addAll(ops);
                } else {
                    failures.add(tc.id() + ": " + problem);
                }
            }
        }
        int skippedOps = skippedByOp.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("ONNX conformance: " + passed + " passed, " + failures.size() + " failed, skipped for ops: "
                + skippedByOp + ", skipped for element types: " + skippedByType + ", skipped for unsupported variants: " + skippedByVariant);
        failures.forEach(f -> System.out.println("  FAILED " + f));
        Set<String> neverPassed = new TreeSet<>(registry.supportedOps());
        neverPassed.removeIf(op -> op.contains(":")); // cimq's own domain is tested by the CIM tests
        neverPassed.removeAll(opsPassed);
        assertTrue(failures.isEmpty(), failures.size() + " conformance case(s) failed:\n" + String.join("\n", failures));
        assertTrue(neverPassed.isEmpty(), "supported ops without a passing conformance case: " + neverPassed);
        assertTrue(passed > 0 && skippedOps >= 0, "no case ran");
    }

    private static String run(Model model, OnnxTestCase tc) {
        try {
            ModelLoader.prepare(model);
            Executor ex = new Executor(model);
            List<Value> realInputs = model.graph().inputs().stream().filter(v -> !v.isConstant()).toList();
            for (OnnxTestCase.DataSet ds : tc.dataSets()) {
                INDArray[] in = new INDArray[ds.inputs().size()];
                for (int i = 0; i < in.length; i++) {
                    in[i] = NdArrays.fromTensor(ds.inputs().get(i));
                }
                Map<String, INDArray> named = new java.util.LinkedHashMap<>();
                for (int i = 0; i < in.length && i < realInputs.size(); i++) {
                    named.put(realInputs.get(i).name(), in[i]);
                }
                Map<String, INDArray> out = ex.run(named, null);
                List<Value> outs = model.graph().outputs();
                for (int i = 0; i < ds.outputs().size(); i++) {
                    Tensor actual = NdArrays.toTensor(out.get(outs.get(i).name()));
                    String diff = TensorComparison.difference(ds.outputs().get(i), actual, RTOL, ATOL);
                    if (diff != null) {
                        return "output " + i + " '" + outs.get(i).name() + "': " + diff;
                    }
                }
            }
            return null;
        } catch (UnsupportedOpException e) {
            return e.variant() != null ? VARIANT + e.variant() : e.toString();
        } catch (RuntimeException e) {
            Throwable c = e.getCause();
            if (c instanceof UnsupportedOpException u && u.variant() != null) {
                return VARIANT + u.variant();
            }
            return e.toString().replace('\n', ' ');
        }
    }
}
