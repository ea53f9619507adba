package org.cimq.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One operator application: op type and domain, ordered inputs and outputs, attributes.
 * An absent optional input or output is a null entry. Changing an input through
 * {@link #setInput} keeps the values' use lists right.
 */
public final class Node {
    private String name;
    private final String opType;
    private final String domain;
    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final Map<String, Attr> attributes = new LinkedHashMap<>();
    private final Map<String, byte[]> attributeUnknownFields = new LinkedHashMap<>();
    private String docString = "";
    private byte[] unknownFields = new byte[0];

    public Node(String name, String opType, String domain) {
        this.name = name == null ? "" : name;
        this.opType = opType;
        this.domain = domain == null ? "" : domain;
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String opType() {
        return opType;
    }

    /** The operator domain; "" (or "ai.onnx") is ONNX's default domain. */
    public String domain() {
        return domain;
    }

    /** "op 'name'" or "op #outputName" for messages. */
    public String describe() {
        String id = !name.isEmpty() ? "'" + name + "'"
                : outputs.isEmpty() || outputs.get(0) == null ? "<unnamed>" : "producing '" + outputs.get(0).name() + "'";
        return opType + " node " + id;
    }

    public List<Value> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public List<Value> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    /** Input i, or null if absent (omitted optional input or beyond the list). */
    public Value input(int i) {
        return i < inputs.size() ? inputs.get(i) : null;
    }

    public Value output(int i) {
        return i < outputs.size() ? outputs.get(i) : null;
    }

    public void addInput(Value v) {
        inputs.add(v);
        if (v != null) {
            v.addUse(this, inputs.size() - 1);
        }
    }

    public void setInput(int i, Value v) {
        while (inputs.size() <= i) {
            inputs.add(null);
        }
        Value old = inputs.get(i);
        if (old != null) {
            old.removeUse(this, i);
        }
        inputs.set(i, v);
        if (v != null) {
            v.addUse(this, i);
        }
    }

    /** Removes this node from the use lists of all its inputs. */
    public void dropInputs() {
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i) != null) {
                inputs.get(i).removeUse(this, i);
            }
        }
        inputs.clear();
    }

    public void addOutput(Value v) {
        outputs.add(v);
        if (v != null) {
            v.setProducer(this);
        }
    }

    public Map<String, Attr> attributes() {
        return attributes;
    }

    public void setAttr(String key, Attr a) {
        attributes.put(key, a);
    }

    public boolean hasAttr(String key) {
        return attributes.containsKey(key);
    }

    public Attr attr(String key) {
        return attributes.get(key);
    }

    public long attrInt(String key, long dflt) {
        Attr a = attributes.get(key);
        if (a == null) {
            return dflt;
        }
        if (a instanceof Attr.IntAttr i) {
            return i.value();
        }
        throw wrongKind(key, "int", a);
    }

    public float attrFloat(String key, float dflt) {
        Attr a = attributes.get(key);
        if (a == null) {
            return dflt;
        }
        if (a instanceof Attr.FloatAttr f) {
            return f.value();
        }
        if (a instanceof Attr.IntAttr i) {
            return i.value();
        }
        throw wrongKind(key, "float", a);
    }

    public String attrString(String key, String dflt) {
        Attr a = attributes.get(key);
        if (a == null) {
            return dflt;
        }
        if (a instanceof Attr.StringAttr s) {
            return s.text();
        }
        throw wrongKind(key, "string", a);
    }

    /** An ints attribute as an array, or {@code dflt} (may be null) when absent. */
    public long[] attrInts(String key, long[] dflt) {
        Attr a = attributes.get(key);
        if (a == null) {
            return dflt;
        }
        if (a instanceof Attr.IntsAttr i) {
            return i.toArray();
        }
        throw wrongKind(key, "ints", a);
    }

    public float[] attrFloats(String key, float[] dflt) {
        Attr a = attributes.get(key);
        if (a == null) {
            return dflt;
        }
        if (a instanceof Attr.FloatsAttr f) {
            float[] out = new float[f.values().size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = f.values().get(i);
            }
            return out;
        }
        throw wrongKind(key, "floats", a);
    }

    public Tensor attrTensor(String key) {
        Attr a = attributes.get(key);
        if (a == null) {
            return null;
        }
        if (a instanceof Attr.TensorAttr t) {
            return t.value();
        }
        throw wrongKind(key, "tensor", a);
    }

    private IllegalArgumentException wrongKind(String key, String expected, Attr got) {
        return new IllegalArgumentException(describe() + ": attribute '" + key + "' should be " + expected
                + ", got " + got.getClass().getSimpleName());
    }

    /** Serialized unmodelled fields of each attribute's AttributeProto, by attribute name. */
    public Map<String, byte[]> attributeUnknownFields() {
        return attributeUnknownFields;
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

    @Override
    public String toString() {
        return describe();
    }
}
