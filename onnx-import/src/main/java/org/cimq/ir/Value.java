package org.cimq.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A named SSA value of a graph: produced by exactly one node output, or a graph input, or an
 * initializer (then {@link #constant()} is its tensor). Keeps its use list: every
 * (node, input index) that reads it. Use lists are maintained by {@link Node#setInput}.
 */
public final class Value {
    /** One use of a value: input {@code index} of {@code node}. */
    public record Use(Node node, int index) { }

    private String name;
    private TensorType type;
    private Node producer;
    private Tensor constant;
    private String docString = "";
    private byte[] unknownFields = new byte[0];
    private byte[] initializerUnknownFields = new byte[0];
    private final List<Use> uses = new ArrayList<>();

    public Value(String name, TensorType type) {
        this.name = name;
        this.type = type;
    }

    /** A constant value (an initializer) holding the given tensor. */
    public static Value constant(String name, Tensor t) {
        Value v = new Value(name, t.type());
        v.constant = t;
        return v;
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    /** The static type, or null when unknown. */
    public TensorType type() {
        return type;
    }

    public void setType(TensorType type) {
        this.type = type;
    }

    /** The node producing this value, or null for graph inputs and initializers. */
    public Node producer() {
        return producer;
    }

    void setProducer(Node producer) {
        this.producer = producer;
    }

    /** The tensor of an initializer (or a folded constant), else null. */
    public Tensor constant() {
        return constant;
    }

    public boolean isConstant() {
        return constant != null;
    }

    public void setConstant(Tensor constant) {
        this.constant = constant;
        if (constant != null) {
            this.type = constant.type();
        }
    }

    public List<Use> uses() {
        return Collections.unmodifiableList(uses);
    }

    void addUse(Node n, int index) {
        uses.add(new Use(n, index));
    }

    void removeUse(Node n, int index) {
        for (int i = 0; i < uses.size(); i++) {
            Use u = uses.get(i);
            if (u.node() == n && u.index() == index) {
                uses.remove(i);
                return;
            }
        }
    }

    public String docString() {
        return docString;
    }

    public void setDocString(String docString) {
        this.docString = docString == null ? "" : docString;
    }

    /** Serialized fields of this value's ValueInfoProto that cimq does not model. */
    public byte[] unknownFields() {
        return unknownFields;
    }

    public void setUnknownFields(byte[] b) {
        this.unknownFields = b;
    }

    /** Serialized fields of this initializer's TensorProto that cimq does not model. */
    public byte[] initializerUnknownFields() {
        return initializerUnknownFields;
    }

    public void setInitializerUnknownFields(byte[] b) {
        this.initializerUnknownFields = b;
    }

    @Override
    public String toString() {
        return name + ":" + type;
    }
}
