package org.cimq.cim.calib;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Value;
import org.cimq.runtime.Executor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Measures the inputs of mapped layers in a prepared float model (BN folded, from
 * {@code ModelLoader.prepare}) over a calibration set: for each distinct value entering a
 * mapped layer, the exact p-th percentile of x and of |x| over all its elements, with min,
 * max, count and negatives ({@link ActivationStats}). The activation input of a layer is its
 * first input that is not a constant ({@link #activationInput}); layers sharing one value
 * share its statistics. Values are read as the {@link Executor} produces them; a watched
 * graph input is read from the batch. Not thread-safe.
 */
public final class ActivationCalibrator {
    private final Executor executor;
    private final Value input;
    private final double percentile;
    private final Map<Value, Watch> watches = new IdentityHashMap<>();
    private final List<Watch> order = new ArrayList<>();

    /** Prepares to watch the activation inputs of {@code layers} for the {@code percentile}-th percentile. */
    public ActivationCalibrator(Model model, List<Node> layers, double percentile) {
        List<Value> inputs = model.graph().inputs().stream().filter(v -> !v.isConstant()).toList();
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("calibration feeds one model input, but the model takes "
                    + inputs.stream().map(Value::name).toList());
        }
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in [0, 100], got " + percentile);
        }
        this.input = inputs.get(0);
        this.percentile = percentile;
        for (Node layer : layers) {
            Value v = activationInput(layer);
            Watch w = watches.get(v);
            if (w == null) {
                w = new Watch(v);
                watches.put(v, w);
                order.add(w);
            }
            w.layers.add(layer.name());
        }
        this.executor = new Executor(model);
    }

    /** The first input of {@code layer} that is present and not a constant. */
    public static Value activationInput(Node layer) {
        for (Value v : layer.inputs()) {
            if (v != null && !v.isConstant()) {
                return v;
            }
        }
        throw new IllegalArgumentException(layer.describe() + " has no non-constant input to calibrate");
    }

    /**
     * Runs the model over {@code batches} (arrays of the model input, batch first) which must
     * hold exactly {@code totalImages} images in all, and returns the statistics by value name,
     * in the order the layers were given. {@code progress}, if not null, gets the images done
     * after each batch. Throws {@link CalibrationInterruptedException} when the thread is
     * interrupted before a batch.
     */
    public Map<String, ActivationStats> run(Iterator<INDArray> batches, long totalImages, IntConsumer progress) {
        if (totalImages < 1) {
            throw new IllegalArgumentException("calibration needs at least one image, got " + totalImages);
        }
        order.forEach(Watch::reset);
        long done = 0;
        for (int batchIndex = 0; ; batchIndex++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CalibrationInterruptedException("calibration interrupted after " + done + " of "
                        + totalImages + " images");
            }
            if (!batches.hasNext()) {
                break;
            }
            INDArray batch = batches.next();
            if (batch.rank() < 1 || batch.size(0) < 1) {
                throw new IllegalArgumentException("batch " + batchIndex + " of '" + input.name()
                        + "' has shape " + java.util.Arrays.toString(batch.shape()) + "; expected images along axis 0");
            }
            long images = batch.size(0);
            if (done + images > totalImages) {
                throw new IllegalArgumentException("the batches hold more than the " + totalImages + " images declared");
            }
            int index = batchIndex;
            Watch fromInput = watches.get(input);
            if (fromInput != null) {
                fromInput.accept(batch, images, totalImages, index);
            }
            executor.run(Map.of(input.name(), batch), (v, a) -> {
                Watch w = watches.get(v);
                if (w != null) {
                    w.accept(a, images, totalImages, index);
                }
            });
            for (Watch w : order) {
                if (w.lastBatch != index) {
                    throw new IllegalStateException("value '" + w.value.name() + "' (input of " + w.layers
                            + ") was not computed by the model");
                }
            }
            done += images;
            if (progress != null) {
                progress.accept(Math.toIntExact(done));
            }
        }
        if (done != totalImages) {
            throw new IllegalArgumentException("the batches held " + done + " images, " + totalImages + " were declared");
        }
        Map<String, ActivationStats> out = new LinkedHashMap<>();
        for (Watch w : order) {
            out.put(w.value.name(), ActivationStats.of(w.layers, w.value.name(), w.x, w.abs));
        }
        return out;
    }

    /** One watched value: its layers and its trackers, created when its first array arrives. */
    private final class Watch {
        final Value value;
        final List<String> layers = new ArrayList<>();
        PercentileTracker x;
        PercentileTracker abs;
        long perImage;
        int lastBatch = -1;

        Watch(Value value) {
            this.value = value;
        }

        void reset() {
            x = null;
            abs = null;
            lastBatch = -1;
        }

        void accept(INDArray a, long images, long totalImages, int batchIndex) {
            long n = a.length();
            if (n % images != 0) {
                throw new IllegalStateException("value '" + value.name() + "' has " + n + " elements for a batch of "
                        + images + " images, not a whole number per image");
            }
            if (x == null) {
                perImage = n / images;
                x = new PercentileTracker(percentile, perImage * totalImages, false);
                abs = new PercentileTracker(percentile, perImage * totalImages, true);
            } else if (n / images != perImage) {
                throw new IllegalStateException("value '" + value.name() + "' had " + perImage
                        + " elements per image, batch " + batchIndex + " has " + n / images);
            }
            float[] f = PercentileTracker.floats(a);
            x.accept(f, 0, f.length);
            abs.accept(f, 0, f.length);
            lastBatch = batchIndex;
        }
    }
}
