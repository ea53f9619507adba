package org.cimq.ir;

/**
 * Element types of ONNX tensors, with their TensorProto.DataType codes and sizes in bytes.
 * {@link #STRING} has no fixed size ({@code byteSize() == -1}).
 */
public enum DType {
    FLOAT(1, 4), UINT8(2, 1), INT8(3, 1), UINT16(4, 2), INT16(5, 2), INT32(6, 4), INT64(7, 8),
    STRING(8, -1), BOOL(9, 1), FLOAT16(10, 2), DOUBLE(11, 8), UINT32(12, 4), UINT64(13, 8),
    COMPLEX64(14, 8), COMPLEX128(15, 16), BFLOAT16(16, 2);

    private final int onnxCode;
    private final int byteSize;

    DType(int onnxCode, int byteSize) {
        this.onnxCode = onnxCode;
        this.byteSize = byteSize;
    }

    /** The TensorProto.DataType code. */
    public int onnxCode() {
        return onnxCode;
    }

    /** Bytes per element, or -1 for strings. */
    public int byteSize() {
        return byteSize;
    }

    public boolean isFloatingPoint() {
        return this == FLOAT || this == DOUBLE || this == FLOAT16 || this == BFLOAT16;
    }

    /** The type with this ONNX code; throws {@link IllegalArgumentException} naming the code otherwise. */
    public static DType fromOnnx(int code) {
        for (DType t : values()) {
            if (t.onnxCode == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown ONNX tensor element type " + code
                + " (expected 1-16, see TensorProto.DataType)");
    }
}
