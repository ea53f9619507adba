package org.cimq.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cimq.ir.Tensor;
import org.cimq.onnx.proto.OnnxSchema.TensorProto;

/** Reads and writes single serialized TensorProto files (ONNX test data's {@code input_0.pb}). */
public final class TensorFiles {
    private TensorFiles() {
    }

    /** The tensor in {@code file}, whose TensorProto name is ignored. */
    public static Tensor read(Path file) {
        try {
            TensorProto p = TensorProto.parseFrom(Files.readAllBytes(file));
            return new TensorCodec(file.toAbsolutePath().getParent(), ImportLimits.DEFAULT).decode(p, file.toString());
        } catch (IOException e) {
            throw new OnnxFormatException(file + ": not a readable TensorProto: " + e.getMessage(), e);
        }
    }

    /** The name stored in the TensorProto of {@code file} ("" if none). */
    public static String readName(Path file) {
        try {
            return TensorProto.parseFrom(Files.readAllBytes(file)).getName();
        } catch (IOException e) {
            throw new OnnxFormatException(file + ": not a readable TensorProto: " + e.getMessage(), e);
        }
    }

    public static void write(Tensor t, String name, Path file) throws IOException {
        TensorProto p = TensorCodec.encode(t, name);
        AtomicFiles.write(file, p::writeTo);
    }
}
