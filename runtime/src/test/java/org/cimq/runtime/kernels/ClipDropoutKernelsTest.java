package org.cimq.runtime.kernels;

import static org.cimq.runtime.kernels.ElementwiseTestArrays.assertBools;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.assertFloats;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.assertLongs;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.floats;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.ints;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.longs;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.node;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

class ClipDropoutKernelsTest {
    private static final long[] S = shape(5);

    private static INDArray x() {
        return floats(S, -3, -0.5f, 0, 1, 4);
    }

    @Test
    void clipOpset6ReadsAttributes() {
        Node n = node("Clip");
        n.setAttr("min", new Attr.FloatAttr(-1));
        n.setAttr("max", new Attr.FloatAttr(2));
        assertFloats(new ClipKernel(n, 6).run(new INDArray[] {x()})[0], S, -1, -0.5f, 0, 1, 2);
        Node onlyMax = node("Clip");
        onlyMax.setAttr("max", new Attr.FloatAttr(0.5f));
        assertFloats(new ClipKernel(onlyMax, 6).run(new INDArray[] {x()})[0], S, -3, -0.5f, 0, 0.5f, 0.5f);
        assertFloats(new ClipKernel(node("Clip"), 6).run(new INDArray[] {x()})[0], S, -3, -0.5f, 0, 1, 4);
    }

    @Test
    void clipOpset11ReadsOptionalInputs() {
        INDArray lo = floats(shape(), -1);
        INDArray hi = floats(shape(), 2);
        ClipKernel k = new ClipKernel(node("Clip"), 13);
        INDArray x = x();
        assertFloats(k.run(new INDArray[] {x, lo, hi})[0], S, -1, -0.5f, 0, 1, 2);
        assertFloats(x, S, -3, -0.5f, 0, 1, 4);
        assertFloats(k.run(new INDArray[] {x(), lo})[0], S, -1, -0.5f, 0, 1, 4);
        assertFloats(k.run(new INDArray[] {x(), null, hi})[0], S, -3, -0.5f, 0, 1, 2);
        assertFloats(k.run(new INDArray[] {x(), null, null})[0], S, -3, -0.5f, 0, 1, 4);
        assertFloats(k.run(new INDArray[] {x(), hi, lo})[0], S, -1, -1, -1, -1, -1);
    }

    @Test
    void clipOnIntegers() {
        ClipKernel k = new ClipKernel(node("Clip"), 12);
        assertLongs(k.run(new INDArray[] {longs(S, -3, -1, 0, 1, 4), longs(shape(), -1), longs(shape(), 2)})[0],
                DataType.LONG, S, -1, -1, 0, 1, 2);
        INDArray bytes = ints(S, -3, -1, 0, 1, 100).castTo(DataType.BYTE);
        assertLongs(k.run(new INDArray[] {bytes, null, ints(shape(), 5).castTo(DataType.BYTE)})[0], DataType.BYTE, S, -3, -1, 0, 1, 5);
        assertThrows(KernelException.class, () -> k.run(new INDArray[] {longs(S, 1, 2, 3, 4, 5), floats(shape(), 1)}));
    }

    @Test
    void dropoutPassesTheInputThrough() {
        INDArray x = x();
        INDArray[] out = new DropoutKernel(node("Dropout"), 13).run(new INDArray[] {x});
        assertEquals(1, out.length);
        assertSame(x, out[0]);
    }

    @Test
    void dropoutMaskIsAllTrueFromOpset10() {
        INDArray x = floats(shape(2, 2), 1, 2, 3, 4);
        INDArray[] out = new DropoutKernel(node("Dropout", 2), 13).run(new INDArray[] {x, floats(shape(), 0.5f), null});
        assertSame(x, out[0]);
        assertBools(out[1], shape(2, 2), true, true, true, true);
        INDArray[] old = new DropoutKernel(node("Dropout", 2), 7).run(new INDArray[] {x});
        assertFloats(old[1], shape(2, 2), 1, 1, 1, 1);
    }

    @Test
    void dropoutTrainingModeIsRejected() {
        INDArray x = x();
        DropoutKernel k = new DropoutKernel(node("Dropout"), 12);
        assertSame(x, k.run(new INDArray[] {x, null, Nd4j.scalar(false)})[0]);
        KernelException e = assertThrows(KernelException.class, () -> k.run(new INDArray[] {x, null, Nd4j.scalar(true)}));
        assertTrue(e.getMessage().contains("training_mode"), e.getMessage());
    }
}
