package org.cimq.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.cimq.ir.DType;
import org.cimq.ir.Tensor;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Conversions between IR {@link Tensor}s and ND4J arrays (always C order, any rank incl. 0 and empty). */
public final class NdArrays {
    private NdArrays() {
    }

    public static DataType toNd4j(DType t) {
        return switch (t) {
            case FLOAT -> DataType.FLOAT;
            case DOUBLE -> DataType.DOUBLE;
            case FLOAT16 -> DataType.HALF;
            case BFLOAT16 -> DataType.BFLOAT16;
            case INT8 -> DataType.BYTE;
            case UINT8 -> DataType.UBYTE;
            case INT16 -> DataType.SHORT;
            case UINT16 -> DataType.UINT16;
            case INT32 -> DataType.INT;
            case UINT32 -> DataType.UINT32;
            case INT64 -> DataType.LONG;
            case UINT64 -> DataType.UINT64;
            case BOOL -> DataType.BOOL;
            default -> throw new KernelException("tensor element type " + t + " is not supported by the runtime");
        };
    }

    public static DType fromNd4j(DataType t) {
        return switch (t) {
            case FLOAT -> DType.FLOAT;
            case DOUBLE -> DType.DOUBLE;
            case HALF -> DType.FLOAT16;
            case BFLOAT16 -> DType.BFLOAT16;
            case BYTE -> DType.INT8;
            case UBYTE -> DType.UINT8;
            case SHORT -> DType.INT16;
            case UINT16 -> DType.UINT16;
            case INT -> DType.INT32;
            case UINT32 -> DType.UINT32;
            case LONG -> DType.INT64;
            case UINT64 -> DType.UINT64;
            case BOOL -> DType.BOOL;
            default -> throw new KernelException("ND4J type " + t + " has no ONNX equivalent");
        };
    }

    /** A new ND4J array with the tensor's type, shape and values. */
    public static INDArray fromTensor(Tensor t) {
        DataType dt = toNd4j(t.dtype());
        long[] shape = t.shape();
        if (dt == DataType.BOOL && t.numel() > 0) {
            // ND4J does not read raw bytes into BOOL buffers faithfully: go through UBYTE
            return fromTensor(Tensor.ofRaw(org.cimq.ir.DType.UINT8, shape, t.rawData())).castTo(DataType.BOOL);
        }
        if (dt == DataType.BFLOAT16 && t.numel() > 0) {
            // ND4J misreads raw bfloat16 buffers: widen to float, then let ND4J narrow
            return Nd4j.create(t.toFloatArray(), shape, 'c').castTo(DataType.BFLOAT16);
        }
        if (t.numel() == 0) {
            return Nd4j.create(dt, shape);
        }
        ByteBuffer raw = t.rawView();
        ByteBuffer direct = ByteBuffer.allocateDirect(raw.remaining()).order(ByteOrder.nativeOrder());
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new KernelException("big-endian hosts are not supported");
        }
        direct.put(raw);
        direct.rewind();
        int n = Math.toIntExact(t.numel());
        org.nd4j.linalg.api.buffer.DataBuffer buf = Nd4j.createBuffer(direct, dt, n);
        return Nd4j.create(buf, shape, Nd4j.getStrides(shape, 'c'), 0, 'c');
    }

    /** The array's values as an IR tensor (copied, C order). */
    public static Tensor toTensor(INDArray a) {
        DType dt = fromNd4j(a.dataType());
        long[] shape = a.shape();
        long n = Tensor.numel(shape);
        if (n == 0) {
            return Tensor.ofRaw(dt, shape, new byte[0]);
        }
        if (dt == DType.BOOL) {
            return Tensor.ofRaw(DType.BOOL, shape, toTensor(a.castTo(DataType.UBYTE)).rawData());
        }
        INDArray c = a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
        ByteBuffer bb = c.data().asNio();
        bb = bb.duplicate().order(ByteOrder.nativeOrder());
        int bytes = Math.toIntExact(n * dt.byteSize());
        long offset = c.offset() * dt.byteSize();
        byte[] out = new byte[bytes];
        bb.position(Math.toIntExact(offset));
        bb.get(out, 0, bytes);
        return Tensor.ofRaw(dt, shape, out);
    }

    /**
     * Whether {@code a} is float32 laid out in c order over the whole of its buffer (strides of
     * size-1 axes aside): what native code may read or write at the buffer's address, and what
     * the executor may hand on as an output array. A reshape of such an array counts; a slice of
     * a larger one does not.
     */
    public static boolean isDenseFloat(INDArray a) {
        if (a.dataType() != DataType.FLOAT || a.offset() != 0 || a.data().length() != a.length()) {
            return false;
        }
        long[] shape = a.shape();
        long[] stride = a.stride();
        long step = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != step) {
                return false;
            }
            step *= shape[d];
        }
        return true;
    }

    /**
     * The values of {@code a} as float32 in c order, in a new Java array, copied in one bulk move (ND4J's
     * {@code data().asFloat()} moves them one by one); a view, another order or another type is made a plain
     * float32 copy first.
     */
    public static float[] toFloats(INDArray a) {
        INDArray f = a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
        INDArray c = f.ordering() == 'c' && !f.isView() && f.offset() == 0 && f.data().length() == f.length() ? f : f.dup('c');
        long n = c.length();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("an array of " + n + " values does not fit one Java array");
        }
        float[] out = new float[(int) n];
        if (n == 0) {
            return out;
        }
        try {
            new FloatPointer(c.data().addressPointer()).get(out, 0, out.length);
        } finally {
            java.lang.ref.Reference.reachabilityFence(c); // the off-heap buffer must outlive the copy
        }
        return out;
    }

    /**
     * A new c-order float32 array of {@code shape} holding {@code v}, copied in one bulk move
     * ({@code Nd4j.create(float[], ...)} moves the values one by one: 1.4 ms instead of 0.7 ms for
     * a 100-image CIFAR-10 batch).
     */
    public static INDArray floats(float[] v, long[] shape) {
        INDArray z = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        if (z.length() != v.length) {
            throw new IllegalArgumentException(v.length + " values do not fill shape " + java.util.Arrays.toString(shape));
        }
        if (v.length > 0) {
            new FloatPointer(z.data().addressPointer()).put(v, 0, v.length);
        }
        return z;
    }
}
