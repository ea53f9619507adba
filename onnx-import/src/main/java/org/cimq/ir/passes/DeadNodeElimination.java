package org.cimq.ir.passes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.cimq.ir.Graph;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Value;

/**
 * Removes nodes none of whose outputs reaches a graph output, and initializers nobody reads
 * (initializers that are also graph inputs stay: they are part of the interface).
 */
public final class DeadNodeElimination implements Pass {
    @Override
    public boolean run(Model model) {
        Graph g = model.graph();
        boolean changed = false;
        List<Node> reversed = new ArrayList<>(g.nodes());
        Collections.reverse(reversed);
        for (Node n : reversed) {
            boolean live = false;
            for (Value out : n.outputs()) {
                if (out != null && (!out.uses().isEmpty() || g.isGraphOutput(out))) {
                    live = true;
                    break;
                }
            }
            if (!live) {
                g.removeNode(n);
                changed = true;
            }
        }
        changed |= g.initializers().values().removeIf(v -> v.uses().isEmpty() && !g.isGraphOutput(v) && !g.inputs().contains(v));
        return changed;
    }
}
