package org.cimq.cim.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SGD with momentum and L2 weight decay, PyTorch's form (no dampening, not Nesterov), on every
 * parameter: {@code g ← grad + wd·w; v ← μ·v + g; w ← w − lr·v}, v starting at zero.
 * The velocities are the state a checkpoint keeps ({@link #state()}).
 */
public final class SgdMomentum implements Optimizer {
    private final double momentum;
    private final double weightDecay;
    private final Map<String, INDArray> velocity;

    public SgdMomentum(double momentum, double weightDecay, Map<String, INDArray> velocity) {
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.velocity = velocity == null ? new LinkedHashMap<>() : velocity;
    }

    /** Updates every parameter in place. */
    @Override
    public void step(Map<String, INDArray> params, Map<String, INDArray> grads, double lr) {
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            INDArray w = e.getValue();
            INDArray grad = grads.get(e.getKey());
            if (grad == null) {
                throw new TrainingException("no gradient for parameter '" + e.getKey() + "'");
            }
            INDArray g = weightDecay == 0 ? grad.dup() : grad.add(w.mul(weightDecay));
            INDArray v = velocity.get(e.getKey());
            if (v == null) {
                v = g;
                velocity.put(e.getKey(), v);
            } else {
                v.muli(momentum).addi(g);
            }
            w.subi(v.mul(lr));
        }
    }

    @Override
    public Map<String, INDArray> state() {
        return velocity;
    }

    /** Cosine schedule: lr·(1 + cos(π·step/total))/2 at global step {@code step} of {@code total}. */
    public static double cosine(double lr, long step, long total) {
        return 0.5 * lr * (1 + Math.cos(Math.PI * step / total));
    }
}
