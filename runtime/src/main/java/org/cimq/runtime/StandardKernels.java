package org.cimq.runtime;

import org.cimq.runtime.cim.CimOps;
import org.cimq.runtime.kernels.ElementwiseKernels;
import org.cimq.runtime.kernels.NnKernels;
import org.cimq.runtime.kernels.TensorKernels;

/** The registry of every kernel cimq ships: ONNX's default domain and cimq's CIM domain, listed explicitly. */
public final class StandardKernels {
    private StandardKernels() {
    }

    /** A fresh registry holding all standard kernels. */
    public static KernelRegistry registry() {
        KernelRegistry r = new KernelRegistry();
        NnKernels.registerAll(r);
        ElementwiseKernels.registerAll(r);
        TensorKernels.registerAll(r);
        CimOps.registerAll(r);
        return r;
    }
}
