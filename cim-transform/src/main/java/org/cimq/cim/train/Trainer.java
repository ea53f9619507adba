package org.cimq.cim.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cimq.cim.MappedLayer;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.Granularity;
import org.cimq.cim.config.Quantizer;
import org.cimq.ir.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training loop: epochs of shuffled mini-batches (last one partial) through a step engine
 * chosen by {@link Backward} (a {@link TrainingGraph} whose mapped layers run on CIM arrays, or the
 * runtime's CIM model with fake-quantized gradients, {@link RuntimeCimStep}) at that epoch's ADC level count,
 * {@link SgdMomentum} on a cosine schedule over all steps, a checkpoint every
 * {@code checkpointEvery} steps, when a stop is requested, and at each epoch end after the
 * input scales and ADC steps were re-searched for the next epoch ({@link Recalibration}) — or
 * held ({@link #holdingQuantizer()}), or with the steps and/or input scales learned step by step ({@link #learningSteps},
 * {@link #learningInputScales}).
 * Targets are the labels, or mixed with a float teacher's probabilities ({@link #distilling}).
 * Starting from a checkpoint written by an uninterrupted run gives the same weights.
 */
public final class Trainer {
    /**
     * @param levels          ADC levels L of each epoch (0: no ADC)
     * @param checkpointEvery steps between checkpoints (0: only at epoch ends and on stop)
     * @param checkpoint      the checkpoint file, or null for none
     * @param backward        how each step computes its forward pass and gradients
     */
    public record Options(int epochs, int batch, double lr, double momentum, double weightDecay, long seed, int[] levels,
                          int checkpointEvery, Path checkpoint, String fingerprint, Backward backward) { }

    /** Loss and accuracy on the training batches of one epoch, its L and wall time. */
    public record EpochSummary(int epoch, int levels, double loss, double accuracy, double seconds) { }

    /** Told about progress; all methods may do nothing. */
    public interface Listener {
        void epochStart(int epoch, int levels, int steps, int firstStep, int images);

        void step(int images, double runningLoss, double runningAccuracy);

        void epochEnd(EpochSummary summary);

        void recalibrating(int epoch, int levels);

        /**
         * After epoch {@code summary.epoch()} and its checkpoint: the weights it ended with (the caller must not keep or
         * change them). Default: nothing.
         */
        default void epochSaved(EpochSummary summary, Parameters params) {
        }

        /** As {@link #epochSaved(EpochSummary, Parameters)}, with the input scales and steps the next epoch starts from. */
        default void epochSaved(EpochSummary summary, Parameters params, Map<String, LayerQuant> quant) {
            epochSaved(summary, params);
        }
    }

    /** The trained parameters, the input scales and steps of the last epoch, and the epochs run here. */
    public record Result(Parameters params, Map<String, LayerQuant> quant, List<EpochSummary> epochs) { }

    private final Model prepared;
    private final List<MappedLayer> layers;
    private final CimConfig cfg;
    private final Options opt;
    private RuntimeCimForward runtimeForward;
    private FakeQuantBackward fakeQuantBackward;
    private Distillation distillation;
    private boolean holdQuantizer;
    private double stepLr;
    private double scaleLr;
    private double clipNorm;
    private Optimizer.Kind optimizer = Optimizer.Kind.SGD;
    private java.util.function.Consumer<Map<String, INDArray>> constraint;

    public Trainer(Model prepared, List<MappedLayer> layers, CimConfig cfg, Options opt) {
        if (cfg.quantizer() != Quantizer.ZERO_TREAD && opt.backward() == Backward.ARRAYS) {
            throw new TrainingException("backward " + Backward.ARRAYS.id() + " computes the zero-tread ADC only; quantizer "
                    + cfg.quantizer().id() + " trains with " + Backward.FAKE_QUANT_SCALED.id() + " or " + Backward.FAKE_QUANT.id());
        }
        if (finerSteps(cfg) && opt.backward() == Backward.ARRAYS) {
            throw new TrainingException("backward " + Backward.ARRAYS.id() + " computes one ADC step per layer; granularity "
                    + cfg.granularity().id() + " trains with " + Backward.FAKE_QUANT_SCALED.id() + " or " + Backward.FAKE_QUANT.id());
        }
        if (opt.backward() == Backward.EXACT) {
            ExactSte.checkSupported(cfg);
        }
        this.prepared = prepared;
        this.layers = layers;
        this.cfg = cfg;
        this.opt = opt;
    }

    /**
     * Updates the weights with {@code kind} instead of SGD with momentum (same learning rate schedule; Options' weight
     * decay, decoupled for {@link AdamW}).
     */
    public Trainer optimizing(Optimizer.Kind kind) {
        this.optimizer = kind;
        return this;
    }

    /** Trains against {@code d}'s mix of teacher probabilities and labels instead of the labels alone (null: labels). */
    public Trainer distilling(Distillation d) {
        this.distillation = d;
        return this;
    }

    /**
     * Keeps the starting input scales and ADC steps for every epoch instead of re-searching them after each: the
     * weights then adapt to one fixed quantizer (every epoch must have the same L).
     */
    public Trainer holdingQuantizer() {
        for (int l : opt.levels()) {
            if (l != opt.levels()[0]) {
                throw new TrainingException("a held quantizer needs the same ADC levels in every epoch, got "
                        + java.util.Arrays.toString(opt.levels()));
            }
        }
        this.holdQuantizer = true;
        return this;
    }

    /**
     * Learns every mapped layer's ADC step with the loss (straight-through gradient from {@link StepProbes}) instead of
     * re-searching it; input scales are held ({@link #holdingQuantizer()}). Each step moves Δ by the factor
     * exp(−rate·sign(dL/dΔ)), rate = {@code stepLr} on the weights' cosine schedule: a bounded, stateless update
     * (resuming from a checkpoint repeats it exactly) whose size does not depend on the gradient's scale, which differs
     * by orders of magnitude between layers. Only with the runtime's engines and odd L.
     */
    public Trainer learningSteps(double stepLr) {
        requirePositive("step learning rate", stepLr);
        if (opt.backward() == Backward.ARRAYS) {
            throw new TrainingException("learning ADC steps needs the fake-quant engines, not backward " + Backward.ARRAYS.id());
        }
        if (cfg.quantizer() != Quantizer.ZERO_TREAD) {
            throw new TrainingException("learning ADC steps needs the zero-tread quantizer, got " + cfg.quantizer().id());
        }
        if (cfg.granularity() != Granularity.LAYER) { // per array or column: several steps; per network: one shared step
            throw new TrainingException("learning ADC steps needs one step per layer, got granularity " + cfg.granularity().id());
        }
        for (int l : opt.levels()) {
            if (l != 0) {
                StepProbes.inRangeBound(l, 1f);
            }
        }
        holdingQuantizer();
        this.stepLr = stepLr;
        return this;
    }

    /**
     * Clips each step's gradients to global L2 norm {@code maxNorm} ({@link GradientClipping}) before the optimizer
     * uses them (the loss and the step gradients of {@link #learningSteps} are not affected).
     */
    public Trainer clippingGradients(double maxNorm) {
        requirePositive("gradient norm limit", maxNorm);
        this.clipNorm = maxNorm;
        return this;
    }

    /**
     * Learns every mapped layer's input scale s_x with the loss (LSQ's straight-through gradient, {@link LayerBackward})
     * instead of holding or re-measuring it; holds the ADC steps unless {@link #learningSteps} learns them too. Each step
     * moves s_x by the factor exp(−rate·sign(dL/ds_x)), rate = {@code scaleLr} on the weights' cosine schedule, as
     * learned steps move Δ (bounded, stateless, independent of the gradient's scale). Any L (also 0: plain
     * quantization-aware training with learned activation scales) and either quantizer; only with the runtime's engines.
     */
    public Trainer learningInputScales(double scaleLr) {
        requirePositive("input scale learning rate", scaleLr);
        if (opt.backward() == Backward.ARRAYS) {
            throw new TrainingException("learning input scales needs the fake-quant engines, not backward " + Backward.ARRAYS.id());
        }
        holdingQuantizer();
        this.scaleLr = scaleLr;
        return this;
    }

    /**
     * Applies {@code c} to the parameters after every optimizer step (e.g. {@link BatchNormTraining#clampScales}); it
     * must be a function of the parameters alone, so that resuming repeats it.
     */
    public Trainer constraining(java.util.function.Consumer<Map<String, INDArray>> c) {
        this.constraint = c;
        return this;
    }

    /** Whether {@code cfg} asks for more than one ADC step per layer (per array or per column). */
    private static boolean finerSteps(CimConfig cfg) {
        return cfg.granularity() == Granularity.ARRAY || cfg.granularity() == Granularity.COLUMN;
    }

    public int stepsPerEpoch(int images) {
        return (images + opt.batch() - 1) / opt.batch();
    }

    /** Trains from {@code start} (a fresh checkpoint at epoch 0, step 0, or one read back). */
    public Result run(TrainingData data, Checkpoint start, Recalibration recal, Listener listener, AtomicBoolean stop) {
        Parameters params = Parameters.of(start.params());
        Optimizer updater = optimizer.create(opt.momentum(), opt.weightDecay(), start.optimizerState());
        Map<String, LayerQuant> quant = new java.util.LinkedHashMap<>(start.quant());
        int steps = stepsPerEpoch(data.count());
        long total = (long) opt.epochs() * steps;
        List<EpochSummary> summaries = new ArrayList<>();
        for (int e = start.epoch(); e < opt.epochs(); e++) {
            long t0 = System.nanoTime();
            StepEngine graph = engine(quant, params, data.classes());
            params.values().replaceAll((k, v) -> graph.parameter(k));
            int[] order = DataOrder.permutation(opt.seed(), e, data.count());
            int first = e == start.epoch() ? start.step() : 0;
            listener.epochStart(e, opt.levels()[e], steps, first, data.count());
            double lossSum = 0;
            long correct = 0;
            long seen = 0;
            for (int s = first; s < steps; s++) {
                int from = s * opt.batch();
                int n = Math.min(opt.batch(), data.count() - from);
                INDArray x = images(data, order, from, n, DataOrder.augmentation(opt.seed(), e, s));
                INDArray y = oneHot(data, order, from, n);
                if (distillation != null) {
                    y = distillation.targets(x.dup(), y);
                }
                TrainingGraph.Step r = graph.step(x, y);
                if (!Double.isFinite(r.loss())) {
                    throw new TrainingException("the loss became " + r.loss() + " at epoch " + (e + 1) + ", step " + (s + 1)
                            + "; lower --lr");
                }
                double lrNow = SgdMomentum.cosine(opt.lr(), (long) e * steps + s, total);
                updater.step(params.values(), clipNorm > 0 ? GradientClipping.clipped(r.gradients(), clipNorm) : r.gradients(), lrNow);
                if (constraint != null) {
                    constraint.accept(params.values());
                }
                if (stepLr > 0) {
                    updateSteps(quant, graph.stepGradients(), stepLr * lrNow / opt.lr());
                }
                if (scaleLr > 0) {
                    updateInputScales(quant, graph.inputScaleGradients(), scaleLr * lrNow / opt.lr());
                }
                lossSum += r.loss() * n;
                correct += correct(r.logits(), data, order, from, n);
                seen += n;
                listener.step(n, lossSum / seen, (double) correct / seen);
                System.gc(); // frees the off-heap buffers of this step's arrays before the next step allocates its own
                boolean stopping = stop != null && stop.get();
                if (stopping || (opt.checkpointEvery() > 0 && (s + 1) % opt.checkpointEvery() == 0 && s + 1 < steps)) {
                    save(e, s + 1, params, updater, quant);
                }
                if (stopping) {
                    throw new TrainingInterruptedException("stopped at epoch " + (e + 1) + ", step " + (s + 1) + " of " + steps
                            + (opt.checkpoint() != null ? "; checkpoint " + opt.checkpoint() + " (continue with --resume)" : ""));
                }
            }
            EpochSummary summary = new EpochSummary(e + 1, opt.levels()[e], seen == 0 ? Double.NaN : lossSum / seen,
                    seen == 0 ? Double.NaN : (double) correct / seen, (System.nanoTime() - t0) / 1e9);
            if (e + 1 < opt.epochs() && !holdQuantizer) {
                listener.recalibrating(e + 1, opt.levels()[e + 1]);
                quant = recal.run(params, opt.levels()[e + 1], null);
            }
            save(e + 1, 0, params, updater, quant);
            summaries.add(summary);
            listener.epochEnd(summary);
            listener.epochSaved(summary, params, java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(quant)));
        }
        return new Result(params, quant, summaries);
    }

    /** Δ ← Δ·exp(−rate·sign(dL/dΔ)) for every layer with an ADC (see {@link #learningSteps}). */
    private static void updateSteps(Map<String, LayerQuant> quant, Map<String, Double> grads, double rate) {
        for (Map.Entry<String, Double> g : grads.entrySet()) {
            LayerQuant q = quant.get(g.getKey());
            if (q == null || q.levels() == 0 || g.getValue() == 0 || !Double.isFinite(g.getValue())) {
                continue;
            }
            quant.put(g.getKey(), q.withDelta(signStep(q.delta(), g.getValue(), rate)));
        }
    }

    /** s_x ← s_x·exp(−rate·sign(dL/ds_x)) for every mapped layer (see {@link #learningInputScales}). */
    private static void updateInputScales(Map<String, LayerQuant> quant, Map<String, Double> grads, double rate) {
        for (Map.Entry<String, Double> g : grads.entrySet()) {
            LayerQuant q = quant.get(g.getKey());
            if (q == null || g.getValue() == 0 || !Double.isFinite(g.getValue())) {
                continue;
            }
            quant.put(g.getKey(), q.withInputScale(signStep(q.inputScale(), g.getValue(), rate)));
        }
    }

    /** value·exp(−rate·sign(gradient)): the bounded multiplicative update of learned steps and input scales. */
    private static float signStep(float value, double gradient, double rate) {
        return (float) (value * Math.exp(-rate * Math.signum(gradient)));
    }

    /** Refuses a rate that is not a finite number > 0, naming it. */
    private static void requirePositive(String what, double rate) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new TrainingException("the " + what + " must be > 0, got " + rate);
        }
    }

    /** The step engine of one epoch, starting from {@code params}. */
    private StepEngine engine(Map<String, LayerQuant> quant, Parameters params, int classes) {
        if (opt.backward() == Backward.ARRAYS) {
            return TrainingGraph.build(prepared, cfg, layers, quant, params, classes, false);
        }
        if (runtimeForward == null) {
            runtimeForward = new RuntimeCimForward(prepared, cfg, layers, stepLr > 0);
            fakeQuantBackward = new FakeQuantBackward(prepared, cfg, layers, params, opt.backward());
        }
        return new RuntimeCimStep(runtimeForward, fakeQuantBackward, params, quant, layers);
    }

    private void save(int epoch, int step, Parameters params, Optimizer updater, Map<String, LayerQuant> quant) {
        if (opt.checkpoint() != null) {
            new Checkpoint(opt.fingerprint(), epoch, step, params.values(), updater.state(), quant).write(opt.checkpoint());
        }
    }

    private static INDArray images(TrainingData d, int[] order, int from, int n, Random rnd) {
        int size = d.imageSize();
        float[] x = new float[n * size];
        for (int i = 0; i < n; i++) {
            int src = order[from + i] * size;
            if (d.augment()) {
                Augmentation.cropFlip(d.images(), src, x, i * size, d.channels(), d.height(), d.width(), 4, rnd);
            } else {
                System.arraycopy(d.images(), src, x, i * size, size);
            }
        }
        return Nd4j.create(x, new long[] {n, d.channels(), d.height(), d.width()}, 'c');
    }

    private static INDArray oneHot(TrainingData d, int[] order, int from, int n) {
        float[] y = new float[n * d.classes()];
        for (int i = 0; i < n; i++) {
            y[i * d.classes() + d.labels()[order[from + i]]] = 1f;
        }
        return Nd4j.create(y, new long[] {n, d.classes()}, 'c');
    }

    private static int correct(INDArray logits, TrainingData d, int[] order, int from, int n) {
        int c = 0;
        INDArray arg = Nd4j.argMax(logits, 1);
        for (int i = 0; i < n; i++) {
            if (arg.getInt(i) == d.labels()[order[from + i]]) {
                c++;
            }
        }
        return c;
    }
}
