package org.cimq.cim.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Global-norm gradient clipping (PyTorch's {@code clip_grad_norm_} with the L2 norm): when the L2 norm of all
 * gradients taken together exceeds {@code maxNorm}, every gradient is scaled by {@code maxNorm / norm}, so the step
 * keeps its direction and its length is bounded. With batch norm folded, a few large steps are what makes plain SGD
 * diverge at higher learning rates (RETRAINING-NOTES.md).
 */
final class GradientClipping {
    private GradientClipping() {
    }

    /** The L2 norm of all of {@code grads} together, summed in double. */
    static double norm(Map<String, INDArray> grads) {
        double sum = 0;
        for (INDArray g : grads.values()) {
            double n = g.norm2Number().doubleValue();
            sum += n * n;
        }
        return Math.sqrt(sum);
    }

    /** {@code grads} scaled to global norm {@code maxNorm} when their norm is larger (new arrays), else {@code grads}. */
    static Map<String, INDArray> clipped(Map<String, INDArray> grads, double maxNorm) {
        double norm = norm(grads);
        if (!(norm > maxNorm)) {
            return grads;
        }
        double scale = maxNorm / norm;
        Map<String, INDArray> out = new LinkedHashMap<>();
        grads.forEach((k, g) -> out.put(k, g.mul(scale)));
        return out;
    }
}
