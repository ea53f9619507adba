package org.cimq.runtime.cim;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code CimBitPlanes}: a layer's integer input codes (shape S) to the digit planes its arrays
 * receive cycle by cycle, shape [P, S] ({@link InputMode}; attributes {@code bits},
 * {@code dac_bits}, {@code input_mode}). Computed once per layer and shared by its arrays.
 */
final class BitPlanesKernel implements Kernel {
    private final InputMode mode;
    private final int bits;
    private final int dacBits;

    BitPlanesKernel(Node node, int opset) {
        this.mode = InputMode.of(node);
        this.bits = (int) node.attrInt("bits", -1);
        this.dacBits = (int) node.attrInt("dac_bits", 1);
        if (bits < 1 || bits > 16 || dacBits < 1 || dacBits > bits) {
            throw new KernelException(node.describe() + ": need 1 <= bits <= 16 and 1 <= dac_bits <= bits, got bits "
                    + bits + ", dac_bits " + dacBits);
        }
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        return new INDArray[] {BitPlanes.of(inputs[0], mode, bits, dacBits)};
    }
}
