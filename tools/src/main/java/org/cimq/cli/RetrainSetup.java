package org.cimq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.cimq.cim.LayerSelection;
import org.cimq.cim.MappedLayer;
import org.cimq.cim.MappedLayers;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.LayerRange;
import org.cimq.cim.config.Ranges;
import org.cimq.cim.config.RangesFile;
import org.cimq.cim.train.Backward;
import org.cimq.cim.train.BiasCorrection;
import org.cimq.cim.train.Checkpoint;
import org.cimq.cim.train.LayerQuant;
import org.cimq.cim.train.Parameters;
import org.cimq.cim.train.TrainingException;
import org.cimq.cim.train.Recalibration;
import org.cimq.cim.train.TrainingData;
import org.cimq.cli.cim.CimBuild;
import org.cimq.cli.cim.CimBuildRequest;
import org.cimq.data.Batch;
import org.cimq.data.BatchIterator;
import org.cimq.data.Dataset;
import org.cimq.data.DatasetKind;
import org.cimq.ir.Model;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** What {@code retrain} and {@code bench train} read before training, and the retrain run's fingerprint. */
public final class RetrainSetup {
    private RetrainSetup() {
    }

    /** The prepared model, its mapped layers, the training images in memory and the recalibration over {@code calib}. */
    public record Inputs(Model prepared, List<MappedLayer> layers, TrainingData data, Recalibration recal) { }

    /**
     * Loads and checks {@code model} for retraining with {@code cfg} (already checked by LayerQuants.checkSupported), reads {@code train} into memory (augmented for
     * CIFAR-10) and prepares the input-scale and step recalibration on {@code calib}.
     */
    public static Inputs read(Path model, CimConfig cfg, Dataset train, Dataset calib, DatasetKind kind) {
        Model prepared = CimBuildRequest.load(model);
        CimBuild.check(prepared, model, calib);
        List<MappedLayer> layers = LayerSelection.mapped(MappedLayers.find(prepared.graph()), cfg.digitalLayers());
        TrainingData td = load(train, kind == DatasetKind.CIFAR10);
        return new Inputs(prepared, layers, td, new Recalibration(prepared, cfg, CimBuild.images(calib, 100), calib.size()));
    }

    /** All images of {@code d}, normalised, with crop-and-flip augmentation when {@code augment}. */
    public static TrainingData load(Dataset d, boolean augment) {
        int size = d.channels() * d.height() * d.width();
        float[] images = new float[d.size() * size];
        int[] labels = new int[d.size()];
        int at = 0;
        try (BatchIterator it = d.batches(1000)) {
            while (it.hasNext()) {
                Batch b = it.next();
                System.arraycopy(b.images(), 0, images, at * size, b.images().length);
                System.arraycopy(b.labels(), 0, labels, at, b.count());
                at += b.count();
            }
        }
        for (int l : labels) {
            if (l < 0 || l >= d.classes()) {
                throw new IllegalArgumentException(d + ": label " + l + " outside [0, " + d.classes() + ")");
            }
        }
        return new TrainingData(images, labels, d.size(), d.channels(), d.height(), d.width(), d.classes(), augment);
    }

    /** The {@code --backward} option's help text. */
    public static final String BACKWARD_HELP = "Forward and gradients: fake-quant-scaled (the runtime's exact CIM model "
            + "forward; fake-quantized layers' gradients, each mapped output's scaled by clamp(acc_cim/acc_fq, 0, 1), a cheap "
            + "stand-in for masking clipped partial sums; works at lr 0.001 on ResNet-20), fake-quant (the same, unscaled: "
            + "the ADC passed straight through; needs a ~5x lower lr on ResNet-20), exact (the runtime's forward with the "
            + "arrays engine's exact gradient: clipped partial sums masked, computed per array from bit planes and weight "
            + "slices without a graph; differential weights and zero-tread ADC only) or arrays (CIM-SPEC per array in "
            + "SameDiff, ADC-clip-masked gradient; small models only). Default: ${DEFAULT-VALUE}.";

    /** The {@code --backward} value, or a usage error naming the valid ones. */
    public static Backward backward(CommandSpec spec, String value) {
        Backward b = Backward.byId(value);
        if (b == null) {
            throw new ParameterException(spec.commandLine(), "--backward must be one of " + String.join(", ", Backward.ids())
                    + ", got '" + value + "'");
        }
        return b;
    }

    /** The checkpoint in {@code file}, refused unless it was written by a run with fingerprint {@code fp}. */
    static Checkpoint resumed(Path file, String fp) {
        if (!Files.isRegularFile(file)) {
            throw new TrainingException(file + ": no checkpoint to resume from");
        }
        Checkpoint c = Checkpoint.read(file);
        if (!c.fingerprint().equals(fp)) {
            throw new TrainingException(file + ": written for another model or other options; resume with the same ones");
        }
        return c;
    }

    /** The ranges file that gives the first epoch's steps: matching {@code c}, every layer at {@code levels}. */
    static Ranges startRanges(Path file, CimConfig c, int levels) {
        Ranges r = RangesFile.read(file);
        r.checkMatches(c, file.toString());
        for (LayerRange l : r.layers()) {
            if (l.levels() != levels) {
                throw new TrainingException(file + ": layer '" + l.node() + "': levels " + l.levels()
                        + ", but the first epoch trains at L = " + levels);
            }
        }
        return r;
    }

    /**
     * {@link BiasCorrection} of {@code p} with {@code quant} on {@code calib}; a line on {@code err} (null: quiet) says how
     * many layers were corrected and the largest shift.
     */
    static void correctBiases(Model prepared, CimConfig cfg, List<MappedLayer> layers, Parameters p,
                              Map<String, LayerQuant> quant, Dataset calib, PrintWriter err) {
        Map<String, float[]> shifts = BiasCorrection.apply(prepared, cfg, layers, p, quant, CimBuild.images(calib, 100));
        if (err != null) {
            double max = 0;
            for (float[] s : shifts.values()) {
                for (float v : s) {
                    max = Math.max(max, Math.abs(v));
                }
            }
            err.printf("cimq retrain: biases of %d layers corrected for their ADCs' mean error on %s (largest shift %.4g)%n",
                    shifts.size(), calib, max);
            err.flush();
        }
    }

    /** SHA-256 of the model file's bytes and the options text: a resumed run must match it. */
    static String fingerprint(Path model, String options) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Files.readAllBytes(model));
            md.update(options.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(model + ": cannot read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
