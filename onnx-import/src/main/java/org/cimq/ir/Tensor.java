package org.cimq.ir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable dense tensor: element type, shape and data. Numeric data is held as
 * little-endian bytes in row-major order (ONNX's raw_data layout); string tensors hold one
 * byte string per element. Invariant: {@code data.length == numel * dtype.byteSize()}.
 */
public final class Tensor {
    private final DType dtype;
    private final long[] shape;
    private final byte[] data;
    private final List<byte[]> strings;

    private Tensor(DType dtype, long[] shape, byte[] data, List<byte[]> strings) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data;
        this.strings = strings;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in tensor shape " + Arrays.toString(shape));
            }
        }
        long n = numel(shape);
        if (dtype == DType.STRING) {
            if (strings.size() != n) {
                throw new IllegalArgumentException("string tensor of shape " + Arrays.toString(shape)
                        + " needs " + n + " elements, got " + strings.size());
            }
        } else if (data.length != n * dtype.byteSize()) {
            throw new IllegalArgumentException(dtype + " tensor of shape " + Arrays.toString(shape)
                    + " needs " + n * dtype.byteSize() + " bytes, got " + data.length);
        }
    }

    /** A tensor over little-endian raw bytes (taken, not copied). */
    public static Tensor ofRaw(DType dtype, long[] shape, byte[] littleEndian) {
        if (dtype == DType.STRING) {
            throw new IllegalArgumentException("string tensors are built with ofStrings");
        }
        return new Tensor(dtype, shape, littleEndian, null);
    }

    public static Tensor ofStrings(long[] shape, List<byte[]> values) {
        return new Tensor(DType.STRING, shape, new byte[0], List.copyOf(values));
    }

    public static Tensor ofFloats(long[] shape, float... values) {
        ByteBuffer b = buffer(values.length * 4L);
        b.asFloatBuffer().put(values);
        return new Tensor(DType.FLOAT, shape, b.array(), null);
    }

    public static Tensor ofDoubles(long[] shape, double... values) {
        ByteBuffer b = buffer(values.length * 8L);
        b.asDoubleBuffer().put(values);
        return new Tensor(DType.DOUBLE, shape, b.array(), null);
    }

    public static Tensor ofLongs(long[] shape, long... values) {
        ByteBuffer b = buffer(values.length * 8L);
        b.asLongBuffer().put(values);
        return new Tensor(DType.INT64, shape, b.array(), null);
    }

    public static Tensor ofInts(long[] shape, int... values) {
        ByteBuffer b = buffer(values.length * 4L);
        b.asIntBuffer().put(values);
        return new Tensor(DType.INT32, shape, b.array(), null);
    }

    public static Tensor ofBools(long[] shape, boolean... values) {
        byte[] d = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = (byte) (values[i] ? 1 : 0);
        }
        return new Tensor(DType.BOOL, shape, d, null);
    }

    /** A rank-0 float tensor. */
    public static Tensor scalar(float v) {
        return ofFloats(new long[0], v);
    }

    /** A rank-0 int64 tensor. */
    public static Tensor scalar(long v) {
        return ofLongs(new long[0], v);
    }

    private static ByteBuffer buffer(long bytes) {
        return ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public DType dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long numel() {
        return numel(shape);
    }

    /** The raw little-endian bytes (a copy). */
    public byte[] rawData() {
        return data.clone();
    }

    /** The raw bytes as a read-only little-endian view (no copy). */
    public ByteBuffer rawView() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    public List<byte[]> strings() {
        if (dtype != DType.STRING) {
            throw new IllegalStateException("not a string tensor: " + dtype);
        }
        return strings;
    }

    /** Element i converted to double (any numeric type, float16 and bfloat16 included). */
    public double getDouble(int i) {
        ByteBuffer b = rawView();
        return switch (dtype) {
            case FLOAT -> b.getFloat(i * 4);
            case DOUBLE -> b.getDouble(i * 8);
            case INT8 -> b.get(i);
            case UINT8 -> b.get(i) & 0xFF;
            case INT16 -> b.getShort(i * 2);
            case UINT16 -> b.getShort(i * 2) & 0xFFFF;
            case INT32 -> b.getInt(i * 4);
            case UINT32 -> b.getInt(i * 4) & 0xFFFFFFFFL;
            case INT64, UINT64 -> b.getLong(i * 8);
            case BOOL -> b.get(i) != 0 ? 1 : 0;
            case FLOAT16 -> HalfFloats.halfToFloat(b.getShort(i * 2));
            case BFLOAT16 -> Float.intBitsToFloat((b.getShort(i * 2) & 0xFFFF) << 16);
            default -> throw new IllegalStateException("no numeric value for " + dtype + " tensors");
        };
    }

    /** Element i converted to long (integers exactly; floats truncated toward zero). */
    public long getLong(int i) {
        return switch (dtype) {
            case INT64, UINT64 -> rawView().getLong(i * 8);
            default -> (long) getDouble(i);
        };
    }

    /** All elements converted to float. */
    public float[] toFloatArray() {
        int n = Math.toIntExact(numel());
        float[] out = new float[n];
        if (dtype == DType.FLOAT) {
            rawView().asFloatBuffer().get(out);
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = (float) getDouble(i);
            }
        }
        return out;
    }

    /** All elements converted to double. */
    public double[] toDoubleArray() {
        int n = Math.toIntExact(numel());
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = getDouble(i);
        }
        return out;
    }

    /** All elements converted to long. */
    public long[] toLongArray() {
        int n = Math.toIntExact(numel());
        long[] out = new long[n];
        if (dtype == DType.INT64) {
            rawView().asLongBuffer().get(out);
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = getLong(i);
            }
        }
        return out;
    }

    /** Same data, another shape with the same element count. */
    public Tensor reshape(long... newShape) {
        if (numel(newShape) != numel()) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
        }
        return new Tensor(dtype, newShape, data, strings);
    }

    public TensorType type() {
        return TensorType.of(dtype, shape);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Tensor t) || t.dtype != dtype || !Arrays.equals(t.shape, shape)) {
            return false;
        }
        if (dtype != DType.STRING) {
            return Arrays.equals(t.data, data);
        }
        for (int i = 0; i < strings.size(); i++) {
            if (!Arrays.equals(strings.get(i), t.strings.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + type();
    }
}
