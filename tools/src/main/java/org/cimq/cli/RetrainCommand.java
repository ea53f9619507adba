package org.cimq.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cimq.cim.CimModelBuilder;
import org.cimq.cim.MappedLayer;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.Ranges;
import org.cimq.cim.train.Backward;
import org.cimq.cim.train.BatchNormTraining;
import org.cimq.cim.train.Checkpoint;
import org.cimq.cim.train.Distillation;
import org.cimq.cim.train.LayerQuant;
import org.cimq.cim.train.LayerQuants;
import org.cimq.cim.train.Optimizer;
import org.cimq.cim.train.Recalibration;
import org.cimq.cim.train.Trainer;
import org.cimq.cim.train.TrainingData;
import org.cimq.cli.cim.CimBuild;
import org.cimq.cli.cim.CimBuildRequest;
import org.cimq.data.Dataset;
import org.cimq.data.Split;
import org.cimq.ir.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cimq retrain MODEL --cim ... --dataset D --epochs E -o OUT.onnx}: fine-tunes the float
 * weights with the CIM arrays and ADCs in the forward pass ({@link Trainer}; {@code --backward}
 * picks how forward and gradients are computed, {@link Backward}), re-searching input
 * scales and mse ADC steps after every epoch (or holding them, {@code --hold-quantizer}, or learning
 * the steps, {@code --learn-steps}; optionally distilling from a float teacher, {@code --teacher}),
 * and writes the prepared float model (BN folded) with the new weights, its ranges file (mse, or the
 * held / learned quantizer with its input scales), and its test top-1 measured exactly as
 * {@code cimq eval OUT --cim ... --ranges R.json --calib-images N} measures it.
 */
@Command(name = "retrain", description = {"Fine-tune a model with the CIM arrays and ADCs in the loop (straight-through gradients).",
    "Writes the retrained float model, its mse ranges and its CIM test top-1 (as 'cimq eval --cim --ranges' computes it)."})
public final class RetrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Mixin
    DataOptions data;

    @Mixin
    CimConfigOptions cim;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The float .onnx file.")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.onnx", description = "The retrained model to write.")
    Path out;

    @Option(names = "--ranges-out", paramLabel = "FILE", description = "Its ranges.json (default: OUT with .ranges.json).")
    Path rangesOut;

    @Option(names = "--ranges", paramLabel = "FILE", description = "ADC steps for the first epoch (default: mse search).")
    Path ranges;

    @Option(names = "--epochs", required = true, paramLabel = "E", description = "Epochs to train.")
    int epochs;

    @Option(names = "--train-images", paramLabel = "N", description = "Train on the first N train images (default: all).")
    Integer trainImages;

    @Option(names = "--calib-images", paramLabel = "N", description = "Calibrate on the first N train images (default 1000).")
    int calibImages = CalibrationOptions.DEFAULT_IMAGES;

    @Option(names = "--test-images", paramLabel = "N", description = "Report top-1 on the first N test images (default: all).")
    Integer testImages;

    @Option(names = "--batch", defaultValue = "128", paramLabel = "B", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.001", paramLabel = "LR", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of data order and augmentation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--anneal", split = ",", paramLabel = "L1,L2,..", description = "ADC levels per stage, e.g. 9,5,3: "
            + "epochs split into equal stages (default: -L for every epoch).")
    int[] anneal;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "Write " + Checkpoint.FILE + " here.")
    Path checkpointDir;

    @Option(names = "--checkpoint-every", defaultValue = "50", paramLabel = "STEPS",
            description = "Steps between checkpoints, besides epoch ends (default: ${DEFAULT-VALUE}; 0: epoch ends only).")
    int checkpointEvery;

    @Option(names = "--resume", description = "Continue from the checkpoint in --checkpoint-dir.")
    boolean resume;

    @Option(names = "--backward", defaultValue = "fake-quant-scaled", paramLabel = "MODE", description = RetrainSetup.BACKWARD_HELP)
    String backward;

    @Option(names = "--test-each-epoch", description = "After every epoch, write its model (OUT.epoch-N.onnx, with its ranges) and "
            + "measure its CIM test top-1 at that epoch's L as the final model's is measured: the run's accuracy curve.")
    boolean testEachEpoch;

    @Option(names = "--teacher", paramLabel = "FILE.onnx", description = "Distil from this float model (typically the original "
            + "float MODEL): each batch's targets mix its softmax with the labels (--distill-weight).")
    Path teacher;

    @Option(names = "--distill-weight", defaultValue = "0.5", paramLabel = "W", description = "With --teacher: the teacher's share "
            + "of the targets, in [0, 1] (default: ${DEFAULT-VALUE}; 1 = its probabilities only).")
    double distillWeight;

    @Option(names = "--hold-quantizer", description = "Keep the first epoch's input scales and ADC steps (from --ranges, which may "
            + "fix input scales, or searched) for the whole run instead of re-searching them after every epoch; the output's "
            + "ranges file holds them, input scales included.")
    boolean holdQuantizer;

    @Option(names = "--learn-steps", description = "Learn each layer's ADC step with the loss (straight-through, LSQ-style, "
            + "from two extra CIM evaluations per layer and step; odd L only) instead of re-searching it; implies "
            + "--hold-quantizer for the input scales. The output's ranges file holds the learned steps.")
    boolean learnSteps;

    @Option(names = "--learn-input-scales", description = "Learn each layer's input scale s_x with the loss (LSQ's "
            + "straight-through gradient; any L) instead of holding it; implies --hold-quantizer for the steps unless "
            + "--learn-steps learns them too. The output's ranges file holds the learned scales.")
    boolean learnScales;

    @Option(names = "--scale-lr", defaultValue = "0.005", paramLabel = "R", description = "With --learn-input-scales: each "
            + "step multiplies an input scale by exp(-R·sign(dL/ds_x)), R following the cosine schedule "
            + "(default: ${DEFAULT-VALUE}).")
    double scaleLr;

    @Option(names = "--clip-grad-norm", paramLabel = "N", description = "Scale each step's gradients down to global L2 norm N "
            + "when larger (default: no clipping).")
    Double clipGradNorm;

    @Option(names = "--bias-correction", description = "Before the first epoch, subtract from every mapped layer's bias "
            + "the mean error its ADC adds to its output (calibration images, one layer at a time, each after the earlier "
            + "ones are corrected). Stops mid-rise L = 2 runs diverging at the start; with mse steps it can lower the starting "
            + "accuracy (README). Not applied on --resume (the checkpoint has it).")
    boolean biasCorrection;

    @Mixin
    RetrainBatchNormOptions batchNorm;

    @Option(names = "--optimizer", defaultValue = "sgd", paramLabel = "NAME", description = "sgd (momentum 0.9, weight decay "
            + "5e-4) or adam (AdamW: β 0.9/0.999, decoupled weight decay 5e-4), both on the cosine schedule from --lr "
            + "(default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--step-lr", defaultValue = "0.005", paramLabel = "R", description = "With --learn-steps: each step "
            + "multiplies a step by exp(-R·sign(dL/dΔ)), R following the cosine schedule (default: ${DEFAULT-VALUE}).")
    double stepLr;

    /** The JSON report. */
    public record Result(String model, String output, String ranges, String backward, List<Trainer.EpochSummary> epochs,
                         List<RetrainEpochTests.EpochTest> epochTests, int finalLevels, int testImages, int correct, double top1,
                         String evalCommand) { }

    @Override
    public Integer call() {
        CimBuildRequest.checkTrainOnly(spec, "retrain", batch);
        int[] levels = schedule();
        Backward mode = RetrainSetup.backward(spec, backward);
        Optimizer.Kind opt = Optimizer.Kind.byId(optimizer);
        if (opt == null) {
            throw usage("--optimizer must be sgd or adam, got '" + optimizer + "'");
        }
        if (calibImages < 1 || (trainImages != null && trainImages < 1) || (testImages != null && testImages < 0)) {
            throw usage("--calib-images and --train-images must be >= 1, --test-images >= 0");
        }
        if (ranges != null && levels[0] < 2) {
            throw usage("--ranges gives ADC steps, but the first epoch has no ADC (L = " + levels[0] + ")");
        }
        if (resume && checkpointDir == null) {
            throw usage("--resume needs --checkpoint-dir");
        }
        if (checkpointEvery < 0) {
            throw usage("--checkpoint-every must be >= 0, got " + checkpointEvery);
        }
        if (learnSteps && (!(stepLr > 0) || Double.isInfinite(stepLr))) {
            throw usage("--step-lr must be > 0, got " + stepLr);
        }
        if (learnScales && (!(scaleLr > 0) || Double.isInfinite(scaleLr))) {
            throw usage("--scale-lr must be > 0, got " + scaleLr);
        }
        if (clipGradNorm != null && (!(clipGradNorm > 0) || clipGradNorm.isInfinite())) {
            throw usage("--clip-grad-norm must be > 0, got " + clipGradNorm);
        }
        if (!(distillWeight >= 0 && distillWeight <= 1)) {
            throw usage("--distill-weight must be in [0, 1], got " + distillWeight);
        }
        int finalL = levels[levels.length - 1];
        CimConfig cfg = cim.resolve().with("adc_levels", Integer.toString(finalL));
        LayerQuants.checkSupported(cfg);
        batchNorm.check(spec, holdQuantizer || learnSteps || learnScales, mode);
        Dataset calib = data.open(spec, Split.TRAIN).limit(calibImages);
        Dataset train = data.open(spec, Split.TRAIN);
        train = trainImages != null ? train.limit(trainImages) : train;
        RetrainSetup.Inputs in = RetrainSetup.read(model, cfg, train, calib, data.kind);
        Model prepared = in.prepared();
        List<MappedLayer> layers = in.layers();
        PrintWriter err = spec.commandLine().getErr();
        TrainingData td = in.data();
        Recalibration recal = in.recal();
        String fp = RetrainSetup.fingerprint(model, String.join("|", cfg.toMap().toString(), Arrays.toString(levels),
                Integer.toString(epochs), Integer.toString(batch), Double.toString(lr), Long.toString(seed),
                train.toString(), calib.toString(), mode.id(), teacher == null ? "" : teacher + "@" + distillWeight,
                holdQuantizer ? "held" : "", learnSteps ? "learned@" + stepLr : "")
                + (learnScales ? "|scales@" + scaleLr : "") + (clipGradNorm == null ? "" : "|clip@" + clipGradNorm)
                + (biasCorrection ? "|bias-corrected" : "") + batchNorm.fingerprint()
                + (opt == Optimizer.Kind.SGD ? "" : "|" + opt.id())); // SGD runs keep the fingerprints they had before --optimizer
        Path ckpt = checkpointDir == null ? null : checkpointDir.resolve(Checkpoint.FILE);
        BatchNormTraining bn = batchNorm.enabled ? BatchNormTraining.of(prepared, cfg) : null;
        Checkpoint start = resume ? RetrainSetup.resumed(ckpt, fp) : fresh(prepared, cfg, layers, levels[0], recal, calib, err, fp, bn);
        Trainer trainer = new Trainer(bn != null ? bn.model() : prepared, bn != null ? bn.layers() : layers, cfg,
                new Trainer.Options(epochs, batch, lr, 0.9, 5e-4, seed, levels, checkpointEvery, ckpt, fp, mode));
        Distillation distill = teacher == null ? null : teacher(calib);
        trainer.distilling(distill);
        trainer.optimizing(opt);
        if (learnSteps) {
            trainer.learningSteps(stepLr);
        } else if (holdQuantizer) {
            trainer.holdingQuantizer();
        }
        if (learnScales) {
            trainer.learningInputScales(scaleLr);
        }
        if (clipGradNorm != null) {
            trainer.clippingGradients(clipGradNorm);
        }
        boolean positiveScales = RetrainBatchNormOptions.positiveScales(bn, cfg, levels);
        if (positiveScales) {
            trainer.constraining(bn::clampScales);
        }
        boolean held = holdQuantizer || learnSteps || learnScales;
        RetrainOutputs.HeldQuantizer how = new RetrainOutputs.HeldQuantizer(learnSteps, learnScales);
        Dataset test = data.open(spec, Split.TEST);
        test = testImages != null ? test.limit(testImages) : test;
        String quantizer = !learnSteps && !learnScales ? (holdQuantizer ? "quantizer held, " : "")
                : (learnSteps ? "steps learned (rate " + stepLr + "), " : "steps held, ")
                + (learnScales ? "input scales learned (rate " + scaleLr + "), " : "input scales held, ");
        String recipe = quantizer + (opt == Optimizer.Kind.SGD ? "" : "optimizer " + opt.id() + ", ")
                + (clipGradNorm == null ? "" : "gradients clipped to norm " + clipGradNorm + ", ")
                + (biasCorrection ? "biases corrected for the ADCs' mean error, " : "")
                + batchNorm.recipe(positiveScales) + "epochs " + epochs
                + ", L " + Arrays.toString(levels) + ", lr " + lr + ", seed " + seed
                + ", backward " + mode.id() + ", " + train + (distill == null ? "" : ", distilled from " + distill.describe());
        RetrainEpochTests curve = testEachEpoch ? new RetrainEpochTests(out, cfg, calib, test,
                (p, q, path) -> RetrainOutputs.writeModel(prepared, RetrainBatchNormOptions.folded(bn, p, q, calib), path, recipe, model), err, output.quiet()) : null;
        if (curve != null && held) {
            curve.holding(how, layers);
        }
        Trainer.Result trained = train(trainer, td, start, recal, err, curve);

        RetrainOutputs.writeModel(prepared, RetrainBatchNormOptions.folded(bn, trained.params(), trained.quant(), calib), out, recipe,
                model);
        Path rangesTarget = rangesOut != null ? rangesOut : RetrainOutputs.siblingRanges(out);
        Path rangesFile = held ? RetrainOutputs.writeHeldRanges(out, rangesTarget, trained.quant(), cfg, calib, how, layers)
                : finalL >= 2
                ? RetrainOutputs.writeRanges(out, rangesOut != null ? rangesOut : RetrainOutputs.siblingRanges(out), cfg, calib, err,
                        output.quiet())
                : null;
        Evaluation.Score score = RetrainOutputs.evaluate(out, cfg, rangesFile, calib, test, err, output.quiet());
        String evalCmd = "cimq eval " + out + " --cim --dataset " + data.kind.id() + " -L " + finalL
                + (rangesFile != null ? " --ranges " + rangesFile : "") + " --calib-images " + calib.size()
                + (testImages != null ? " --limit " + test.size() : "") + " [same CIM options]";
        PrintWriter stdout = spec.commandLine().getOut();
        for (Trainer.EpochSummary s : trained.epochs()) {
            stdout.printf("epoch %d  L=%d  train loss %.4f  train acc %.4f  %.1f s%n", s.epoch(), s.levels(), s.loss(), s.accuracy(),
                    s.seconds());
        }
        if (curve != null) {
            for (RetrainEpochTests.EpochTest t : curve.done()) {
                stdout.printf("epoch %d  L=%d  CIM test top-1 %.4f (%d/%d)  %s%n", t.epoch(), t.levels(), t.top1(), t.correct(), t.images(),
                        t.model());
            }
        }
        stdout.printf("wrote %s%s; CIM top-1 %.4f (%d/%d) on %s test, L=%d (as: %s)%n", out,
                rangesFile != null ? " and " + rangesFile : "", score.top1(), score.correct(), score.images(), test.name(), finalL, evalCmd);
        stdout.flush();
        output.writeJson(new Result(model.toString(), out.toString(), rangesFile == null ? null : rangesFile.toString(), mode.id(),
                trained.epochs(), curve == null ? null : curve.done(), finalL, score.images(), score.correct(), score.top1(), evalCmd));
        return 0;
    }

    /** The --teacher model, checked (as the model is) to take the data set's images. */
    private Distillation teacher(Dataset images) {
        Model t = CimBuildRequest.load(teacher);
        CimBuild.check(t, teacher, images);
        return new Distillation(t, distillWeight, teacher.getFileName().toString());
    }

    /** ADC levels of every epoch: --anneal's stages split evenly over the epochs, or -L throughout. */
    private int[] schedule() {
        if (epochs < 1) {
            throw usage("--epochs must be >= 1, got " + epochs);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw usage("--lr must be > 0, got " + lr);
        }
        int[] out = new int[epochs];
        if (anneal == null) {
            Arrays.fill(out, cim.resolve().adcLevels());
            return out;
        }
        if (anneal.length > epochs) {
            throw usage("--anneal has " + anneal.length + " stages but --epochs is " + epochs + " (one epoch per stage at least)");
        }
        for (int l : anneal) {
            if (l == 1 || l < 0) {
                throw usage("--anneal levels must be 0 or >= 2, got " + l);
            }
        }
        int given = cim.resolve().adcLevels();
        if (given != 0 && given != anneal[anneal.length - 1]) {
            throw usage("-L " + given + " differs from the last --anneal stage " + anneal[anneal.length - 1]);
        }
        for (int e = 0; e < epochs; e++) {
            out[e] = anneal[(int) ((long) e * anneal.length / epochs)];
        }
        return out;
    }

    private Checkpoint fresh(Model prepared, CimConfig cfg, List<MappedLayer> layers, int levels, Recalibration recal,
                             Dataset calib, PrintWriter err, String fp, BatchNormTraining bn) {
        org.cimq.cim.train.Parameters p = org.cimq.cim.train.Parameters.of(prepared);
        Map<String, LayerQuant> quant;
        if (ranges != null && levels >= 2) {
            CimConfig c = cfg.with("adc_levels", Integer.toString(levels));
            Ranges r = RetrainSetup.startRanges(ranges, c, levels);
            CimModelBuilder.Result b = new CimModelBuilder(c).build(prepared, CimBuild.images(calib, 100), calib.size(), r,
                    ranges.toString(), null);
            quant = LayerQuants.of(layers, b.inputs(), b.adc(), c);
        } else {
            if (!output.quiet()) {
                err.println("cimq retrain: input scales" + (levels >= 2 ? " and mse ADC steps (L=" + levels + ")" : "") + " on " + calib);
                err.flush();
            }
            quant = recal.run(p, levels, null);
        }
        if (biasCorrection) {
            RetrainSetup.correctBiases(prepared, cfg.with("adc_levels", Integer.toString(levels)), layers, p, quant, calib,
                    output.quiet() ? null : err);
        }
        if (bn != null) {
            p = bn.initial(prepared, p, quant, CimBuild.images(calib, 100), batchNorm.fromNoAdc());
        }
        return new Checkpoint(fp, 0, 0, p.values(), new LinkedHashMap<>(), quant);
    }

    /**
     * Runs the trainer; Ctrl-C asks it to stop after the current step and waits for its checkpoint. With {@code curve},
     * each finished epoch's model is written and tested.
     */
    private Trainer.Result train(Trainer trainer, TrainingData td, Checkpoint start, Recalibration recal, PrintWriter err,
                                 RetrainEpochTests curve) {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                done.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try (RetrainProgress progress = new RetrainProgress(err, output.quiet(), epochs, curve)) {
            return trainer.run(td, start, recal, progress, stop);
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns now that done was counted down
            }
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

}
