package org.cimq.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import java.util.Map;
import org.cimq.ir.Attr;
import org.cimq.ir.Graph;
import org.cimq.ir.Node;
import org.cimq.ir.Value;
import org.cimq.onnx.proto.OnnxSchema.AttributeProto;
import org.cimq.onnx.proto.OnnxSchema.GraphProto;
import org.cimq.onnx.proto.OnnxSchema.NodeProto;
import org.cimq.onnx.proto.OnnxSchema.TensorProto;
import org.cimq.onnx.proto.OnnxSchema.ValueInfoProto;

/** Writes a {@link Graph} to a GraphProto, restoring fields kept from the source file. */
final class GraphWriter {
    GraphProto write(Graph g) {
        GraphProto.Builder b = GraphProto.newBuilder();
        if (!g.name().isEmpty()) {
            b.setName(g.name());
        }
        if (!g.docString().isEmpty()) {
            b.setDocString(g.docString());
        }
        for (Value c : g.initializers().values()) {
            TensorProto.Builder tb = TensorCodec.encode(c.constant(), c.name()).toBuilder();
            if (!c.docString().isEmpty() && !g.inputs().contains(c)) {
                tb.setDocString(c.docString());
            }
            tb.setUnknownFields(unknown(c.initializerUnknownFields()));
            b.addInitializer(tb);
        }
        g.inputs().forEach(v -> b.addInput(valueInfo(v)));
        for (Node n : g.nodes()) {
            b.addNode(node(n));
        }
        g.outputs().forEach(v -> b.addOutput(valueInfo(v)));
        g.valueInfo().forEach(v -> b.addValueInfo(valueInfo(v)));
        b.setUnknownFields(unknown(g.unknownFields()));
        return b.build();
    }

    private NodeProto node(Node n) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(n.opType());
        if (!n.name().isEmpty()) {
            b.setName(n.name());
        }
        if (!n.domain().isEmpty()) {
            b.setDomain(n.domain());
        }
        if (!n.docString().isEmpty()) {
            b.setDocString(n.docString());
        }
        n.inputs().forEach(v -> b.addInput(v == null ? "" : v.name()));
        n.outputs().forEach(v -> b.addOutput(v == null ? "" : v.name()));
        for (Map.Entry<String, Attr> e : n.attributes().entrySet()) {
            AttributeProto ap = AttrCodec.write(e.getKey(), e.getValue(), this);
            byte[] extra = n.attributeUnknownFields().get(e.getKey());
            if (extra != null) {
                ap = ap.toBuilder().setUnknownFields(unknown(extra)).build();
            }
            b.addAttribute(ap);
        }
        b.setUnknownFields(unknown(n.unknownFields()));
        return b.build();
    }

    static ValueInfoProto valueInfo(Value v) {
        ValueInfoProto.Builder b = ValueInfoProto.newBuilder().setName(v.name());
        if (v.type() != null) {
            b.setType(TypeCodec.encode(v.type()));
        }
        if (!v.docString().isEmpty()) {
            b.setDocString(v.docString());
        }
        b.setUnknownFields(unknown(v.unknownFields()));
        return b.build();
    }

    static UnknownFieldSet unknown(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return UnknownFieldSet.getDefaultInstance();
        }
        try {
            return UnknownFieldSet.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt preserved unknown fields", e);
        }
    }
}
