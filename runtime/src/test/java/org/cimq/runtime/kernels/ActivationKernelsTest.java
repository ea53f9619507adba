package org.cimq.runtime.kernels;

import static org.cimq.runtime.kernels.ElementwiseTestArrays.assertFloats;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.assertLongs;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.floats;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.ints;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.longs;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.node;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.shape;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cimq.ir.Attr;
import org.cimq.ir.Node;
import org.cimq.runtime.KernelException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ActivationKernelsTest {
    private static final long[] S = shape(5);

    private static INDArray x() {
        return floats(S, -3, -0.5f, 0, 1, 4);
    }

    private static INDArray[] in(INDArray a) {
        return new INDArray[] {a};
    }

    @Test
    void relu() {
        INDArray x = x();
        assertFloats(new ReluKernel(node("Relu"), 14).run(in(x))[0], S, 0, 0, 0, 1, 4);
        assertFloats(x, S, -3, -0.5f, 0, 1, 4);
        assertLongs(new ReluKernel(node("Relu"), 14).run(in(longs(shape(3), -3, 0, 5)))[0], DataType.LONG, shape(3), 0, 0, 5);
        assertFloats(new ReluKernel(node("Relu"), 6).run(in(floats(shape(), -2)))[0], shape(), 0);
        assertFloats(new ReluKernel(node("Relu"), 6).run(in(Nd4j.create(DataType.FLOAT, 0, 3)))[0], shape(0, 3));
    }

    @Test
    void leakyReluDefaultAndExplicitAlpha() {
        assertFloats(new LeakyReluKernel(node("LeakyRelu"), 16).run(in(x()))[0], S, -0.03f, -0.005f, 0, 1, 4);
        Node n = node("LeakyRelu");
        n.setAttr("alpha", new Attr.FloatAttr(0.1f));
        assertFloats(new LeakyReluKernel(n, 6).run(in(x()))[0], S, -0.3f, -0.05f, 0, 1, 4);
    }

    @Test
    void sigmoidTanhExpSqrt() {
        assertFloats(new SigmoidKernel(node("Sigmoid"), 13).run(in(x()))[0], S, 0.04742587f, 0.37754067f, 0.5f, 0.73105858f, 0.98201379f);
        assertFloats(new TanhKernel(node("Tanh"), 13).run(in(x()))[0], S, -0.99505475f, -0.46211716f, 0, 0.76159416f, 0.9993293f);
        assertFloats(new ExpKernel(node("Exp"), 13).run(in(floats(shape(3), 0, 1, -1)))[0], shape(3), 1, 2.7182817f, 0.36787945f);
        assertFloats(new SqrtKernel(node("Sqrt"), 13).run(in(floats(shape(2, 2), 0, 1, 4, 2.25f)))[0], shape(2, 2), 0, 1, 2, 1.5f);
        assertTrue(Float.isNaN(new SqrtKernel(node("Sqrt"), 13).run(in(floats(shape(1), -1)))[0].getFloat(0)));
        KernelException e = assertThrows(KernelException.class,
                () -> new SigmoidKernel(node("Sigmoid"), 13).run(in(longs(shape(1), 1))));
        assertTrue(e.getMessage().contains("LONG"), e.getMessage());
    }

    @Test
    void roundHalvesToEvenAndFloor() {
        INDArray v = floats(shape(8), -2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 2.4f, -0.2f);
        assertFloats(new RoundKernel(node("Round"), 11).run(in(v))[0], shape(8), -2, -2, 0, 0, 2, 2, 2, 0);
        assertFloats(new FloorKernel(node("Floor"), 13).run(in(v))[0], shape(8), -3, -2, -1, 0, 1, 2, 2, -1);
        assertThrows(KernelException.class, () -> new RoundKernel(node("Round"), 11).run(in(longs(shape(1), 1))));
    }

    @Test
    void hardSigmoidDefaultsAndAttributes() {
        assertFloats(new HardSigmoidKernel(node("HardSigmoid"), 6).run(in(x()))[0], S, 0, 0.4f, 0.5f, 0.7f, 1);
        Node n = node("HardSigmoid");
        n.setAttr("alpha", new Attr.FloatAttr(0.5f));
        n.setAttr("beta", new Attr.FloatAttr(0.6f));
        assertFloats(new HardSigmoidKernel(n, 6).run(in(x()))[0], S, 0, 0.35f, 0.6f, 1, 1);
    }

    @Test
    void hardSwish() {
        assertFloats(new HardSwishKernel(node("HardSwish"), 14).run(in(x()))[0], S, 0, -0.20833333f, 0, 0.6666667f, 4);
    }

    @Test
    void negOnFloatsAndIntegers() {
        assertFloats(new NegKernel(node("Neg"), 13).run(in(x()))[0], S, 3, 0.5f, 0, -1, -4);
        assertLongs(new NegKernel(node("Neg"), 13).run(in(ints(shape(3), -3, 0, 5)))[0], DataType.INT, shape(3), 3, 0, -5);
    }

    @Test
    void identityReturnsItsInput() {
        INDArray x = x();
        assertSame(x, new IdentityKernel(node("Identity"), 16).run(in(x))[0]);
    }

    @Test
    void emptyInputsGiveEmptyOutputs() {
        INDArray e = Nd4j.create(DataType.FLOAT, 0, 3);
        long[] s = shape(0, 3);
        assertFloats(new SigmoidKernel(node("Sigmoid"), 13).run(in(e))[0], s);
        assertFloats(new LeakyReluKernel(node("LeakyRelu"), 16).run(in(e))[0], s);
        assertFloats(new HardSigmoidKernel(node("HardSigmoid"), 6).run(in(e))[0], s);
        assertFloats(new HardSwishKernel(node("HardSwish"), 14).run(in(e))[0], s);
        assertFloats(new NegKernel(node("Neg"), 13).run(in(e))[0], s);
        assertFloats(new ExpKernel(node("Exp"), 13).run(in(e))[0], s);
        assertLongs(new NegKernel(node("Neg"), 13).run(in(Nd4j.create(DataType.LONG, 0)))[0], DataType.LONG, shape(0));
        assertFloats(new ClipKernel(node("Clip"), 13).run(new INDArray[] {e, floats(shape(), 0), null})[0], s);
        assertFloats(new SoftmaxKernel(node("Softmax"), 13).run(in(e))[0], s);
        INDArray[] dropout = new DropoutKernel(node("Dropout", 2), 13).run(in(e));
        assertFloats(dropout[0], s);
        assertTrue(dropout[1].isEmpty() && dropout[1].dataType() == DataType.BOOL);
    }
}
