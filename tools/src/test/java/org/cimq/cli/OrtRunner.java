package org.cimq.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.cimq.ir.Model;
import org.cimq.runtime.Executor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Runs a one-input model file with ONNX Runtime, and a model in memory with cimq's Executor, on the same floats. */
final class OrtRunner {
    private OrtRunner() {
    }

    /** ONNX Runtime's first output (flattened) for input {@code x} of shape {@code shape}. */
    static float[] ort(Path model, float[] x, long[] shape) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(model.toString(), opts);
                 OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
                 OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), in))) {
                FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                float[] out = new float[fb.remaining()];
                fb.get(out);
                return out;
            }
        }
    }

    /** cimq's first output (flattened) for input {@code x} of shape {@code shape}. */
    static float[] cimq(Model model, float[] x, long[] shape) {
        INDArray in = Nd4j.create(x.clone(), shape, 'c');
        return new Executor(model).run(in)[0].dup('c').data().asFloat();
    }

    /**
     * Asserts ONNX Runtime's logits agree with cimq's: max |difference| ≤ 1e-4 × max |logit| and the
     * same top-1 class in every row of {@code classes} logits; returns the max difference over max |logit|.
     */
    static double assertAgrees(float[] cimq, float[] ort, int classes, String what) {
        org.junit.jupiter.api.Assertions.assertEquals(cimq.length, ort.length, what + ": output sizes");
        double maxAbs = 0;
        double maxDiff = 0;
        for (int i = 0; i < cimq.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(cimq[i]));
            maxDiff = Math.max(maxDiff, Math.abs(cimq[i] - ort[i]));
        }
        double rel = maxAbs == 0 ? maxDiff : maxDiff / maxAbs;
        org.junit.jupiter.api.Assertions.assertTrue(maxDiff <= 1e-4 * maxAbs,
                what + ": max |difference| " + maxDiff + " exceeds 1e-4 x max |logit| " + maxAbs);
        for (int r = 0; r < cimq.length / classes; r++) {
            org.junit.jupiter.api.Assertions.assertEquals(argmax(cimq, r * classes, classes), argmax(ort, r * classes, classes),
                    what + ": top-1 of row " + r);
        }
        return rel;
    }

    static int argmax(float[] v, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[from + i] > v[from + best]) {
                best = i;
            }
        }
        return best;
    }
}
