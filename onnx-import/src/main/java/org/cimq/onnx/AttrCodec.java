package org.cimq.onnx;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cimq.ir.Attr;
import org.cimq.ir.Graph;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.Value;
import org.cimq.onnx.proto.OnnxSchema.AttributeProto;
import org.cimq.onnx.proto.OnnxSchema.AttributeProto.AttributeType;
import org.cimq.onnx.proto.OnnxSchema.GraphProto;
import org.cimq.onnx.proto.OnnxSchema.NodeProto;
import org.cimq.onnx.proto.OnnxSchema.TensorProto;

/**
 * Reads AttributeProtos into typed {@link Attr}s. The kind comes from the {@code type} field
 * or, in old files without it, from the one value field that is set.
 */
final class AttrCodec {
    private final TensorCodec tensors;
    private final GraphReader graphs;

    AttrCodec(TensorCodec tensors, GraphReader graphs) {
        this.tensors = tensors;
        this.graphs = graphs;
    }

    void readAll(NodeProto np, Node n, Map<String, Value> scope, int depth) {
        for (AttributeProto ap : np.getAttributeList()) {
            String where = n.describe() + " attribute '" + ap.getName() + "'";
            if (ap.getName().isEmpty()) {
                throw new OnnxFormatException(n.describe() + ": an attribute has no name");
            }
            if (n.hasAttr(ap.getName())) {
                throw new OnnxFormatException(where + " is given twice");
            }
            n.setAttr(ap.getName(), read(ap, where, scope, depth));
            if (!ap.getUnknownFields().asMap().isEmpty()) {
                n.attributeUnknownFields().put(ap.getName(), ap.getUnknownFields().toByteArray());
            }
        }
    }

    private Attr read(AttributeProto ap, String where, Map<String, Value> scope, int depth) {
        AttributeType type = ap.hasType() && ap.getType() != AttributeType.UNDEFINED ? ap.getType() : inferType(ap, where);
        return switch (type) {
            case FLOAT -> new Attr.FloatAttr(ap.getF());
            case INT -> new Attr.IntAttr(ap.getI());
            case STRING -> new Attr.StringAttr(ap.getS().toByteArray());
            case TENSOR -> new Attr.TensorAttr(tensors.decode(ap.getT(), where));
            case GRAPH -> new Attr.GraphAttr(graphs.read(ap.getG(), scope, depth + 1));
            case FLOATS -> new Attr.FloatsAttr(ap.getFloatsList());
            case INTS -> new Attr.IntsAttr(ap.getIntsList());
            case STRINGS -> new Attr.StringsAttr(ap.getStringsList().stream().map(ByteString::toStringUtf8).toList());
            case TENSORS -> {
                List<Tensor> ts = new ArrayList<>();
                for (TensorProto tp : ap.getTensorsList()) {
                    ts.add(tensors.decode(tp, where));
                }
                yield new Attr.TensorsAttr(ts);
            }
            case GRAPHS -> {
                List<Graph> gs = new ArrayList<>();
                for (GraphProto gp : ap.getGraphsList()) {
                    gs.add(graphs.read(gp, scope, depth + 1));
                }
                yield new Attr.GraphsAttr(gs);
            }
            default -> new Attr.Opaque(type.getNumber(), ap.toByteArray());
        };
    }

    private static AttributeType inferType(AttributeProto ap, String where) {
        if (ap.hasF()) {
            return AttributeType.FLOAT;
        } else if (ap.hasI()) {
            return AttributeType.INT;
        } else if (ap.hasS()) {
            return AttributeType.STRING;
        } else if (ap.hasT()) {
            return AttributeType.TENSOR;
        } else if (ap.hasG()) {
            return AttributeType.GRAPH;
        } else if (ap.getFloatsCount() > 0) {
            return AttributeType.FLOATS;
        } else if (ap.getIntsCount() > 0) {
            return AttributeType.INTS;
        } else if (ap.getStringsCount() > 0) {
            return AttributeType.STRINGS;
        } else if (ap.getTensorsCount() > 0) {
            return AttributeType.TENSORS;
        } else if (ap.getGraphsCount() > 0) {
            return AttributeType.GRAPHS;
        }
        throw new OnnxFormatException(where + " has no type and no value");
    }

    /** Writes a typed attribute back to an AttributeProto. */
    static AttributeProto write(String name, Attr a, GraphWriter gw) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name);
        if (a instanceof Attr.FloatAttr f) {
            b.setType(AttributeType.FLOAT).setF(f.value());
        } else if (a instanceof Attr.IntAttr i) {
            b.setType(AttributeType.INT).setI(i.value());
        } else if (a instanceof Attr.StringAttr s) {
            b.setType(AttributeType.STRING).setS(ByteString.copyFrom(s.bytes()));
        } else if (a instanceof Attr.TensorAttr t) {
            b.setType(AttributeType.TENSOR).setT(TensorCodec.encode(t.value(), null));
        } else if (a instanceof Attr.GraphAttr g) {
            b.setType(AttributeType.GRAPH).setG(gw.write(g.value()));
        } else if (a instanceof Attr.FloatsAttr fs) {
            b.setType(AttributeType.FLOATS).addAllFloats(fs.values());
        } else if (a instanceof Attr.IntsAttr is) {
            b.setType(AttributeType.INTS).addAllInts(is.values());
        } else if (a instanceof Attr.StringsAttr ss) {
            b.setType(AttributeType.STRINGS).addAllStrings(ss.values().stream().map(ByteString::copyFromUtf8).toList());
        } else if (a instanceof Attr.TensorsAttr ts) {
            b.setType(AttributeType.TENSORS);
            ts.values().forEach(t -> b.addTensors(TensorCodec.encode(t, null)));
        } else if (a instanceof Attr.GraphsAttr gs) {
            b.setType(AttributeType.GRAPHS);
            gs.values().forEach(g -> b.addGraphs(gw.write(g)));
        } else if (a instanceof Attr.Opaque o) {
            try {
                return AttributeProto.parseFrom(o.attributeProto()).toBuilder().setName(name).build();
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new IllegalStateException("corrupt opaque attribute '" + name + "'", e);
            }
        }
        return b.build();
    }
}
