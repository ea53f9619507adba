package org.cimq.cim.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cimq.ir.Attr;
import org.cimq.ir.Graph;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.Value;

/**
 * Adds standard ONNX (opset 13) nodes and constants just before one node being lowered, named
 * under that node's name, and finally puts the lowered result in its place.
 */
final class Emitter {
    private final Graph graph;
    private final Node anchor;
    private final String base;
    private int count;

    Emitter(Graph graph, Node anchor) {
        this.graph = graph;
        this.anchor = anchor;
        this.base = (anchor.name().isEmpty() ? anchor.output(0).name() : anchor.name()) + "/ort";
    }

    Value op(String type, Value... inputs) {
        return op(type, Map.of(), inputs);
    }

    Value op(String type, Map<String, Attr> attrs, Value... inputs) {
        String name = base + "/" + type + "_" + count++;
        Node n = new Node(name, type, Model.ONNX_DOMAIN);
        for (Value v : inputs) {
            n.addInput(v);
        }
        n.addOutput(new Value(name + "_out", null));
        attrs.forEach(n::setAttr);
        graph.insertBefore(anchor, n);
        return n.output(0);
    }

    Value constant(String label, Tensor t) {
        Value v = Value.constant(base + "/" + label + "_" + count++, t);
        graph.addInitializer(v);
        return v;
    }

    Value scalar(float v) {
        return constant("c", Tensor.ofFloats(new long[0], v));
    }

    Value longs(long... v) {
        return constant("i", Tensor.ofLongs(new long[] {v.length}, v));
    }

    /** {@code Slice(v, [start], [end], [axis])}. */
    Value slice(Value v, long start, long end, long axis) {
        return op("Slice", v, longs(start), longs(end), longs(axis));
    }

    /** The dimensions {@code [start, end)} of {@code v}'s runtime shape, as an int64 vector. */
    Value dims(Value v, long start, long end) {
        return slice(op("Shape", v), start, end, 0);
    }

    Value concat(long axis, Value... parts) {
        return op("Concat", Map.of("axis", new Attr.IntAttr(axis)), parts);
    }

    Value unsqueeze0(Value v) {
        return op("Unsqueeze", v, longs(0));
    }

    /** {@code Clip(v, lo, hi)} with scalar float bounds. */
    Value clip(Value v, float lo, float hi) {
        return op("Clip", v, scalar(lo), scalar(hi));
    }

    /** Points the uses of the anchor's output at {@code result}, drops the anchor and constants only it read. */
    void replaceAnchor(Value result) {
        Value out = anchor.output(0);
        graph.replaceAllUsesWith(out, result);
        if (graph.isGraphOutput(result)) {
            result.setName(out.name());
            result.setType(out.type());
        }
        List<Value> inputs = new ArrayList<>(anchor.inputs());
        graph.removeNode(anchor);
        graph.valueInfo().remove(out);
        for (Value in : inputs) {
            if (in != null && in.isConstant() && in.uses().isEmpty() && graph.initializers().get(in.name()) == in) {
                graph.initializers().remove(in.name());
            }
        }
    }
}
