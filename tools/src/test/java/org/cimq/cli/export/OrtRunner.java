package org.cimq.cli.export;

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
}
