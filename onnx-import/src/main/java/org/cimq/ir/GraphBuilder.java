package org.cimq.ir;

import java.util.Map;

/**
 * Builds small models in code (tests, synthetic graphs). Names are generated where not given.
 * <pre>{@code
 * GraphBuilder b = new GraphBuilder(13);
 * Value x = b.input("x", TensorType.of(DType.FLOAT, 1, 4));
 * Value w = b.constant("w", Tensor.ofFloats(new long[] {4, 2}, ...));
 * b.output(b.op("MatMul", x, w));
 * Model m = b.build();
 * }</pre>
 */
public final class GraphBuilder {
    private final Graph graph = new Graph("graph");
    private final Model model = new Model(graph);
    private int counter;

    /** A builder for a model importing ONNX's default domain at {@code opset}. */
    public GraphBuilder(long opset) {
        model.opsetImports().put("", opset);
        model.setProducerName("cimq-graph-builder");
    }

    public Model model() {
        return model;
    }

    public Value input(String name, TensorType type) {
        Value v = new Value(name, type);
        graph.inputs().add(v);
        return v;
    }

    public Value constant(String name, Tensor t) {
        Value v = Value.constant(name, t);
        graph.addInitializer(v);
        return v;
    }

    /** Adds a node with one output and no attributes; returns its output. */
    public Value op(String opType, Value... inputs) {
        return node(opType, Map.of(), 1, inputs).output(0);
    }

    /** Adds a node with one output and the given attributes; returns its output. */
    public Value op(String opType, Map<String, Attr> attrs, Value... inputs) {
        return node(opType, attrs, 1, inputs).output(0);
    }

    /** Adds a node in the default domain with {@code outputs} outputs (null inputs = absent). */
    public Node node(String opType, Map<String, Attr> attrs, int outputs, Value... inputs) {
        return node("", opType, attrs, outputs, inputs);
    }

    /** Adds a node in {@code domain}, which must have been imported with {@link #importDomain}. */
    public Node node(String domain, String opType, Map<String, Attr> attrs, int outputs, Value... inputs) {
        int id = counter++;
        Node n = new Node(opType.toLowerCase() + "_" + id, opType, domain);
        for (Value in : inputs) {
            n.addInput(in);
        }
        for (int i = 0; i < outputs; i++) {
            n.addOutput(new Value(n.name() + "_out" + i, null));
        }
        attrs.forEach(n::setAttr);
        graph.addNode(n);
        return n;
    }

    public GraphBuilder importDomain(String domain, long version) {
        model.opsetImports().put(domain, version);
        return this;
    }

    /** Marks {@code v} as a graph output, optionally renaming it and giving it a type. */
    public GraphBuilder output(Value v, String name, TensorType type) {
        if (name != null) {
            v.setName(name);
        }
        if (type != null) {
            v.setType(type);
        }
        graph.outputs().add(v);
        return this;
    }

    public GraphBuilder output(Value v) {
        return output(v, null, null);
    }

    public Model build() {
        graph.sortTopologically();
        return model;
    }
}
