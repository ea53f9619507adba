package org.cimq.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.cimq.onnx.proto.OnnxSchema.AttributeProto;
import org.cimq.onnx.proto.OnnxSchema.GraphProto;
import org.cimq.onnx.proto.OnnxSchema.ModelProto;
import org.cimq.onnx.proto.OnnxSchema.NodeProto;
import org.cimq.onnx.proto.OnnxSchema.OperatorSetId;
import org.cimq.onnx.proto.OnnxSchema.TensorProto;
import org.cimq.onnx.proto.OnnxSchema.TensorShapeProto;
import org.cimq.onnx.proto.OnnxSchema.TypeProto;
import org.cimq.onnx.proto.OnnxSchema.ValueInfoProto;

/** Small hand-built ModelProtos for importer tests. */
final class ProtoFixtures {
    private ProtoFixtures() {
    }

    static ValueInfoProto floatInfo(String name, Object... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            s.addDim(d instanceof String p ? TensorShapeProto.Dimension.newBuilder().setDimParam(p)
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }

    static NodeProto node(String op, String name, String[] in, String[] out, AttributeProto... attrs) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(op).setName(name);
        for (String i : in) {
            b.addInput(i);
        }
        for (String o : out) {
            b.addOutput(o);
        }
        for (AttributeProto a : attrs) {
            b.addAttribute(a);
        }
        return b.build();
    }

    static TensorProto rawFloats(String name, long[] dims, float... v) {
        ByteBuffer bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            bb.putFloat(f);
        }
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(1).setRawData(ByteString.copyFrom(bb.array()));
        for (long d : dims) {
            b.addDims(d);
        }
        return b.build();
    }

    /** x[batch,2] → Relu → y, with an initializer w[2] added to it. */
    static ModelProto.Builder reluAddModel() {
        GraphProto g = GraphProto.newBuilder().setName("g")
                .addInput(floatInfo("x", "batch", 2))
                .addInitializer(rawFloats("w", new long[] {2}, 1f, -1f))
                .addNode(node("Relu", "relu", new String[] {"x"}, new String[] {"r"}))
                .addNode(node("Add", "add", new String[] {"r", "w"}, new String[] {"y"}))
                .addOutput(floatInfo("y", "batch", 2))
                .build();
        return ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetId.newBuilder().setDomain("").setVersion(13))
                .setProducerName("test").setGraph(g);
    }
}
