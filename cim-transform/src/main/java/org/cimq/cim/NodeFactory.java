package org.cimq.cim;

import org.cimq.ir.Graph;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.Value;
import org.cimq.runtime.cim.CimOps;

/** Adds the nodes and constants replacing one layer, before it in the node list, with names under {@code base}. */
final class NodeFactory {
    private final Graph graph;
    private final Node anchor;
    private final String base;
    private int count;

    NodeFactory(Graph graph, Node anchor, String base) {
        this.graph = graph;
        this.anchor = anchor;
        this.base = base;
    }

    /** A one-output node of cimq's domain. */
    Node node(String op, Value... inputs) {
        return node(CimOps.DOMAIN, op, inputs);
    }

    /** A one-output node of any domain ("" = ONNX). */
    Node node(String domain, String op, Value... inputs) {
        String name = base + "/" + op + "_" + count++;
        Node n = new Node(name, op, domain);
        for (Value v : inputs) {
            n.addInput(v);
        }
        n.addOutput(new Value(name + "_out", null));
        graph.insertBefore(anchor, n);
        return n;
    }

    Value constant(String name, Tensor t) {
        Value v = Value.constant(base + "/" + name, t);
        graph.addInitializer(v);
        return v;
    }

    /** The layer's CimQuantizeInput node: codes of {@code input} with the layer's scale and mode. */
    Node quantizeInput(Value input, LayerSetting s, int bits) {
        Node quant = node(CimOps.QUANTIZE_INPUT, input);
        quant.setAttr("scale", new org.cimq.ir.Attr.FloatAttr(s.inputScale()));
        quant.setAttr("bits", new org.cimq.ir.Attr.IntAttr(bits));
        quant.setAttr("input_mode", org.cimq.ir.Attr.StringAttr.of(s.inputMode().id()));
        return quant;
    }

    /** Points every use of the anchor's output at {@code y} (keeping a graph output's name and type) and drops the anchor. */
    void replaceAnchor(Value y) {
        Value out = anchor.output(0);
        graph.replaceAllUsesWith(out, y);
        if (graph.isGraphOutput(y)) {
            y.setName(out.name());
        }
        y.setType(out.type());
        graph.removeNode(anchor);
    }
}
