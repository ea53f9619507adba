package org.cimq.ir;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Checks the IR's invariants and throws {@link IrException} naming the first offending node or
 * value: every value has one definition and a unique name, every node input is defined before
 * the node (graph input, initializer or an earlier node), graph outputs are defined, use lists
 * match the node inputs, and every node's domain is imported by the model.
 */
public final class Verifier {
    private Verifier() {
    }

    public static void verify(Model model) {
        verifyGraph(model, model.graph(), Map.of());
    }

    private static void verifyGraph(Model model, Graph g, Map<String, Value> outer) {
        Map<String, Value> defined = new HashMap<>(outer);
        Set<Value> local = new HashSet<>();
        for (Value v : g.initializers().values()) {
            define(defined, local, v, "initializer");
        }
        for (Value v : g.inputs()) {
            if (!v.isConstant()) {
                define(defined, local, v, "graph input");
            }
        }
        for (Node n : g.nodes()) {
            if (n.opType() == null || n.opType().isEmpty()) {
                throw new IrException(n.describe() + " has no op type");
            }
            if (model.opsetVersion(n.domain()) < 0) {
                throw new IrException(n.describe() + " is in domain '" + n.domain() + "', which the model does not import");
            }
            for (int i = 0; i < n.inputs().size(); i++) {
                Value in = n.input(i);
                if (in == null) {
                    continue;
                }
                if (defined.get(in.name()) != in) {
                    throw new IrException(n.describe() + ": input " + i + " '" + in.name()
                            + "' is not defined before this node (missing initializer, dangling input or bad order)");
                }
                boolean listed = in.uses().stream().anyMatch(u -> u.node() == n);
                if (!listed) {
                    throw new IrException(n.describe() + ": value '" + in.name() + "' does not list this node among its uses");
                }
            }
            for (org.cimq.ir.Attr a : n.attributes().values()) {
                if (a instanceof Attr.GraphAttr ga) {
                    verifyGraph(model, ga.value(), defined);
                } else if (a instanceof Attr.GraphsAttr gs) {
                    for (Graph sub : gs.values()) {
                        verifyGraph(model, sub, defined);
                    }
                }
            }
            for (Value out : n.outputs()) {
                if (out != null) {
                    if (out.producer() != n) {
                        throw new IrException(n.describe() + ": output '" + out.name() + "' names another producer");
                    }
                    define(defined, local, out, n.describe() + " output");
                }
            }
        }
        Set<String> outNames = new HashSet<>();
        for (Value v : g.outputs()) {
            if (defined.get(v.name()) != v) {
                throw new IrException("graph output '" + v.name() + "' is not produced by any node, input or initializer");
            }
            if (!outNames.add(v.name())) {
                throw new IrException("graph output '" + v.name() + "' is listed twice");
            }
        }
    }

    private static void define(Map<String, Value> defined, Set<Value> local, Value v, String what) {
        if (v.name() == null || v.name().isEmpty()) {
            throw new IrException("a " + what + " has no name");
        }
        Value prev = defined.get(v.name());
        if (prev != null && prev != v && local.contains(prev)) {
            throw new IrException(what + " '" + v.name() + "' reuses a name that is already defined");
        }
        defined.put(v.name(), v);
        local.add(v);
    }
}
