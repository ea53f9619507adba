package org.cimq.cim.search;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
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
 * The standard kernels, except that the ADC steps of every {@code AdcQuantize} node and of every
 * {@code CimFusedLayer} node ({@link org.cimq.runtime.cim.CimLayerFusion}) can be changed after
 * the executor was built: the node's step attribute ({@code delta} of the ADC node, entry t of
 * the fused node's per-array {@code deltas}) is replaced and the runtime's own kernel is created
 * again from the node, so the quantizer is exactly the runtime's (a fused kernel rebuilds its
 * weight masks and ADC tables on its next run) and one executor, with whatever its other kernels
 * cached, serves every candidate step. Only single steps (layer, network or array granularity)
 * can be changed, not per-column steps.
 */
final class AdjustableAdcs {
    private final Map<Node, Slot> slots = new IdentityHashMap<>();

    /** The registry to build the executor with. */
    KernelRegistry registry() {
        KernelRegistry r = StandardKernels.registry();
        for (String op : List.of(CimOps.ADC, CimOps.FUSED_LAYER)) {
            KernelFactory standard = r.find(CimOps.DOMAIN, op, CimOps.VERSION);
            r.register(CimOps.DOMAIN, op, CimOps.VERSION, (node, opset) -> {
                Slot s = new Slot(standard, opset, standard.create(node, opset));
                slots.put(node, s);
                return s;
            });
        }
        return r;
    }

    /** Sets the step of ADC node {@code adc} (of the model the executor runs) to {@code delta}, as float32. */
    void setDelta(Node adc, double delta) {
        Slot s = slot(adc, CimOps.ADC);
        if (adc.attrTensor("deltas") != null) {
            throw new IllegalArgumentException(adc.describe() + " has per-column steps; only a single step can be changed");
        }
        adc.setAttr("delta", new Attr.FloatAttr((float) delta));
        s.kernel = s.factory.create(adc, s.opset);
    }

    /** Sets the step of array {@code array} of fused layer node {@code fused} to {@code delta}, as float32. */
    void setDelta(Node fused, int array, double delta) {
        Slot s = slot(fused, CimOps.FUSED_LAYER);
        float[] old = fused.attrFloats("deltas", null);
        if (old == null || fused.attrInt("levels", 0) < 2) {
            throw new IllegalArgumentException(fused.describe() + " has no single step per array (no ADC, or per-column steps)");
        }
        if (array < 0 || array >= old.length) {
            throw new IllegalArgumentException(fused.describe() + ": array " + array + " out of 0.." + (old.length - 1));
        }
        if (old[array] == (float) delta) {
            return;
        }
        List<Float> deltas = new ArrayList<>();
        for (int t = 0; t < old.length; t++) {
            deltas.add(t == array ? (float) delta : old[t]);
        }
        fused.setAttr("deltas", new Attr.FloatsAttr(deltas));
        s.kernel = s.factory.create(fused, s.opset);
    }

    private Slot slot(Node n, String op) {
        Slot s = slots.get(n);
        if (s == null || !n.opType().equals(op)) {
            throw new IllegalArgumentException(n.describe() + " is not an " + op + " node of the executor's model");
        }
        return s;
    }

    private static final class Slot implements Kernel {
        private final KernelFactory factory;
        private final int opset;
        private Kernel kernel;

        Slot(KernelFactory factory, int opset, Kernel kernel) {
            this.factory = factory;
            this.opset = opset;
            this.kernel = kernel;
        }

        @Override
        public INDArray[] run(INDArray[] inputs) {
            return kernel.run(inputs);
        }
    }
}
