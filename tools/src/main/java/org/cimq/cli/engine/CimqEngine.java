package org.cimq.cli.engine;

import java.nio.file.Path;
import org.cimq.cim.CimModelBuilder;
import org.cimq.data.Batch;
import org.cimq.ir.Model;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cimq.runtime.BatchParallelExecutor;
import org.cimq.runtime.BatchSeparability;
import org.cimq.runtime.ModelLoader;
import org.cimq.runtime.Executor;
import org.cimq.runtime.kernels.FloatConvNative;
import org.cimq.runtime.cim.CimLayerFusion;
import org.cimq.runtime.cim.CimOps;
import org.cimq.runtime.cim.CimThreads;
import org.cimq.runtime.kernels.ConvReluFusion;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * cimq's {@link Executor} over the imported and cleaned-up model ({@link ModelLoader}), standard
 * kernels (CIM ops included), or over a model already in memory such as a freshly built CIM model.
 * CIM layers run on the bit-packed {@code CimFusedLayer} kernel ({@link CimLayerFusion}, applied
 * to a copy so the caller's model is unchanged) unless reference kernels are asked for; both
 * give bit-identical results. Conv → Relu and Conv → Add → Relu run as one fused node
 * ({@link ConvReluFusion}, also on the copy), with the same numbers. With two or more threads and a
 * graph that computes every image on its own, each batch is cut into one part per thread
 * ({@link BatchParallelExecutor}); {@link #describe} says which way runs.
 */
public final class CimqEngine implements Engine {
    private final Executor executor;
    private final BatchParallelExecutor parallel;
    private final String whySerial;
    private final Value input;
    private final int threads;
    private final int requestedThreads;
    private final int fusedLayers;

    CimqEngine(Path model, int threads) {
        this(ModelLoader.load(model), model, threads, false);
    }

    /** An engine over {@code model} as it is; {@code source} names it in errors. */
    public static Engine of(Model model, Path source, int threads) {
        return new CimqEngine(model, source, threads, false);
    }

    /** As {@link #of(Model, Path, int)}; {@code referenceKernels} keeps CIM layers on the plain per-array kernels. */
    public static Engine of(Model model, Path source, int threads, boolean referenceKernels) {
        return new CimqEngine(model, source, threads, referenceKernels);
    }

    CimqEngine(Model model, Path file, int threads, boolean referenceKernels) {
        if (model.graph().inputs().size() != 1) {
            throw new EngineException(file + ": the model takes " + model.graph().inputs().size()
                    + " inputs, expected one image input");
        }
        this.requestedThreads = threads;
        this.threads = Nd4jThreads.apply(threads);
        CimThreads.set(this.threads);
        Model run = model;
        int fused = 0;
        if (!referenceKernels && model.opsetImports().containsKey(CimOps.DOMAIN)) {
            run = CimModelBuilder.copy(model);
            CimLayerFusion fusion = new CimLayerFusion();
            fusion.run(run);
            fused = fusion.fusedLayers().size();
        }
        if (run == model && run.graph().nodes().stream().anyMatch(n -> n.opType().equals("Conv"))) {
            run = CimModelBuilder.copy(model);
        }
        new ConvReluFusion().run(run);
        this.fusedLayers = fused;
        this.input = run.graph().inputs().get(0);
        Optional<String> why = this.threads > 1 ? BatchSeparability.whyNot(run) : Optional.of("one thread");
        this.whySerial = why.orElse(null);
        if (why.isEmpty()) {
            List<Model> copies = new ArrayList<>();
            copies.add(run);
            for (int i = 1; i < this.threads; i++) {
                copies.add(CimModelBuilder.copy(run));
            }
            this.parallel = new BatchParallelExecutor(copies);
            this.executor = null;
        } else {
            this.parallel = null;
            this.executor = new Executor(run);
        }
    }

    @Override
    public String name() {
        return "cimq";
    }

    @Override
    public String describe() {
        String limited = threads < requestedThreads
                ? " (" + requestedThreads + " asked; ND4J's pool was sized by OMP_NUM_THREADS at start-up)" : "";
        String kernels = fusedLayers > 0 ? ", " + fusedLayers + " CIM layers on the bit-packed kernel" : "";
        String split = parallel != null ? ", the batch cut into " + parallel.parts() + " parts run side by side"
                : threads > 1 ? ", each op split over the threads (batch not cut: " + whySerial + ")" : "";
        return "cimq (ND4J, " + threads + " threads" + limited + split + kernels + ", conv " + FloatConvNative.status() + ")";
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
        INDArray y = parallel != null ? parallel.run(batch.toNdArray())[0]
                : org.cimq.runtime.OpenMpThreads.single(() -> executor.run(batch.toNdArray())[0]);
        float[] values = y.castTo(DataType.FLOAT).dup('c').data().asFloat();
        return Logits.of(values, batch.count(), y.shape());
    }

    @Override
    public void close() {
    }
}
