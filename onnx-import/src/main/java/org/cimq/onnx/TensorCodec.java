package org.cimq.onnx;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cimq.ir.DType;
import org.cimq.ir.Tensor;
import org.cimq.onnx.proto.OnnxSchema.StringStringEntry;
import org.cimq.onnx.proto.OnnxSchema.TensorProto;

/**
 * Converts between TensorProto and {@link Tensor}: typed fields, little-endian raw_data and
 * external data (resolved relative to the model's folder and refused when it leaves it).
 * Sizes are checked against the declared shape before any large allocation.
 */
public final class TensorCodec {
    private final Path modelDir;
    private final ImportLimits limits;
    private long totalBytes;

    /** @param modelDir folder of the model file, or null when external data is not allowed */
    public TensorCodec(Path modelDir, ImportLimits limits) {
        this.modelDir = modelDir;
        this.limits = limits;
    }

    /** Decodes {@code p}; {@code where} names it in errors (e.g. "initializer 'w'"). */
    public Tensor decode(TensorProto p, String where) {
        if (!p.hasDataType() || p.getDataType() == 0) {
            throw new OnnxFormatException(where + ": tensor has no data_type");
        }
        DType dt;
        try {
            dt = DType.fromOnnx(p.getDataType());
        } catch (IllegalArgumentException e) {
            throw new OnnxFormatException(where + ": " + e.getMessage());
        }
        if (p.hasSegment()) {
            throw new OnnxFormatException(where + ": segmented tensors are not supported");
        }
        long[] shape = p.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long numel = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new OnnxFormatException(where + ": negative dimension in dims " + dimsText(shape));
            }
            try {
                numel = Math.multiplyExact(numel, d);
            } catch (ArithmeticException e) {
                throw new OnnxFormatException(where + ": dims " + dimsText(shape) + " overflow the element count");
            }
        }
        long bytes = dt == DType.STRING ? 0 : multiplyOrFail(numel, dt.byteSize(), where, shape);
        if (bytes > limits.maxTensorBytes()) {
            throw new OnnxFormatException(where + ": tensor of dims " + dimsText(shape) + " needs " + bytes
                    + " bytes, above the limit of " + limits.maxTensorBytes());
        }
        totalBytes += bytes;
        if (totalBytes > limits.maxTotalBytes()) {
            throw new OnnxFormatException(where + ": the model's tensors exceed the limit of " + limits.maxTotalBytes() + " bytes in all");
        }
        if (dt == DType.STRING) {
            if (p.getStringDataCount() != numel) {
                throw sizeMismatch(where, shape, numel, p.getStringDataCount() + " strings");
            }
            List<byte[]> s = new ArrayList<>();
            p.getStringDataList().forEach(b -> s.add(b.toByteArray()));
            return Tensor.ofStrings(shape, s);
        }
        if (p.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            return Tensor.ofRaw(dt, shape, readExternal(p, bytes, where));
        }
        if (p.hasRawData()) {
            if (p.getRawData().size() != bytes) {
                throw sizeMismatch(where, shape, numel, "raw_data of " + p.getRawData().size() + " bytes (" + bytes + " expected)");
            }
            return Tensor.ofRaw(dt, shape, p.getRawData().toByteArray());
        }
        return Tensor.ofRaw(dt, shape, fromTypedFields(p, dt, (int) numel, shape, where));
    }

    private static long multiplyOrFail(long numel, int size, String where, long[] shape) {
        try {
            return Math.multiplyExact(numel, (long) size);
        } catch (ArithmeticException e) {
            throw new OnnxFormatException(where + ": dims " + dimsText(shape) + " overflow the byte count");
        }
    }

    /** The dims as "[a, b, c]", cut after 8 entries (a hostile file may declare millions). */
    static String dimsText(long[] shape) {
        if (shape.length <= 8) {
            return Arrays.toString(shape);
        }
        return Arrays.toString(Arrays.copyOf(shape, 8)).replace("]", ", ... (" + shape.length + " dims)]");
    }

    private static OnnxFormatException sizeMismatch(String where, long[] shape, long numel, String got) {
        return new OnnxFormatException(where + ": dims " + dimsText(shape) + " declare " + numel + " elements but the tensor holds " + got);
    }

    private static byte[] fromTypedFields(TensorProto p, DType dt, int n, long[] shape, String where) {
        int have = switch (dt) {
            case FLOAT -> p.getFloatDataCount();
            case DOUBLE -> p.getDoubleDataCount();
            case INT64 -> p.getInt64DataCount();
            case UINT32, UINT64 -> p.getUint64DataCount();
            case INT32, INT16, INT8, UINT16, UINT8, BOOL, FLOAT16, BFLOAT16 -> p.getInt32DataCount();
            default -> throw new OnnxFormatException(where + ": " + dt + " tensors are not supported");
        };
        if (have != n) {
            throw sizeMismatch(where, shape, n, have + " typed values");
        }
        ByteBuffer b = ByteBuffer.allocate(n * dt.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            switch (dt) {
                case FLOAT -> b.putFloat(p.getFloatData(i));
                case DOUBLE -> b.putDouble(p.getDoubleData(i));
                case INT64 -> b.putLong(p.getInt64Data(i));
                case UINT64 -> b.putLong(p.getUint64Data(i));
                case UINT32 -> b.putInt((int) p.getUint64Data(i));
                case INT32 -> b.putInt(p.getInt32Data(i));
                case INT16, UINT16, FLOAT16, BFLOAT16 -> b.putShort((short) p.getInt32Data(i));
                default -> b.put((byte) p.getInt32Data(i));
            }
        }
        return b.array();
    }

    private byte[] readExternal(TensorProto p, long bytes, String where) {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntry e : p.getExternalDataList()) {
            try {
                switch (e.getKey()) {
                    case "location" -> location = e.getValue();
                    case "offset" -> offset = Long.parseLong(e.getValue());
                    case "length" -> length = Long.parseLong(e.getValue());
                    default -> { }
                }
            } catch (NumberFormatException ex) {
                throw new OnnxFormatException(where + ": external_data " + e.getKey() + " '" + e.getValue() + "' is not a number");
            }
        }
        if (location == null || location.isEmpty()) {
            throw new OnnxFormatException(where + ": external data without a 'location'");
        }
        if (modelDir == null) {
            throw new OnnxFormatException(where + ": external data '" + location + "' but the model was not read from a file");
        }
        Path rel = Path.of(location);
        if (rel.isAbsolute()) {
            throw new OnnxFormatException(where + ": external data location '" + location + "' is absolute; it must be relative to the model's folder");
        }
        Path file = modelDir.resolve(rel).normalize();
        if (!file.startsWith(modelDir.normalize())) {
            throw new OnnxFormatException(where + ": external data location '" + location + "' points outside the model's folder " + modelDir);
        }
        try {
            if (!Files.isRegularFile(file)) {
                throw new OnnxFormatException(where + ": external data file " + file + " does not exist");
            }
            Path real = file.toRealPath();
            if (!real.startsWith(modelDir.toRealPath(LinkOption.NOFOLLOW_LINKS).toRealPath())) {
                throw new OnnxFormatException(where + ": external data file " + file + " resolves outside the model's folder");
            }
            long size = Files.size(real);
            if (offset < 0 || (length >= 0 && length != bytes) || offset + bytes > size) {
                throw new OnnxFormatException(where + ": external data " + file + " (" + size + " bytes) has no " + bytes
                        + " bytes at offset " + offset + (length >= 0 ? " (declared length " + length + ")" : ""));
            }
            byte[] out = new byte[(int) bytes];
            try (RandomAccessFile raf = new RandomAccessFile(real.toFile(), "r")) {
                raf.seek(offset);
                raf.readFully(out);
            }
            return out;
        } catch (IOException e) {
            throw new OnnxFormatException(where + ": cannot read external data " + file + ": " + e.getMessage(), e);
        }
    }

    /** Encodes a tensor with raw_data (numeric) or string_data (strings). */
    public static TensorProto encode(Tensor t, String name) {
        TensorProto.Builder b = TensorProto.newBuilder().setDataType(t.dtype().onnxCode());
        for (long d : t.shape()) {
            b.addDims(d);
        }
        if (name != null && !name.isEmpty()) {
            b.setName(name);
        }
        if (t.dtype() == DType.STRING) {
            t.strings().forEach(s -> b.addStringData(ByteString.copyFrom(s)));
        } else {
            b.setRawData(ByteString.copyFrom(t.rawView()));
        }
        return b.build();
    }
}
