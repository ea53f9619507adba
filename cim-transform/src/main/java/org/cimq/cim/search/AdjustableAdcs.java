package org.cimq.cim.search;

import java.util.IdentityHashMap;
import java.util.Map;
import org.cimq.ir.Attr;
import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelFactory;
import org.cimq.runtime.KernelRegistry;
import org.cimq.runtime.StandardKernels;
import org.cimq.runtime.cim.CimOps;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The standard kernels, except that every {@code AdcQuantize} kernel can be given a new step
 * after the executor was built ({@link #setDelta}): the node's {@code delta} attribute is
 * replaced and the runtime's own AdcQuantize kernel is created again from the node, so the
 * quantizer is exactly the runtime's and one executor (with whatever its other kernels cached)
 * serves every candidate step. Only single-step ADC nodes (layer, network or array
 * granularity) can be changed.
 */
final class AdjustableAdcs {
    private final KernelFactory standard = StandardKernels.registry().find(CimOps.DOMAIN, CimOps.ADC, CimOps.VERSION);
    private final Map<Node, Slot> slots = new IdentityHashMap<>();

    /** The registry to build the executor with. */
    KernelRegistry registry() {
        KernelRegistry r = StandardKernels.registry();
        r.register(CimOps.DOMAIN, CimOps.ADC, CimOps.VERSION, (node, opset) -> {
            Slot s = new Slot(node, opset, standard.create(node, opset));
            slots.put(node, s);
            return s;
        });
        return r;
    }

    /** Sets the step of ADC node {@code adc} (of the model the executor runs) to {@code delta}, as float32. */
    void setDelta(Node adc, double delta) {
        Slot s = slots.get(adc);
        if (s == null) {
            throw new IllegalArgumentException(adc.describe() + " is not an AdcQuantize node of the executor's model");
        }
        if (adc.attrTensor("deltas") != null) {
            throw new IllegalArgumentException(adc.describe() + " has per-column steps; only a single step can be changed");
        }
        adc.setAttr("delta", new Attr.FloatAttr((float) delta));
        s.kernel = standard.create(adc, s.opset);
    }

    private static final class Slot implements Kernel {
        private final int opset;
        private Kernel kernel;

        Slot(Node node, int opset, Kernel kernel) {
            this.opset = opset;
            this.kernel = kernel;
        }

        @Override
        public INDArray[] run(INDArray[] inputs) {
            return kernel.run(inputs);
        }
    }
}
