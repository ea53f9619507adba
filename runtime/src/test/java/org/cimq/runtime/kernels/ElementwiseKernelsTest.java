package org.cimq.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.cimq.runtime.KernelRegistry;
import org.junit.jupiter.api.Test;

class ElementwiseKernelsTest {
    private static final List<String> FROM_7 = List.of("Add", "Sub", "Mul", "Div", "Pow", "Equal", "Min", "Max", "Sum",
            "Relu", "LeakyRelu", "Clip", "Sigmoid", "Tanh", "HardSigmoid", "Neg", "Sqrt", "Floor", "Exp", "Identity", "Dropout",
            "Softmax", "LogSoftmax");

    @Test
    void everyOpResolvesAcrossOpsets7To21() {
        KernelRegistry r = new KernelRegistry();
        ElementwiseKernels.registerAll(r);
        for (int opset = 7; opset <= 21; opset++) {
            for (String op : FROM_7) {
                assertNotNull(r.find("", op, opset), op + " at opset " + opset);
            }
            if (opset >= 9) {
                assertNotNull(r.find("", "Where", opset));
            }
            if (opset >= 11) {
                assertNotNull(r.find("", "Round", opset));
            }
            if (opset >= 14) {
                assertNotNull(r.find("", "HardSwish", opset));
            }
        }
        assertNull(r.find("", "Where", 8));
        assertNull(r.find("", "HardSwish", 13));
        assertNull(r.find("", "Round", 10));
        assertNull(r.find("", "Add", 6));
    }
}
