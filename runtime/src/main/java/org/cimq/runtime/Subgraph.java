package org.cimq.runtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cimq.ir.Graph;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Value;
import org.cimq.ir.shapes.ShapeInference;
import org.cimq.onnx.OnnxImporter;
import org.cimq.onnx.OnnxWriter;

/**
 * A part of a model's main graph as a model of its own, so an {@link Executor} can run from
 * intermediate values: {@link #extract} keeps the nodes needed to compute the named outputs
 * from the named values (which become the graph inputs, typed as in the source) and drops
 * every other node and unused initializer. Running the part on the values the whole model
 * computed gives the whole model's values bit for bit (same kernels, same order).
 */
public final class Subgraph {
    private Subgraph() {
    }

    /**
     * A copy of {@code source} whose graph inputs are {@code inputs} and outputs {@code outputs}
     * (value names, in that order). A name may be in both: it is passed through.
     *
     * @throws IllegalArgumentException naming a value that does not exist, or an output that
     *         needs a graph input of the source that is not among {@code inputs}
     */
    public static Model extract(Model source, Collection<String> inputs, Collection<String> outputs) {
        Model copy = OnnxImporter.load(OnnxWriter.toBytes(source), "part of model");
        ShapeInference.run(copy);
        Graph g = copy.graph();
        Map<String, Value> byName = g.valuesByName();
        List<Value> given = values(byName, inputs, "input");
        List<Value> wanted = values(byName, outputs, "output");
        Set<Value> givenSet = Collections.newSetFromMap(new IdentityHashMap<>());
        givenSet.addAll(given);
        Set<Node> needed = needed(g, wanted, givenSet);

        List<Value> newInputs = new ArrayList<>();
        for (Value v : given) {
            Value in = v;
            if (v.producer() != null || v.isConstant()) {
                in = new Value(v.name(), v.type());
                g.replaceAllUsesWith(v, in);
                for (int i = 0; i < wanted.size(); i++) {
                    if (wanted.get(i) == v) {
                        wanted.set(i, in);
                    }
                }
            }
            newInputs.add(in);
        }
        List<Node> nodes = new ArrayList<>(g.nodes());
        Collections.reverse(nodes);
        for (Node n : nodes) {
            if (!needed.contains(n)) {
                g.removeNode(n);
            }
        }
        g.inputs().clear();
        g.inputs().addAll(newInputs);
        g.outputs().clear();
        g.outputs().addAll(wanted);
        g.initializers().values().removeIf(v -> v.uses().isEmpty() && !g.outputs().contains(v) && !givenSet.contains(v));
        g.valueInfo().removeIf(v -> v.producer() != null && !needed.contains(v.producer()));
        return copy;
    }

    private static List<Value> values(Map<String, Value> byName, Collection<String> names, String what) {
        List<Value> out = new ArrayList<>();
        for (String n : new LinkedHashSet<>(names)) {
            Value v = byName.get(n);
            if (v == null) {
                throw new IllegalArgumentException("sub-graph " + what + " '" + n + "' is not a value of the model");
            }
            out.add(v);
        }
        return out;
    }

    /** Producers of every value on a path from a wanted output back to a given value or a constant. */
    private static Set<Node> needed(Graph g, List<Value> wanted, Set<Value> given) {
        Set<Node> needed = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Value> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Value> todo = new ArrayDeque<>(wanted);
        while (!todo.isEmpty()) {
            Value v = todo.pop();
            if (!seen.add(v) || given.contains(v) || v.isConstant()) {
                continue;
            }
            Node p = v.producer();
            if (p == null) {
                throw new IllegalArgumentException("sub-graph outputs need graph input '" + v.name()
                        + "', which is not among the given values");
            }
            if (needed.add(p)) {
                for (Value in : p.inputs()) {
                    if (in != null) {
                        todo.push(in);
                    }
                }
            }
        }
        return needed;
    }
}
