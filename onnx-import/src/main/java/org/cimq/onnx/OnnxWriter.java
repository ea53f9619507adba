package org.cimq.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.cimq.ir.Model;
import org.cimq.onnx.proto.OnnxSchema.ModelProto;
import org.cimq.onnx.proto.OnnxSchema.OperatorSetId;
import org.cimq.onnx.proto.OnnxSchema.StringStringEntry;

/** Writes the IR as an ONNX file (atomically: the target appears only when complete). */
public final class OnnxWriter {
    private OnnxWriter() {
    }

    public static ModelProto toProto(Model m) {
        ModelProto.Builder b = ModelProto.newBuilder().setIrVersion(m.irVersion());
        for (Map.Entry<String, Long> e : m.opsetImports().entrySet()) {
            b.addOpsetImport(OperatorSetId.newBuilder().setDomain(e.getKey()).setVersion(e.getValue()));
        }
        if (!m.producerName().isEmpty()) {
            b.setProducerName(m.producerName());
        }
        if (!m.producerVersion().isEmpty()) {
            b.setProducerVersion(m.producerVersion());
        }
        if (!m.domain().isEmpty()) {
            b.setDomain(m.domain());
        }
        if (m.modelVersion() != 0) {
            b.setModelVersion(m.modelVersion());
        }
        if (!m.docString().isEmpty()) {
            b.setDocString(m.docString());
        }
        b.setGraph(new GraphWriter().write(m.graph()));
        for (Map.Entry<String, String> e : m.metadata().entrySet()) {
            b.addMetadataProps(StringStringEntry.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        b.setUnknownFields(GraphWriter.unknown(m.unknownFields()));
        return b.build();
    }

    public static byte[] toBytes(Model m) {
        return toProto(m).toByteArray();
    }

    public static void write(Model m, Path file) throws IOException {
        ModelProto p = toProto(m);
        AtomicFiles.write(file, p::writeTo);
    }
}
