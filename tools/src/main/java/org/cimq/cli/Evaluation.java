package org.cimq.cli;

import org.cimq.cli.engine.Engine;
import org.cimq.cli.engine.Logits;
import org.cimq.data.Batch;
import org.cimq.data.BatchIterator;
import org.cimq.data.Dataset;

/** Top-1 accuracy of an engine over a data set, streamed batch by batch. */
public final class Evaluation {
    /** Correct predictions out of {@code images}, and the wall time of reading plus inference. */
    public record Score(int images, int correct, double seconds) {
        public double top1() {
            return images == 0 ? 0 : (double) correct / images;
        }
    }

    private Evaluation() {
    }

    public static Score run(Engine engine, Dataset data, int batchSize, Progress progress) {
        engine.checkInput(data.channels(), data.height(), data.width());
        long start = System.nanoTime();
        int images = 0;
        int correct = 0;
        try (BatchIterator it = data.batches(batchSize)) {
            while (it.hasNext()) {
                Batch b = it.next();
                correct += countCorrect(engine.run(b), b.labels());
                images += b.count();
                progress.step(b.count());
            }
        }
        return new Score(images, correct, (System.nanoTime() - start) / 1e9);
    }

    /** How many rows' argmax equals the label. */
    public static int countCorrect(Logits logits, int[] labels) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (logits.argmax(i) == labels[i]) {
                correct++;
            }
        }
        return correct;
    }
}
