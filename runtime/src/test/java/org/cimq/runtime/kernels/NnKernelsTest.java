package org.cimq.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.cimq.runtime.KernelRegistry;
import org.junit.jupiter.api.Test;

class NnKernelsTest {
    @Test
    void registersEveryOpForOpsetsSevenToTwentyOne() {
        KernelRegistry r = new KernelRegistry();
        NnKernels.registerAll(r);
        String[] ops = {"Conv", "Gemm", "MatMul", "BatchNormalization", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool"};
        for (String op : ops) {
            for (int opset = 7; opset <= 21; opset++) {
                assertNotNull(r.find("", op, opset), op + " at opset " + opset);
            }
        }
        assertNull(r.find("", "BatchNormalization", 6));
    }
}
