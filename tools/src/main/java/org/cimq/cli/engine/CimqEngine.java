package org.cimq.cli.engine;

import java.nio.file.Path;
import org.cimq.data.Batch;
import org.cimq.ir.Model;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.cimq.runtime.ModelLoader;
import org.cimq.runtime.Executor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * cimq's {@link Executor} over the imported and cleaned-up model ({@link ModelLoader}), standard
 * kernels (CIM ops included), or over a model already in memory such as a freshly built CIM model.
 */
public final class CimqEngine implements Engine {
    private final Executor executor;
    private final Value input;
    private final int threads;
    private final int requestedThreads;

    CimqEngine(Path model, int threads) {
        this(ModelLoader.load(model), model, threads);
    }

    /** An engine over {@code model} as it is; {@code source} names it in errors. */
    public static Engine of(Model model, Path source, int threads) {
        return new CimqEngine(model, source, threads);
    }

    CimqEngine(Model model, Path file, int threads) {
        if (model.graph().inputs().size() != 1) {
            throw new EngineException(file + ": the model takes " + model.graph().inputs().size()
                    + " inputs, expected one image input");
        }
        this.requestedThreads = threads;
        this.threads = Nd4jThreads.apply(threads);
        this.input = model.graph().inputs().get(0);
        this.executor = new Executor(model);
    }

    @Override
    public String name() {
        return "cimq";
    }

    @Override
    public String describe() {
        String limited = threads < requestedThreads
                ? " (" + requestedThreads + " asked; ND4J's pool was sized by OMP_NUM_THREADS at start-up)" : "";
        return "cimq (ND4J, " + threads + " threads" + limited + ")";
    }

    @Override
    public String inputName() {
        return input.name();
    }

    @Override
    public long[] inputShape() {
        TensorType t = input.type();
        return t == null || !t.hasRank() ? null : t.shapeOrMinusOne();
    }

    @Override
    public Logits run(Batch batch) {
        INDArray y = executor.run(batch.toNdArray())[0];
        float[] values = y.castTo(DataType.FLOAT).dup('c').data().asFloat();
        return Logits.of(values, batch.count(), y.shape());
    }

    @Override
    public void close() {
    }
}
