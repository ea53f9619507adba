package org.cimq.ir;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A computation graph: nodes (kept in topological order by {@link #sortTopologically()}),
 * graph inputs and outputs, initializers (constant values) and the values whose types the
 * model recorded ({@code value_info}). Values are unique by name within a graph.
 */
public final class Graph {
    private String name;
    private String docString = "";
    private byte[] unknownFields = new byte[0];
    private final List<Node> nodes = new ArrayList<>();
    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final Map<String, Value> initializers = new LinkedHashMap<>();
    private final List<Value> valueInfo = new ArrayList<>();

    public Graph(String name) {
        this.name = name == null ? "" : name;
    }

    public String name() {
        return name;
    }

    public void setName(String n) {
        this.name = n;
    }

    public String docString() {
        return docString;
    }

    public void setDocString(String d) {
        this.docString = d == null ? "" : d;
    }

    public byte[] unknownFields() {
        return unknownFields;
    }

    public void setUnknownFields(byte[] b) {
        this.unknownFields = b;
    }

    /** Nodes in their current order (topological after sorting); mutate through the graph. */
    public List<Node> nodes() {
        return nodes;
    }

    /** Graph inputs, initializers excluded. */
    public List<Value> inputs() {
        return inputs;
    }

    public List<Value> outputs() {
        return outputs;
    }

    /** Initializers by name, in file order. */
    public Map<String, Value> initializers() {
        return initializers;
    }

    public void addInitializer(Value v) {
        if (!v.isConstant()) {
            throw new IllegalArgumentException("initializer '" + v.name() + "' has no tensor");
        }
        initializers.put(v.name(), v);
    }

    /** Values whose types are recorded in value_info. */
    public List<Value> valueInfo() {
        return valueInfo;
    }

    public Node addNode(Node n) {
        nodes.add(n);
        return n;
    }

    /** Inserts {@code n} just before {@code before} in the node list. */
    public Node insertBefore(Node before, Node n) {
        int i = nodes.indexOf(before);
        if (i < 0) {
            throw new IllegalArgumentException(before.describe() + " is not in graph '" + name + "'");
        }
        nodes.add(i, n);
        return n;
    }

    /** Removes a node and drops its input uses; its outputs must be unused. */
    public void removeNode(Node n) {
        for (Value out : n.outputs()) {
            if (out != null && !out.uses().isEmpty()) {
                throw new IllegalStateException("cannot remove " + n.describe() + ": output '" + out.name()
                        + "' is still used by " + out.uses().get(0).node().describe());
            }
        }
        n.dropInputs();
        nodes.remove(n);
    }

    /** Redirects every use of {@code from} (node inputs and graph outputs) to {@code to}. */
    public void replaceAllUsesWith(Value from, Value to) {
        for (Value.Use u : List.copyOf(from.uses())) {
            u.node().setInput(u.index(), to);
        }
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i) == from) {
                outputs.set(i, to);
            }
        }
    }

    public boolean isGraphOutput(Value v) {
        return outputs.contains(v);
    }

    /** Every value reachable by name: inputs, initializers, node outputs. */
    public Map<String, Value> valuesByName() {
        Map<String, Value> m = new HashMap<>();
        inputs.forEach(v -> m.put(v.name(), v));
        initializers.values().forEach(v -> m.put(v.name(), v));
        for (Node n : nodes) {
            for (Value v : n.outputs()) {
                if (v != null) {
                    m.put(v.name(), v);
                }
            }
        }
        return m;
    }

    /**
     * Reorders the nodes topologically (stable: keeps the file order where it is valid).
     *
     * @throws IrException naming a node on a cycle, if there is one
     */
    public void sortTopologically() {
        Map<Node, Integer> pending = new IdentityHashMap<>();
        Map<Node, List<Node>> consumers = new IdentityHashMap<>();
        Set<Node> here = Collections.newSetFromMap(new IdentityHashMap<>());
        here.addAll(nodes);
        for (Node n : nodes) {
            int deps = 0;
            for (Value in : n.inputs()) {
                if (in != null && in.producer() != null && in.producer() != n && here.contains(in.producer())) {
                    deps++;
                    consumers.computeIfAbsent(in.producer(), k -> new ArrayList<>()).add(n);
                } else if (in != null && in.producer() == n) {
                    throw new IrException(n.describe() + " reads its own output '" + in.name() + "' (cycle)");
                }
            }
            pending.put(n, deps);
        }
        List<Node> order = new ArrayList<>(nodes.size());
        Deque<Node> ready = new ArrayDeque<>();
        for (Node n : nodes) {
            if (pending.get(n) == 0) {
                ready.add(n);
            }
        }
        while (!ready.isEmpty()) {
            Node n = ready.poll();
            order.add(n);
            for (Node c : consumers.getOrDefault(n, List.of())) {
                if (pending.merge(c, -1, Integer::sum) == 0) {
                    ready.add(c);
                }
            }
        }
        if (order.size() != nodes.size()) {
            Node stuck = nodes.stream().filter(n -> pending.get(n) > 0).findFirst().orElseThrow();
            throw new IrException("graph '" + name + "' has a cycle through " + stuck.describe());
        }
        nodes.clear();
        nodes.addAll(order);
    }

    /** All nodes of this graph and of subgraphs in attributes, depth first. */
    public List<Node> allNodesRecursive() {
        List<Node> out = new ArrayList<>();
        collect(this, out);
        return out;
    }

    private static void collect(Graph g, List<Node> out) {
        for (Node n : g.nodes) {
            out.add(n);
            for (Attr a : n.attributes().values()) {
                if (a instanceof Attr.GraphAttr ga) {
                    collect(ga.value(), out);
                } else if (a instanceof Attr.GraphsAttr gs) {
                    gs.values().forEach(sub -> collect(sub, out));
                }
            }
        }
    }

    /** Number of elements over all initializers. */
    public long parameterCount() {
        return initializers.values().stream().map(Value::constant).mapToLong(Tensor::numel).sum();
    }
}
