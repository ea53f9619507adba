package org.cimq.runtime.kernels;

import static org.cimq.runtime.kernels.KernelTestSupport.assertArray;
import static org.cimq.runtime.kernels.KernelTestSupport.i;
import static org.cimq.runtime.kernels.KernelTestSupport.node;
import static org.cimq.runtime.kernels.KernelTestSupport.shape;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cimq.runtime.KernelException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** QuantizeLinear and DequantizeLinear: per-tensor, per-axis, rounding half to even, saturation, types. */
class QuantizeKernelsTest {
    @Test
    void quantizeRoundsHalfToEvenAndSaturates() {
        INDArray x = Nd4j.createFromArray(1f, 3f, 5f, -1f, 600f, -600f);
        INDArray y = new QuantizeLinearKernel(node("QuantizeLinear", 1), 13)
                .run(new INDArray[] {x, Nd4j.scalar(2f), Nd4j.scalar(DataType.UBYTE, 10)})[0];
        assertArray(y, DataType.UBYTE, shape(6), 10, 12, 12, 10, 255, 0);
        INDArray s = new QuantizeLinearKernel(node("QuantizeLinear", 1), 13)
                .run(new INDArray[] {x, Nd4j.scalar(2f), Nd4j.scalar(DataType.BYTE, -1)})[0];
        assertArray(s, DataType.BYTE, shape(6), -1, 1, 1, -1, 127, -128);
        INDArray d = new QuantizeLinearKernel(node("QuantizeLinear", 1), 10).run(new INDArray[] {Nd4j.createFromArray(7f), Nd4j.scalar(2f)})[0];
        assertArray(d, DataType.UBYTE, shape(1), 4);
    }

    @Test
    void quantizePerAxis() {
        INDArray x = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}});
        INDArray y = new QuantizeLinearKernel(node("QuantizeLinear", 1, "axis", i(0)), 13)
                .run(new INDArray[] {x, Nd4j.createFromArray(1f, 0.5f), Nd4j.createFromArray((byte) 0, (byte) 1)})[0];
        assertArray(y, DataType.BYTE, shape(2, 2), 1, 2, 7, 9);
        assertThrows(KernelException.class, () -> new QuantizeLinearKernel(node("QuantizeLinear", 1, "block_size", i(2)), 21));
        assertThrows(KernelException.class, () -> new QuantizeLinearKernel(node("QuantizeLinear", 1, "output_dtype", i(17)), 21));
    }

    @Test
    void dequantizePerTensorPerAxisAndInt32() {
        INDArray q = Nd4j.createFromArray(0f, 10f, 255f).castTo(DataType.UBYTE);
        assertArray(new DequantizeLinearKernel(node("DequantizeLinear", 1), 13)
                .run(new INDArray[] {q, Nd4j.scalar(0.5f), Nd4j.scalar(10f).castTo(DataType.UBYTE)})[0], DataType.FLOAT, shape(3), -5, 0, 122.5);
        INDArray m = Nd4j.createFromArray(new byte[][] {{1, -2}, {3, 4}});
        assertArray(new DequantizeLinearKernel(node("DequantizeLinear", 1), 13)
                .run(new INDArray[] {m, Nd4j.createFromArray(2f, 0.5f), Nd4j.createFromArray((byte) 1, (byte) 0)})[0],
                DataType.FLOAT, shape(2, 2), 0, -1, 4, 2);
        assertArray(new DequantizeLinearKernel(node("DequantizeLinear", 1), 10)
                .run(new INDArray[] {Nd4j.createFromArray(-3, 100000), Nd4j.scalar(0.25f)})[0], DataType.FLOAT, shape(2), -0.75, 25000);
    }
}
