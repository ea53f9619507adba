package org.cimq.runtime.cim;

import org.cimq.runtime.KernelRegistry;

/** cimq's op domain, its version, the op names in it, and their registration. */
public final class CimOps {
    /** The domain of cimq's CIM nodes, imported by transformed models at {@link #VERSION}. */
    public static final String DOMAIN = "org.cimq";
    public static final int VERSION = 1;
    public static final String QUANTIZE_INPUT = "CimQuantizeInput";
    public static final String BIT_PLANES = "CimBitPlanes";
    public static final String ARRAY = "CimArray";
    public static final String ADC = "AdcQuantize";
    public static final String SHIFT_ADD = "CimShiftAdd";
    /** A layer's arrays, ADCs and shift-add in one node, made by {@link CimLayerFusion} for execution only. */
    public static final String FUSED_LAYER = "CimFusedLayer";

    private CimOps() {
    }

    public static void registerAll(KernelRegistry r) {
        r.register(DOMAIN, QUANTIZE_INPUT, VERSION, QuantizeInputKernel::new);
        r.register(DOMAIN, BIT_PLANES, VERSION, BitPlanesKernel::new);
        r.register(DOMAIN, ARRAY, VERSION, CimArrayKernel::new);
        r.register(DOMAIN, ADC, VERSION, AdcQuantizeKernel::new);
        r.register(DOMAIN, SHIFT_ADD, VERSION, ShiftAddKernel::new);
        r.register(DOMAIN, FUSED_LAYER, VERSION, FusedLayerKernel::new);
    }
}
