package org.cimq.cli.engine;

import java.util.Arrays;
import org.cimq.data.Batch;

/** Runs a one-input classification model on batches of images. Not thread-safe. */
public interface Engine extends AutoCloseable {
    /** "ort" or "cimq". */
    String name();

    /** The engine and its effective settings, for humans (e.g. "ort 1.23.2, 2 threads"). */
    String describe();

    /** The model input's name. */
    String inputName();

    /** The declared input shape, -1 for symbolic or unknown dimensions; null when the rank is unknown. */
    long[] inputShape();

    /** The model's first output for the batch. */
    Logits run(Batch batch);

    @Override
    void close();

    /**
     * Checks that NCHW batches of {@code c×h×w} images fit the declared input shape.
     *
     * @throws EngineException naming the input, what it expects and what the data gives
     */
    default void checkInput(int c, int h, int w) {
        checkInput(inputName(), inputShape(), c, h, w);
    }

    /** As {@link #checkInput(int, int, int)} for input {@code name} of declared {@code shape} (null: unknown rank). */
    static void checkInput(String name, long[] shape, int c, int h, int w) {
        if (shape == null) {
            return;
        }
        long[] given = {-1, c, h, w};
        boolean ok = shape.length == 4;
        for (int i = 1; ok && i < 4; i++) {
            ok = shape[i] < 0 || shape[i] == given[i];
        }
        if (!ok) {
            throw new EngineException("model input '" + name + "' expects shape " + Arrays.toString(shape)
                    + " (-1 = any), but the data set gives images of [N, " + c + ", " + h + ", " + w + "]");
        }
    }
}
