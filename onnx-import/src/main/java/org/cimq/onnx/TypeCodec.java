package org.cimq.onnx;

import java.util.ArrayList;
import java.util.List;
import org.cimq.ir.DType;
import org.cimq.ir.Dim;
import org.cimq.ir.TensorType;
import org.cimq.onnx.proto.OnnxSchema.TensorShapeProto;
import org.cimq.onnx.proto.OnnxSchema.TypeProto;

/** Converts between TypeProto (tensor types only) and {@link TensorType}. */
final class TypeCodec {
    private TypeCodec() {
    }

    /** The tensor type, or null when the proto holds no tensor type (unknown or non-tensor). */
    static TensorType decode(TypeProto t, String where) {
        if (!t.hasTensorType()) {
            return null;
        }
        TypeProto.Tensor tt = t.getTensorType();
        DType dt = null;
        if (tt.hasElemType() && tt.getElemType() != 0) {
            try {
                dt = DType.fromOnnx(tt.getElemType());
            } catch (IllegalArgumentException e) {
                throw new OnnxFormatException(where + ": " + e.getMessage());
            }
        }
        List<Dim> dims = null;
        if (tt.hasShape()) {
            dims = new ArrayList<>();
            for (TensorShapeProto.Dimension d : tt.getShape().getDimList()) {
                if (d.hasDimValue()) {
                    if (d.getDimValue() < 0) {
                        throw new OnnxFormatException(where + ": negative dimension " + d.getDimValue() + " in its type");
                    }
                    dims.add(Dim.of(d.getDimValue()));
                } else if (d.hasDimParam() && !d.getDimParam().isEmpty()) {
                    dims.add(Dim.symbolic(d.getDimParam()));
                } else {
                    dims.add(Dim.UNKNOWN);
                }
            }
        }
        return new TensorType(dt, dims);
    }

    static TypeProto encode(TensorType t) {
        TypeProto.Tensor.Builder tt = TypeProto.Tensor.newBuilder();
        if (t.dtype() != null) {
            tt.setElemType(t.dtype().onnxCode());
        }
        if (t.dims() != null) {
            TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
            for (Dim d : t.dims()) {
                TensorShapeProto.Dimension.Builder db = TensorShapeProto.Dimension.newBuilder();
                if (d.isKnown()) {
                    db.setDimValue(d.value());
                } else if (d.param() != null) {
                    db.setDimParam(d.param());
                }
                s.addDim(db);
            }
            tt.setShape(s);
        }
        return TypeProto.newBuilder().setTensorType(tt).build();
    }
}
