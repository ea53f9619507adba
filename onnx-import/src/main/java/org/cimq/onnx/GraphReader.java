package org.cimq.onnx;

import java.util.HashMap;
import java.util.Map;
import org.cimq.ir.Graph;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.cimq.onnx.proto.OnnxSchema.GraphProto;
import org.cimq.onnx.proto.OnnxSchema.NodeProto;
import org.cimq.onnx.proto.OnnxSchema.TensorProto;
import org.cimq.onnx.proto.OnnxSchema.ValueInfoProto;

/**
 * Builds a {@link Graph} from a GraphProto: values are linked by name (outer-scope names for
 * subgraphs), duplicate definitions and dangling inputs are errors naming the node, and nodes
 * are sorted topologically (a cycle is an error naming a node on it).
 */
final class GraphReader {
    private final TensorCodec tensors;
    private final ImportLimits limits;
    private final AttrCodec attrs;

    GraphReader(TensorCodec tensors, ImportLimits limits) {
        this.tensors = tensors;
        this.limits = limits;
        this.attrs = new AttrCodec(tensors, this);
    }

    /** Reads {@code gp}; {@code outer} maps names visible from enclosing graphs (null at top level). */
    Graph read(GraphProto gp, Map<String, Value> outer, int depth) {
        if (depth > limits.maxGraphDepth()) {
            throw new OnnxFormatException("subgraphs nested deeper than " + limits.maxGraphDepth() + " levels");
        }
        String gname = gp.getName().isEmpty() ? "<main>" : gp.getName();
        Graph g = new Graph(gp.getName());
        g.setDocString(gp.getDocString());
        g.setUnknownFields(gp.getUnknownFields().toByteArray());
        Map<String, Value> scope = new HashMap<>();
        for (TensorProto tp : gp.getInitializerList()) {
            String name = tp.getName();
            if (name.isEmpty()) {
                throw new OnnxFormatException("graph '" + gname + "': an initializer has no name");
            }
            if (scope.containsKey(name)) {
                throw new OnnxFormatException("graph '" + gname + "': initializer '" + name + "' is defined twice");
            }
            Tensor t = tensors.decode(tp, "initializer '" + name + "'");
            Value v = Value.constant(name, t);
            v.setInitializerUnknownFields(tp.getUnknownFields().toByteArray());
            v.setDocString(tp.getDocString());
            scope.put(name, v);
            g.addInitializer(v);
        }
        for (ValueInfoProto vi : gp.getInputList()) {
            Value v = scope.get(vi.getName());
            if (v == null) {
                if (vi.getName().isEmpty()) {
                    throw new OnnxFormatException("graph '" + gname + "': an input has no name");
                }
                v = new Value(vi.getName(), null);
                scope.put(vi.getName(), v);
            } else if (g.inputs().contains(v)) {
                throw new OnnxFormatException("graph '" + gname + "': input '" + vi.getName() + "' is listed twice");
            }
            applyInfo(v, vi, true);
            g.inputs().add(v);
        }
        Map<String, NodeProto> producerOf = new HashMap<>();
        Node[] nodes = new Node[gp.getNodeCount()];
        for (int i = 0; i < nodes.length; i++) {
            NodeProto np = gp.getNode(i);
            Node n = new Node(np.getName(), np.getOpType(), np.getDomain().equals("ai.onnx") ? "" : np.getDomain());
            if (np.getOpType().isEmpty()) {
                throw new OnnxFormatException("graph '" + gname + "': node #" + i + " ('" + np.getName() + "') has no op_type");
            }
            n.setDocString(np.getDocString());
            n.setUnknownFields(np.getUnknownFields().toByteArray());
            for (String out : np.getOutputList()) {
                if (out.isEmpty()) {
                    n.addOutput(null);
                    continue;
                }
                if (scope.containsKey(out)) {
                    NodeProto other = producerOf.get(out);
                    throw new OnnxFormatException(n.describe() + ": output '" + out + "' is already defined by "
                            + (other != null ? other.getOpType() + " node '" + other.getName() + "'" : "a graph input or initializer"));
                }
                Value v = new Value(out, null);
                scope.put(out, v);
                producerOf.put(out, np);
                n.addOutput(v);
            }
            nodes[i] = n;
        }
        // what subgraphs see: the enclosing scopes and every name of this graph (built once, not per node)
        Map<String, Value> visible = new HashMap<>(outer == null ? Map.of() : outer);
        visible.putAll(scope);
        for (int i = 0; i < nodes.length; i++) {
            NodeProto np = gp.getNode(i);
            Node n = nodes[i];
            for (String in : np.getInputList()) {
                if (in.isEmpty()) {
                    n.addInput(null);
                    continue;
                }
                Value v = scope.get(in);
                if (v == null && outer != null) {
                    v = outer.get(in);
                }
                if (v == null) {
                    throw new OnnxFormatException(n.describe() + ": input '" + in
                            + "' is not a graph input, an initializer or any node's output");
                }
                n.addInput(v);
            }
            attrs.readAll(np, n, visible, depth);
            g.addNode(n);
        }
        for (ValueInfoProto vi : gp.getOutputList()) {
            Value v = scope.get(vi.getName());
            if (v == null && outer != null) {
                v = outer.get(vi.getName());
            }
            if (v == null) {
                throw new OnnxFormatException("graph '" + gname + "': output '" + vi.getName() + "' is not produced by any node");
            }
            applyInfo(v, vi, true);
            g.outputs().add(v);
        }
        for (ValueInfoProto vi : gp.getValueInfoList()) {
            Value v = scope.get(vi.getName());
            if (v != null) {
                applyInfo(v, vi, v.type() == null || v.producer() != null);
                g.valueInfo().add(v);
            }
        }
        g.sortTopologically();
        return g;
    }

    private static void applyInfo(Value v, ValueInfoProto vi, boolean setType) {
        TensorType t = vi.hasType() ? TypeCodec.decode(vi.getType(), "value '" + vi.getName() + "'") : null;
        if (setType && t != null && !v.isConstant()) {
            v.setType(t);
        }
        if (!vi.getDocString().isEmpty()) {
            v.setDocString(vi.getDocString());
        }
        if (!vi.getUnknownFields().asMap().isEmpty()) {
            v.setUnknownFields(vi.getUnknownFields().toByteArray());
        }
    }
}
