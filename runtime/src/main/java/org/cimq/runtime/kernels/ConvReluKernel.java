package org.cimq.runtime.kernels;

import java.util.Arrays;
import org.cimq.ir.Node;
import org.cimq.runtime.InPlaceKernel;
import org.cimq.runtime.KernelException;
import org.cimq.runtime.OutputReusingKernel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * cimq's execution-only {@code ConvRelu} node ({@link ConvReluFusion} makes it), Conv's
 * attributes. Inputs (X, W, B): Relu(Conv(X, W, B)). Inputs (A, X, W, B), attribute
 * {@code addend} = 1: Relu(Conv(X, W, B) + A). B may be absent. Where A has the convolution's
 * output shape and type, the add and the Relu run on each range of images right after its
 * convolution, by the thread that computed it; otherwise (A broadcast) the three steps run one
 * after the other on whole arrays, as ONNX's Add and Relu kernels. Run in place (first input
 * dead), the result overwrites A, or X when it has the output's shape, with no new array
 * ({@link ConvKernel#convolveInto}). On cimq's native convolution ({@link ConvKernel#convolveNative})
 * the add and the Relu run inside it, image by image. All ways give the numbers the unfused nodes
 * give: the same convolution, float add and max(x, 0).
 */
public final class ConvReluKernel implements InPlaceKernel, OutputReusingKernel {
    /** The domain of cimq's execution-only fused float nodes, imported at {@link #VERSION} by fused models. */
    public static final String DOMAIN = "org.cimq.exec";
    public static final int VERSION = 1;
    public static final String OP = "ConvRelu";

    private final ConvKernel conv;
    private final AddKernel add;
    private final ReluKernel relu;
    private final boolean withAddend;

    public ConvReluKernel(Node node, int opset) {
        this.conv = new ConvKernel(node, 11);
        this.add = new AddKernel(node, 14);
        this.relu = new ReluKernel(node, 14);
        this.withAddend = node.attrInt("addend", 0) == 1;
        int needed = withAddend ? 3 : 2;
        if (node.inputs().size() < needed || node.inputs().size() > needed + 1) {
            throw new KernelException(node.describe() + ": expected " + (withAddend ? "(A, X, W[, B])" : "(X, W[, B])")
                    + " inputs, got " + node.inputs().size());
        }
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        int at = withAddend ? 1 : 0;
        INDArray x = inputs[at];
        INDArray w = inputs[at + 1];
        INDArray b = inputs.length > at + 2 ? inputs[at + 2] : null;
        INDArray fused = conv.convolveNative(x, w, b, withAddend ? inputs[0] : null, true, null);
        if (fused != null) {
            return new INDArray[] {fused};
        }
        if (!withAddend) {
            return new INDArray[] {conv.convolve(x, w, b, (y, from, to) -> reluInPlace(y))};
        }
        INDArray addend = inputs[0];
        long[] shape = conv.outputShape(x, w);
        if (!Arrays.equals(addend.shape(), shape) || addend.dataType() != x.dataType() || !x.dataType().isFPType()) {
            INDArray y = conv.convolveNative(x, w, b, null, false, null);
            INDArray sum = add.run(new INDArray[] {y != null ? y : conv.convolve(x, w, b, null), addend})[0];
            return relu.run(new INDArray[] {sum});
        }
        INDArray a4 = shape.length == 3 ? addend.reshape('c', shape[0], shape[1], 1, shape[2]) : addend;
        return new INDArray[] {conv.convolve(x, w, b, (y, from, to) -> {
            y.addi(a4.get(NDArrayIndex.interval(from, to)));
            reluInPlace(y);
        })};
    }

    @Override
    public INDArray[] runInPlace(INDArray[] inputs) {
        int at = withAddend ? 1 : 0;
        INDArray target = inputs[0];
        INDArray x = inputs[at];
        INDArray b = inputs.length > at + 2 ? inputs[at + 2] : null;
        if (!target.dataType().isFPType()) {
            return run(inputs);
        }
        if (FloatConvNative.active()) {
            // natively into the target; where it declines (it cannot write over its own input x), null: the executor
            // then runs the node out of place, into a spare array where it has one, instead of a new array
            boolean done = conv.convolveNative(x, inputs[at + 1], b, withAddend ? target : null, true, target) != null;
            return done ? new INDArray[] {target} : null;
        }
        ConvMerge merge = withAddend
                ? (y, t) -> reluInPlace(t.addi(y))
                : (y, t) -> reluInPlace(t.assign(y));
        return conv.convolveInto(x, inputs[at + 1], b, target, merge) ? new INDArray[] {target} : run(inputs);
    }

    @Override
    public long[] reusableOutputShape(INDArray[] inputs) {
        int at = withAddend ? 1 : 0;
        return ConvKernel.floatOperands(inputs, at) && (!withAddend || inputs[0].dataType() == DataType.FLOAT)
                ? conv.outputShape(inputs[at], inputs[at + 1]) : null;
    }

    @Override
    public INDArray[] runInto(INDArray[] inputs, INDArray out) {
        int at = withAddend ? 1 : 0;
        INDArray b = inputs.length > at + 2 ? inputs[at + 2] : null;
        INDArray y = conv.convolveNative(inputs[at], inputs[at + 1], b, withAddend ? inputs[0] : null, true, out);
        return y == null ? null : new INDArray[] {out};
    }

    private static INDArray reluInPlace(INDArray y) {
        Nd4j.exec(new RectifiedLinear(y, y, 0.0));
        return y;
    }
}
