package org.cimq.cli.engine;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cimq.data.Batch;

/** ONNX Runtime on the CPU with {@code threads} intra-op threads (which sleep, not spin, between runs) and one inter-op thread. */
final class OrtEngine implements Engine {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String input;
    private final long[] inputShape;
    private final int threads;

    OrtEngine(Path model, int threads) {
        if (!Files.isRegularFile(model)) {
            throw new EngineException(model + ": no such file");
        }
        this.threads = threads;
        this.env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(threads);
            opts.setInterOpNumThreads(1);
            // ORT's intra-op threads spin-wait after each run by default; in a benchmark that alternates engines
            // batch by batch, that spin takes one of two cores from whichever engine runs next (measured on
            // ResNet-20, 2 cores: cimq 1350-1390 img/s behind a spinning ORT, 1545-1560 without), while ORT's
            // own speed is the same either way (2217-2333 vs 2242-2267 img/s)
            opts.addConfigEntry("session.intra_op.allow_spinning", "0");
            this.session = env.createSession(model.toString(), opts);
            if (session.getNumInputs() != 1) {
                session.close();
                throw new EngineException(model + ": the model takes " + session.getNumInputs() + " inputs, expected one image input");
            }
            Map.Entry<String, NodeInfo> in = session.getInputInfo().entrySet().iterator().next();
            this.input = in.getKey();
            this.inputShape = in.getValue().getInfo() instanceof TensorInfo t ? t.getShape() : null;
        } catch (OrtException e) {
            throw new EngineException(model + ": onnxruntime cannot load it: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "ort";
    }

    @Override
    public String describe() {
        return "ort (ONNX Runtime " + env.getVersion() + ", " + threads + " intra-op threads, no spin-wait)";
    }

    @Override
    public String inputName() {
        return input;
    }

    @Override
    public long[] inputShape() {
        return inputShape == null ? null : inputShape.clone();
    }

    @Override
    public Logits run(Batch batch) {
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch.images()), batch.shape());
             OrtSession.Result r = session.run(Map.of(input, x))) {
            if (!(r.get(0) instanceof OnnxTensor y)) {
                throw new EngineException("onnxruntime: the model's first output is not a tensor");
            }
            FloatBuffer fb = y.getFloatBuffer();
            if (fb == null) {
                throw new EngineException("onnxruntime: the model's first output is " + y.getInfo().type + ", expected float");
            }
            float[] values = new float[fb.remaining()];
            fb.get(values);
            return Logits.of(values, batch.count(), y.getInfo().getShape());
        } catch (OrtException e) {
            throw new EngineException("onnxruntime: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new EngineException("onnxruntime: cannot close the session: " + e.getMessage(), e);
        }
    }
}
