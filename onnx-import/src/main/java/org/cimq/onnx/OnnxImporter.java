package org.cimq.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.cimq.ir.IrException;
import org.cimq.ir.Model;
import org.cimq.ir.Verifier;
import org.cimq.onnx.proto.OnnxSchema.ModelProto;
import org.cimq.onnx.proto.OnnxSchema.OperatorSetId;
import org.cimq.onnx.proto.OnnxSchema.StringStringEntry;

/**
 * Reads an ONNX file into the IR and checks it with the {@link Verifier}. Every failure is an
 * {@link OnnxFormatException} whose message starts with the file name and says what was wrong
 * and what was expected.
 */
public final class OnnxImporter {
    private static final int PROTO_RECURSION_LIMIT = 100;

    private OnnxImporter() {
    }

    /** Reads {@code file} under {@link ImportLimits#configured()}. */
    public static Model load(Path file) {
        return load(file, ImportLimits.configured());
    }

    public static Model load(Path file, ImportLimits limits) {
        String where = file.toString();
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new OnnxFormatException(where + ": no such file");
        } catch (IOException e) {
            throw new OnnxFormatException(where + ": cannot read: " + e.getMessage(), e);
        }
        if (Files.isDirectory(file)) {
            throw new OnnxFormatException(where + ": is a folder, expected an .onnx file");
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new OnnxFormatException(where + ": " + size + " bytes; files over 2 GiB must keep their weights as external data");
        }
        ModelProto proto;
        try (InputStream in = Files.newInputStream(file)) {
            proto = parse(in, where);
        } catch (IOException e) {
            throw new OnnxFormatException(where + ": cannot read: " + e.getMessage(), e);
        }
        Path dir = file.toAbsolutePath().getParent();
        return fromProto(proto, where, dir, limits);
    }

    /** Reads a model from bytes (external data is refused). */
    public static Model load(byte[] bytes, String name) {
        return fromProto(parse(bytes, name), name, null, ImportLimits.DEFAULT);
    }

    private static ModelProto parse(InputStream in, String where) throws IOException {
        CodedInputStream cis = CodedInputStream.newInstance(in);
        return parse(cis, where);
    }

    private static ModelProto parse(byte[] bytes, String where) {
        try {
            return parse(CodedInputStream.newInstance(bytes), where);
        } catch (IOException e) {
            throw new OnnxFormatException(where + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static ModelProto parse(CodedInputStream cis, String where) throws IOException {
        cis.setSizeLimit(Integer.MAX_VALUE);
        cis.setRecursionLimit(PROTO_RECURSION_LIMIT);
        try {
            ModelProto m = ModelProto.parseFrom(cis);
            cis.checkLastTagWas(0);
            return m;
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxFormatException(where + ": not a valid ONNX model (protobuf: " + e.getMessage() + ")", e);
        } catch (RuntimeException | StackOverflowError e) {
            throw new OnnxFormatException(where + ": not a valid ONNX model (" + e + ")", e);
        }
    }

    /** Converts a parsed ModelProto; {@code dir} is where external data is looked up (may be null). */
    public static Model fromProto(ModelProto proto, String where, Path dir, ImportLimits limits) {
        if (!proto.hasGraph()) {
            throw new OnnxFormatException(where + ": not an ONNX model: it has no graph (ModelProto field 7)");
        }
        if (proto.getOpsetImportCount() == 0 && proto.getIrVersion() == 0) {
            throw new OnnxFormatException(where + ": not an ONNX model: no ir_version and no opset_import");
        }
        try {
            GraphReader reader = new GraphReader(new TensorCodec(dir, limits), limits);
            Model m = new Model(reader.read(proto.getGraph(), null, 0));
            m.setIrVersion(proto.getIrVersion());
            for (OperatorSetId id : proto.getOpsetImportList()) {
                String d = id.getDomain().equals("ai.onnx") ? "" : id.getDomain();
                if (id.getVersion() <= 0 || id.getVersion() > Integer.MAX_VALUE) {
                    throw new OnnxFormatException("opset_import for domain '" + d + "' has version " + id.getVersion()
                            + ", expected 1.." + Integer.MAX_VALUE);
                }
                m.opsetImports().put(d, id.getVersion());
            }
            if (m.opsetImports().isEmpty()) {
                m.opsetImports().put("", 1L);
            }
            m.setProducerName(proto.getProducerName());
            m.setProducerVersion(proto.getProducerVersion());
            m.setDomain(proto.getDomain());
            m.setModelVersion(proto.getModelVersion());
            m.setDocString(proto.getDocString());
            for (StringStringEntry e : proto.getMetadataPropsList()) {
                m.metadata().put(e.getKey(), e.getValue());
            }
            m.setUnknownFields(proto.getUnknownFields().toByteArray());
            Verifier.verify(m);
            return m;
        } catch (OnnxFormatException e) {
            throw e.getMessage().startsWith(where) ? e : new OnnxFormatException(where + ": " + e.getMessage(), e);
        } catch (IrException e) {
            throw new OnnxFormatException(where + ": " + e.getMessage(), e);
        }
    }
}
