package org.cimq.cim.train;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Updates the parameters from their gradients, step by step; its state is what a checkpoint keeps. */
public interface Optimizer {
    /** Updates every parameter in place at learning rate {@code lr}. */
    void step(Map<String, INDArray> params, Map<String, INDArray> grads, double lr);

    /** The arrays the next step depends on besides the parameters (written into checkpoints, by name). */
    Map<String, INDArray> state();

    /** The optimizers retraining offers, by their command-line ids. */
    enum Kind {
        /** {@link SgdMomentum}. */
        SGD("sgd"),
        /** {@link AdamW}. */
        ADAM("adam");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /** The kind with this id, or null when there is none. */
        public static Kind byId(String id) {
            for (Kind k : values()) {
                if (k.id.equals(id)) {
                    return k;
                }
            }
            return null;
        }

        /** This optimizer with weight decay {@code wd} (and momentum for SGD), continuing from {@code state} (null: fresh). */
        public Optimizer create(double momentum, double wd, Map<String, INDArray> state) {
            return this == SGD ? new SgdMomentum(momentum, wd, state) : new AdamW(wd, state);
        }
    }
}
