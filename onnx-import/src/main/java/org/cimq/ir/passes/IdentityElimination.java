package org.cimq.ir.passes;

import java.util.List;
import org.cimq.ir.Graph;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Value;

/**
 * Removes Identity nodes by pointing their users at the Identity's input. PyTorch reaches
 * deduplicated initializers (e.g. Conv weights) through Identity nodes; after this pass those
 * users read the initializer directly. An Identity whose output is a graph output and whose
 * input is a graph input or another graph output is kept, so the model's interface is unchanged.
 */
public final class IdentityElimination implements Pass {
    @Override
    public boolean run(Model model) {
        Graph g = model.graph();
        boolean changed = false;
        for (Node n : List.copyOf(g.nodes())) {
            if (!n.opType().equals("Identity") || !n.domain().isEmpty() || n.input(0) == null || n.output(0) == null) {
                continue;
            }
            Value in = n.input(0);
            Value out = n.output(0);
            if (g.isGraphOutput(out)) {
                if (g.inputs().contains(in) || g.isGraphOutput(in) || in.isConstant()) {
                    continue;
                }
                // the producer's output takes over the graph output's name
                g.replaceAllUsesWith(out, in);
                g.removeNode(n);
                in.setName(out.name());
                if (out.type() != null) {
                    in.setType(out.type());
                }
            } else {
                g.replaceAllUsesWith(out, in);
                g.removeNode(n);
            }
            changed = true;
        }
        return changed;
    }
}
