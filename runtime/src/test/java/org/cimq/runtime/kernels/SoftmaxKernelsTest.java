package org.cimq.runtime.kernels;

import static org.cimq.runtime.kernels.ElementwiseTestArrays.assertFloats;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.floats;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.node;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.shape;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cimq.ir.Attr;
import org.cimq.ir.Node;
import org.cimq.runtime.KernelException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class SoftmaxKernelsTest {
    private static final INDArray CUBE = floats(shape(2, 2, 2), 1, 2, 3, 4, 1, 1, 1, 1);

    private static INDArray softmax(int opset, Long axis, INDArray x) {
        Node n = node("Softmax");
        if (axis != null) {
            n.setAttr("axis", new Attr.IntAttr(axis));
        }
        return new SoftmaxKernel(n, opset).run(new INDArray[] {x})[0];
    }

    private static INDArray logSoftmax(int opset, Long axis, INDArray x) {
        Node n = node("LogSoftmax");
        if (axis != null) {
            n.setAttr("axis", new Attr.IntAttr(axis));
        }
        return new LogSoftmaxKernel(n, opset).run(new INDArray[] {x})[0];
    }

    @Test
    void opset13DefaultsToLastAxis() {
        assertFloats(softmax(13, null, floats(shape(2, 3), 1, 2, 3, 1, 1, 1)), shape(2, 3),
                0.09003057f, 0.24472847f, 0.66524096f, 1 / 3f, 1 / 3f, 1 / 3f);
    }

    @Test
    void opset13NormalisesAlongOneAxis() {
        assertFloats(softmax(13, 0L, floats(shape(2, 2), 1, 2, 3, 5)), shape(2, 2), 0.11920292f, 0.04742587f, 0.88079708f, 0.95257413f);
        assertFloats(softmax(13, 1L, CUBE), shape(2, 2, 2), 0.11920292f, 0.11920292f, 0.88079708f, 0.88079708f, 0.5f, 0.5f, 0.5f, 0.5f);
        assertFloats(softmax(13, -2L, CUBE), shape(2, 2, 2), 0.11920292f, 0.11920292f, 0.88079708f, 0.88079708f, 0.5f, 0.5f, 0.5f, 0.5f);
    }

    @Test
    void beforeOpset13TheTrailingDimensionsAreFlattened() {
        float[] expected = {0.0320586f, 0.08714432f, 0.23688282f, 0.64391426f, 0.25f, 0.25f, 0.25f, 0.25f};
        assertFloats(softmax(11, null, CUBE), shape(2, 2, 2), expected);
        assertFloats(softmax(1, 1L, CUBE), shape(2, 2, 2), expected);
        assertFloats(softmax(11, -2L, CUBE), shape(2, 2, 2), expected);
        assertFloats(softmax(11, 0L, floats(shape(2, 2), 0, 0, 0, 0)), shape(2, 2), 0.25f, 0.25f, 0.25f, 0.25f);
    }

    @Test
    void largeInputsDoNotOverflow() {
        assertFloats(softmax(13, null, floats(shape(1, 3), 10000, 10001, 10002)), shape(1, 3), 0.09003057f, 0.24472847f, 0.66524096f);
        assertFloats(logSoftmax(13, null, floats(shape(2), 1000, 1000)), shape(2), -0.6931472f, -0.6931472f);
        assertFloats(logSoftmax(13, null, floats(shape(2), 0, -200)), shape(2), 0, -200);
    }

    @Test
    void logSoftmaxInBothOpsetModes() {
        assertFloats(logSoftmax(13, null, floats(shape(3), 1, 2, 3)), shape(3), -2.40760596f, -1.40760596f, -0.40760596f);
        assertFloats(logSoftmax(11, 1L, CUBE), shape(2, 2, 2),
                -3.4401897f, -2.4401897f, -1.4401897f, -0.4401897f, -1.3862944f, -1.3862944f, -1.3862944f, -1.3862944f);
        assertFloats(logSoftmax(13, 1L, CUBE), shape(2, 2, 2),
                -2.126928f, -2.126928f, -0.126928f, -0.126928f, -0.6931472f, -0.6931472f, -0.6931472f, -0.6931472f);
    }

    @Test
    void axisOutOfRangeIsRejected() {
        assertThrows(KernelException.class, () -> softmax(13, 3L, CUBE));
        assertThrows(KernelException.class, () -> logSoftmax(11, -4L, CUBE));
    }
}
