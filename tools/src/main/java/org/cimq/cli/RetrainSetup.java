package org.cimq.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.cimq.cim.train.TrainingData;
import org.cimq.data.Batch;
import org.cimq.data.BatchIterator;
import org.cimq.data.Dataset;

/** What {@code retrain} reads before training: the training images in memory and the run's fingerprint. */
public final class RetrainSetup {
    private RetrainSetup() {
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
