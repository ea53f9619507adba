package org.cimq.cim;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.cimq.ir.Graph;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Value;
import org.cimq.ir.Verifier;
import org.cimq.ir.shapes.ShapeInference;
import org.cimq.runtime.ModelLoader;

/**
 * {@link ModelLoader#prepare} for QDQ models: the same clean-up, except that every
 * DequantizeLinear feeding the weight input of a Conv, Gemm or MatMul is kept instead of being
 * folded into float weights, so {@link MappedLayers} can take the model's integers and scales. A
 * constant QuantizeLinear of float weights before it is folded into integers as usual. On a
 * model without such nodes this is {@code ModelLoader.prepare}.
 */
public final class QdqPreparation {
    private static final String HELD = "org.cimq.qdq.held";
    private static final Set<String> LAYERS = Set.of("Conv", "Gemm", "MatMul");

    private QdqPreparation() {
    }

    /** Cleans up {@code m} in place and returns it. */
    public static Model prepare(Model m) {
        Graph g = m.graph();
        List<Node> held = new ArrayList<>();
        for (Node n : List.copyOf(g.nodes())) {
            if (n.domain().isEmpty() && n.opType().equals("DequantizeLinear") && feedsWeight(n.output(0))) {
                held.add(replace(g, n, HELD));
            }
        }
        if (held.isEmpty()) {
            return ModelLoader.prepare(m);
        }
        m.opsetImports().put(HELD, 1L);
        ModelLoader.prepare(m);
        for (Node n : held) {
            if (g.nodes().contains(n)) {
                replace(g, n, "");
            }
        }
        m.opsetImports().remove(HELD);
        ShapeInference.run(m);
        Verifier.verify(m);
        return m;
    }

    private static boolean feedsWeight(Value v) {
        if (v == null || v.uses().isEmpty()) {
            return false;
        }
        for (Value.Use u : v.uses()) {
            if (u.index() != 1 || !u.node().domain().isEmpty() || !LAYERS.contains(u.node().opType())) {
                return false;
            }
        }
        return true;
    }

    /** Puts a copy of {@code n} in {@code domain} in its place. */
    private static Node replace(Graph g, Node n, String domain) {
        Node copy = new Node(n.name(), n.opType(), domain);
        n.inputs().forEach(copy::addInput);
        n.attributes().forEach(copy::setAttr);
        Value out = n.output(0);
        Value fresh = new Value(out.name(), out.type());
        copy.addOutput(fresh);
        g.insertBefore(n, copy);
        g.replaceAllUsesWith(out, fresh);
        g.removeNode(n);
        return copy;
    }
}
