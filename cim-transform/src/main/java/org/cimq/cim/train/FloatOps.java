package org.cimq.cim.train;

import java.util.Arrays;
import java.util.List;
import org.cimq.cim.MappedLayer;
import org.cimq.ir.Node;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;

/**
 * ONNX ops of a prepared model as SameDiff ops, explicitly listed: Conv (2-D, group 1), Gemm,
 * MatMul (rank 2), Relu, Add, Sub, Mul, Div, MaxPool, AveragePool (2-D, floor rounding,
 * symmetric pads), GlobalAveragePool, Flatten, Reshape (to the inferred shape), Identity,
 * Dropout, Slice (constant starts/ends/axes/positive steps on axes of static size, e.g. the
 * {@code x[:, :, ::2, ::2]} of a ResNet option-A shortcut) and Pad (constant mode, constant pads,
 * e.g. that shortcut's zero channels). Anything else is refused with the node's name.
 */
final class FloatOps {
    static final List<String> SUPPORTED = List.of("Conv", "Gemm", "MatMul", "Relu", "Add", "Sub", "Mul", "Div", "MaxPool",
            "AveragePool", "GlobalAveragePool", "Flatten", "Reshape", "Identity", "Dropout", "Slice", "Pad");
    private final SameDiff sd;
    private final CimLayerOps cim;

    FloatOps(SameDiff sd, CimLayerOps cim) {
        this.sd = sd;
        this.cim = cim;
    }

    SDVariable apply(Node n, List<SDVariable> in) {
        if (!n.domain().isEmpty()) {
            throw unsupported(n);
        }
        return switch (n.opType()) {
            case "Conv" -> {
                SDVariable w = sd.permute(in.get(1), 2, 3, 1, 0);
                var c = ConvAttrs.of(n, in.get(1).getShape());
                yield in.size() > 2 && in.get(2) != null ? sd.cnn().conv2d(in.get(0), w, in.get(2), c) : sd.cnn().conv2d(in.get(0), w, c);
            }
            case "Gemm" -> gemm(n, in);
            case "MatMul" -> sd.mmul(rank2(n, in.get(0)), in.get(1));
            case "Relu" -> sd.nn().relu(in.get(0), 0);
            case "Add" -> in.get(0).add(in.get(1));
            case "Sub" -> in.get(0).sub(in.get(1));
            case "Mul" -> in.get(0).mul(in.get(1));
            case "Div" -> in.get(0).div(in.get(1));
            case "MaxPool" -> sd.cnn().maxPooling2d(in.get(0), pool(n, Pooling2D.Pooling2DType.MAX));
            case "AveragePool" -> sd.cnn().avgPooling2d(in.get(0), pool(n, Pooling2D.Pooling2DType.AVG));
            case "GlobalAveragePool" -> sd.mean(in.get(0), true, 2, 3);
            case "Flatten", "Reshape" -> sd.reshape(in.get(0), shapeOf(n));
            case "Identity", "Dropout" -> sd.identity(in.get(0));
            case "Slice" -> ShapeOps.slice(sd, n, in.get(0));
            case "Pad" -> ShapeOps.pad(sd, n, in.get(0));
            default -> throw unsupported(n);
        };
    }

    /** A mapped Conv, Gemm or MatMul on CIM arrays. */
    SDVariable mapped(Node n, MappedLayer l, List<SDVariable> in, LayerQuant q) {
        if (q == null) {
            throw new TrainingException(n.describe() + ": no input scale or ADC step for this mapped layer");
        }
        if (l.givenWeight() != null || l.givenInput() != null) {
            throw new TrainingException(n.describe() + ": QDQ layers cannot be retrained; give the float model");
        }
        switch (l.kind()) {
            case CONV -> {
                long[] out = shapeOf(n);
                SDVariable bias = in.size() > 2 && in.get(2) != null ? sd.reshape(in.get(2), 1, l.n(), 1, 1) : null;
                long[] ws = l.weight().shape().clone();
                long[] xs = n.input(0).type().shapeOrMinusOne();
                return cim.conv(in.get(0), xs, in.get(1), ws, bias, ConvAttrs.of(n, ws), out[2], out[3], q);
            }
            case GEMM -> {
                SDVariable w = n.attrInt("transB", 0) != 0 ? sd.transpose(in.get(1)) : in.get(1);
                return cim.matrix(rank2(n, in.get(0)), w, new long[] {l.k(), l.n()}, l.alpha(), gemmBias(n, in, l.n()), q);
            }
            default -> {
                return cim.matrix(rank2(n, in.get(0)), in.get(1), new long[] {l.k(), l.n()}, 1f, null, q);
            }
        }
    }

    /**
     * Refuses, naming the node, what {@link #apply} or {@link #mapped} would refuse (the ops and
     * attributes listed above; mapped layers of a QDQ model), without building anything.
     */
    static void checkSupported(Node n, MappedLayer mapped) {
        if (!n.domain().isEmpty() || !SUPPORTED.contains(n.opType())) {
            throw unsupported(n);
        }
        if (mapped != null && (mapped.givenWeight() != null || mapped.givenInput() != null)) {
            throw new TrainingException(n.describe() + ": QDQ layers cannot be retrained; give the float model");
        }
        switch (n.opType()) {
            case "Conv" -> ConvAttrs.of(n, n.input(1).isConstant() ? n.input(1).constant().shape() : new long[0]);
            case "Gemm" -> {
                if (n.attrInt("transA", 0) != 0) {
                    throw new TrainingException(n.describe() + ": Gemm with transA = 1 is not supported");
                }
                rank2(n, null);
            }
            case "MatMul" -> rank2(n, null);
            case "MaxPool" -> pool(n, Pooling2D.Pooling2DType.MAX);
            case "AveragePool" -> pool(n, Pooling2D.Pooling2DType.AVG);
            case "Flatten", "Reshape" -> shapeOf(n);
            case "Slice" -> ShapeOps.sliceSpec(n);
            case "Pad" -> {
                ShapeOps.padAmounts(n);
                ShapeOps.padValue(n);
            }
            default -> { }
        }
    }

    private SDVariable gemm(Node n, List<SDVariable> in) {
        if (n.attrInt("transA", 0) != 0) {
            throw new TrainingException(n.describe() + ": Gemm with transA = 1 is not supported");
        }
        SDVariable y = sd.mmul(in.get(0), in.get(1), false, n.attrInt("transB", 0) != 0, false);
        float alpha = n.attrFloat("alpha", 1f);
        if (alpha != 1f) {
            y = y.mul((double) alpha);
        }
        SDVariable c = in.size() > 2 ? in.get(2) : null;
        if (c != null) {
            float beta = n.attrFloat("beta", 1f);
            y = y.add(beta == 1f ? c : c.mul((double) beta));
        }
        return y;
    }

    private SDVariable gemmBias(Node n, List<SDVariable> in, int cols) {
        if (in.size() < 3 || in.get(2) == null) {
            return null;
        }
        float beta = n.attrFloat("beta", 1f);
        SDVariable c = in.get(2);
        long numel = n.input(2).constant().numel();
        if (numel != cols) {
            throw new TrainingException(n.describe() + ": Gemm's C must hold one value per output (" + cols + "), has " + numel);
        }
        c = sd.reshape(c, 1, cols);
        return beta == 1f ? c : c.mul((double) beta);
    }

    private static SDVariable rank2(Node n, SDVariable x) {
        Value v = n.input(0);
        if (v.type() == null || !v.type().hasRank() || v.type().rank() != 2) {
            throw new TrainingException(n.describe() + ": only rank-2 inputs are supported by retraining, got " + v.type());
        }
        return x;
    }

    static Pooling2DConfig pool(Node n, Pooling2D.Pooling2DType type) {
        long[] k = n.attrInts("kernel_shape", null);
        if (k == null || k.length != 2) {
            throw new TrainingException(n.describe() + ": only 2-D pooling is supported");
        }
        if (n.attrInt("ceil_mode", 0) != 0 || !n.attrString("auto_pad", "NOTSET").equals("NOTSET")) {
            throw new TrainingException(n.describe() + ": ceil_mode and auto_pad are not supported by retraining");
        }
        long[] pads = n.attrInts("pads", new long[] {0, 0, 0, 0});
        if (pads[0] != pads[2] || pads[1] != pads[3]) {
            throw new TrainingException(n.describe() + ": asymmetric pads " + Arrays.toString(pads) + " are not supported");
        }
        long[] s = n.attrInts("strides", new long[] {1, 1});
        long[] d = n.attrInts("dilations", new long[] {1, 1});
        boolean include = n.attrInt("count_include_pad", 0) != 0;
        return Pooling2DConfig.builder().kH(k[0]).kW(k[1]).sH(s[0]).sW(s[1]).pH(pads[0]).pW(pads[1]).dH(d[0]).dW(d[1])
                .type(type).paddingMode(PaddingMode.VALID).isNHWC(false)
                .divisor(include ? Pooling2D.Divisor.INCLUDE_PADDING : Pooling2D.Divisor.EXCLUDE_PADDING).build();
    }

    /** The output's inferred shape with a symbolic first (batch) axis as -1; every other axis must be known. */
    static long[] shapeOf(Node n) {
        TensorType t = n.output(0).type();
        if (t == null || !t.hasRank()) {
            throw new TrainingException(n.describe() + ": output shape unknown after shape inference");
        }
        long[] s = t.shapeOrMinusOne().clone();
        for (int i = 1; i < s.length; i++) {
            if (s[i] < 0) {
                throw new TrainingException(n.describe() + ": output axis " + i + " has no static size (" + t + ")");
            }
        }
        s[0] = -1;
        return s;
    }

    private static TrainingException unsupported(Node n) {
        return new TrainingException(n.describe() + ": op " + (n.domain().isEmpty() ? "" : n.domain() + ".") + n.opType()
                + " is not supported by retraining (supported: " + String.join(", ", SUPPORTED) + ")");
    }
}
