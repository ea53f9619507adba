package org.cimq.ir.shapes;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.cimq.ir.DType;
import org.cimq.ir.Dim;
import org.cimq.ir.IrException;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;

/**
 * Static shape inference: types every node output of a model's main graph (element type
 * and dims) from its inputs, attributes and compile-time-known inputs, visiting nodes in
 * their (topological) order. Sound by construction: a size that cannot be derived is
 * {@link Dim#UNKNOWN}, a rank that cannot be derived leaves {@code dims == null}; symbolic
 * sizes such as {@code "batch"} propagate. A type the model already records for an output
 * is merged with the inferred one dimension by dimension, the more specific winning; two
 * different known sizes (or ranks, or element types) are an {@link IrException}. Ops
 * without a rule, and ops of other domains, keep whatever type their outputs had.
 */
public final class ShapeInference {
    private static final Map<String, ShapeRule> RULES = registry();

    private ShapeInference() {
    }

    /** Infers and sets the types of all node outputs of {@code model}'s main graph. */
    public static void run(Model model) {
        Map<Value, KnownData> data = new IdentityHashMap<>();
        for (Node node : model.graph().nodes()) {
            boolean onnx = node.domain().isEmpty() || "ai.onnx".equals(node.domain());
            ShapeRule rule = onnx ? RULES.get(node.opType()) : null;
            if (rule == null) {
                continue;
            }
            InferenceContext ctx = new InferenceContext(node, model.opsetVersion(node.domain()), data);
            TensorType[] inferred;
            KnownData folded;
            try {
                inferred = rule.infer(node, ctx);
                if (inferred != null) {
                    for (int i = 0; i < node.outputs().size() && i < inferred.length; i++) {
                        Value out = node.output(i);
                        if (out != null) {
                            out.setType(merge(node, out, out.type(), inferred[i]));
                        }
                    }
                }
                folded = node.outputs().size() == 1 && node.output(0) != null ? ValueFolder.fold(node, ctx) : null;
            } catch (IrException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new IrException(node.describe() + ": shape inference failed: " + e.getMessage(), e);
            }
            if (folded != null) {
                data.put(node.output(0), folded);
            }
        }
    }

    /** The op types of ONNX's default domain that have a rule. */
    public static Set<String> supportedOps() {
        return new TreeSet<>(RULES.keySet());
    }

    private static Map<String, ShapeRule> registry() {
        Map<String, ShapeRule> m = new HashMap<>();
        ElementwiseRules.register(m);
        ConvPoolRules.register(m);
        MatMulRules.register(m);
        ReshapeRules.register(m);
        IndexingRules.register(m);
        ReductionRules.register(m);
        MiscRules.register(m);
        return Map.copyOf(m);
    }

    /** The declared and inferred types of {@code out} combined, or an exception if they conflict. */
    static TensorType merge(Node node, Value out, TensorType declared, TensorType inferred) {
        if (inferred == null || declared == null) {
            return inferred == null ? declared : inferred;
        }
        DType dt = inferred.dtype() != null ? inferred.dtype() : declared.dtype();
        if (declared.dtype() != null && inferred.dtype() != null && declared.dtype() != inferred.dtype()) {
            throw conflict(node, out, declared, inferred);
        }
        if (declared.dims() == null || inferred.dims() == null) {
            return new TensorType(dt, inferred.dims() != null ? inferred.dims() : declared.dims());
        }
        List<Dim> a = declared.dims();
        List<Dim> b = inferred.dims();
        if (a.size() != b.size()) {
            throw conflict(node, out, declared, inferred);
        }
        Dim[] dims = new Dim[a.size()];
        for (int i = 0; i < dims.length; i++) {
            Dim d = a.get(i);
            Dim n = b.get(i);
            if (d.isKnown() && n.isKnown() && d.value() != n.value()) {
                throw conflict(node, out, declared, inferred);
            }
            dims[i] = n.isKnown() ? n : d.isKnown() ? d : n.param() != null ? n : d;
        }
        return new TensorType(dt, List.of(dims));
    }

    private static IrException conflict(Node node, Value out, TensorType declared, TensorType inferred) {
        return new IrException(node.describe() + ": output '" + out.name() + "' is recorded as " + declared
                + " but its inputs give " + inferred);
    }
}
