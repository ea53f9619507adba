package org.cimq.cim.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter's AdamW, PyTorch's form), β1 = 0.9, β2 = 0.999, ε = 1e-8:
 * {@code w ← w·(1 − lr·wd); m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²;
 * w ← w − lr·(m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)}, m and v starting at zero, t counting steps from 1.
 *
 * <p>Why retraining offers it: with batch normalisation folded into the convolutions (CIM-SPEC) the layers' weights and
 * gradients differ in scale by orders of magnitude and nothing renormalises the activations, so one SGD learning rate
 * is too small for some layers while it already diverges others (RETRAINING-NOTES: lr 0.01 diverges even in float).
 * Adam's per-parameter normalisation makes the step size independent of each layer's gradient scale.
 *
 * <p>State (checkpointed, float32 like the weights): {@code m:NAME} and {@code v:NAME} per parameter and the step
 * count under {@link #STEPS}. The update runs in float32 (ND4J), the bias corrections in double.
 */
public final class AdamW implements Optimizer {
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPS = 1e-8;
    /** The state entry holding the number of steps taken (a one-element array). */
    static final String STEPS = "adam:steps";

    private final double weightDecay;
    private final Map<String, INDArray> state;

    public AdamW(double weightDecay, Map<String, INDArray> state) {
        this.weightDecay = weightDecay;
        this.state = state == null ? new LinkedHashMap<>() : state;
        if (!this.state.isEmpty() && !this.state.containsKey(STEPS)) {
            throw new TrainingException("the checkpoint holds no Adam state (was it written by SGD?)");
        }
    }

    @Override
    public void step(Map<String, INDArray> params, Map<String, INDArray> grads, double lr) {
        INDArray stepsArr = state.computeIfAbsent(STEPS, k -> Nd4j.create(new float[] {0f}, new long[] {1}, 'c'));
        double t = stepsArr.getDouble(0) + 1;
        stepsArr.putScalar(0, t);
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = 1 - Math.pow(BETA2, t);
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            INDArray w = e.getValue();
            INDArray g = grads.get(e.getKey());
            if (g == null) {
                throw new TrainingException("no gradient for parameter '" + e.getKey() + "'");
            }
            INDArray m = state.computeIfAbsent("m:" + e.getKey(), k -> Nd4j.zerosLike(w));
            INDArray v = state.computeIfAbsent("v:" + e.getKey(), k -> Nd4j.zerosLike(w));
            m.muli(BETA1).addi(g.mul(1 - BETA1));
            v.muli(BETA2).addi(g.mul(g).muli(1 - BETA2));
            if (weightDecay != 0) {
                w.muli(1 - lr * weightDecay);
            }
            INDArray denom = Transforms.sqrt(v.div(c2), false).addi(EPS);
            w.subi(m.div(c1).divi(denom).muli(lr));
        }
    }

    @Override
    public Map<String, INDArray> state() {
        return state;
    }
}
