package org.cimq.runtime.kernels;

import java.util.Arrays;
import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * cimq's execution-only {@code ConvRelu} node ({@link ConvReluFusion} makes it): Relu(Conv(X, W, B))
 * or, with a fourth input A, Relu(Conv(X, W, B) + A); Conv's attributes. Where A has the
 * convolution's output shape and type, the add and the Relu run on each range of images right
 * after its convolution, by the thread that computed it ({@link ConvEpilogue}); otherwise (A
 * broadcast) the three steps run one after the other on whole arrays, as ONNX's Add and Relu
 * kernels. Both give the numbers the unfused nodes give: the same float add and max(x, 0).
 */
public final class ConvReluKernel implements Kernel {
    /** The domain of cimq's execution-only fused float nodes, imported at {@link #VERSION} by fused models. */
    public static final String DOMAIN = "org.cimq.exec";
    public static final int VERSION = 1;
    public static final String OP = "ConvRelu";

    private final ConvKernel conv;
    private final AddKernel add;
    private final ReluKernel relu;

    public ConvReluKernel(Node node, int opset) {
        this.conv = new ConvKernel(node, 11);
        this.add = new AddKernel(node, 14);
        this.relu = new ReluKernel(node, 14);
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray x = inputs[0];
        INDArray w = inputs[1];
        INDArray b = inputs.length > 2 ? inputs[2] : null;
        INDArray addend = inputs.length > 3 ? inputs[3] : null;
        if (addend == null) {
            return new INDArray[] {conv.convolve(x, w, b, (y, from, to) -> reluInPlace(y))};
        }
        long[] shape = conv.outputShape(x, w);
        if (!Arrays.equals(addend.shape(), shape) || addend.dataType() != x.dataType() || !x.dataType().isFPType()) {
            INDArray sum = add.run(new INDArray[] {conv.convolve(x, w, b, null), addend})[0];
            return relu.run(new INDArray[] {sum});
        }
        INDArray a4 = shape.length == 3 ? addend.reshape('c', shape[0], shape[1], 1, shape[2]) : addend;
        return new INDArray[] {conv.convolve(x, w, b, (y, from, to) -> {
            y.addi(a4.get(NDArrayIndex.interval(from, to)));
            reluInPlace(y);
        })};
    }

    private static void reluInPlace(INDArray y) {
        Nd4j.exec(new RectifiedLinear(y, y, 0.0));
    }
}
