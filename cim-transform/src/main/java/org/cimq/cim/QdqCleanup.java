package org.cimq.cim;

import java.util.List;
import org.cimq.ir.Graph;
import org.cimq.ir.Node;
import org.cimq.ir.Value;

/**
 * Removes the QuantizeLinear/DequantizeLinear nodes of rewritten QDQ layers that nothing reads
 * any more (the weight's DequantizeLinear, and the input pair when CimQuantizeInput reads x),
 * with the initializers only they read.
 */
final class QdqCleanup {
    private QdqCleanup() {
    }

    static void removeDead(Graph g, List<MappedLayer> layers) {
        for (MappedLayer l : layers) {
            if (l.givenWeight() != null) {
                removeIfDead(g, l.givenWeight().dequantize());
            }
            if (l.givenInput() != null) {
                removeIfDead(g, l.givenInput().dequantize());
                removeIfDead(g, l.givenInput().quantize());
            }
        }
    }

    private static void removeIfDead(Graph g, Node n) {
        if (!g.nodes().contains(n)) {
            return;
        }
        for (Value out : n.outputs()) {
            if (out != null && (!out.uses().isEmpty() || g.isGraphOutput(out))) {
                return;
            }
        }
        List<Value> inputs = List.copyOf(n.inputs().stream().filter(v -> v != null).toList());
        g.removeNode(n);
        for (Value v : inputs) {
            if (v.isConstant() && v.uses().isEmpty() && !g.isGraphOutput(v) && !g.inputs().contains(v)) {
                g.initializers().remove(v.name(), v);
            }
        }
    }
}
