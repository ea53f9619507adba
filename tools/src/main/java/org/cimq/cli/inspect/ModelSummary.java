package org.cimq.cli.inspect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cimq.ir.Dim;
import org.cimq.ir.Graph;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Value;

/**
 * What {@code cimq inspect} reports, shaped for JSON: graph interface (symbolic dimensions
 * by name, unknown ones as "?"), op counts over all nodes including subgraphs, parameters
 * (elements of floating-point initializers) and the CIM-mappable nodes.
 */
public record ModelSummary(String model, long irVersion, String producer, Map<String, Long> opsets,
                           List<Port> inputs, List<Port> outputs, int nodes, Map<String, Integer> ops,
                           long parameters, int initializers, List<MappableNode> mappable) {

    /** A graph input or output: element type and shape (numbers, names of symbolic dimensions, or "?"). */
    public record Port(String name, String dtype, List<Object> shape) {
        static Port of(Value v) {
            String dtype = v.type() == null || v.type().dtype() == null ? "?" : v.type().dtype().name().toLowerCase();
            List<Object> shape = null;
            if (v.type() != null && v.type().hasRank()) {
                shape = new ArrayList<>();
                for (Dim d : v.type().dims()) {
                    shape.add(d.isKnown() ? (Object) d.value() : d.toString());
                }
            }
            return new Port(v.name(), dtype, shape);
        }

        /** "float[batch,3,32,32]", or "float[?]" when the rank is unknown. */
        public String type() {
            return dtype + (shape == null ? "[?]" : shape.toString().replace(" ", ""));
        }
    }

    public static ModelSummary of(Path file, Model m) {
        Graph g = m.graph();
        Map<String, Integer> ops = new TreeMap<>();
        List<Node> all = g.allNodesRecursive();
        for (Node n : all) {
            String key = n.domain().isEmpty() || n.domain().equals("ai.onnx") ? n.opType() : n.domain() + ":" + n.opType();
            ops.merge(key, 1, Integer::sum);
        }
        long params = 0;
        for (Value v : g.initializers().values()) {
            if (v.constant().dtype().isFloatingPoint()) {
                params += v.constant().numel();
            }
        }
        Map<String, Long> opsets = new TreeMap<>();
        m.opsetImports().forEach((d, v) -> opsets.put(d.isEmpty() ? "ai.onnx" : d, v));
        String producer = (m.producerName() + " " + m.producerVersion()).strip();
        return new ModelSummary(file.toString(), m.irVersion(), producer, opsets,
                g.inputs().stream().map(Port::of).toList(), g.outputs().stream().map(Port::of).toList(),
                all.size(), ops, params, g.initializers().size(), CimMappable.find(g));
    }
}
