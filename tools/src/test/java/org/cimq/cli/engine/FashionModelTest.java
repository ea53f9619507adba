package org.cimq.cli.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.cimq.data.Batch;
import org.cimq.data.BatchIterator;
import org.cimq.data.DatasetKind;
import org.cimq.data.Split;
import org.junit.jupiter.api.Test;

/**
 * The Fashion-MNIST CNN committed in models/ keeps the accuracy its README states (91.82%) under
 * cimq's runtime, equal to ONNX Runtime's image by image.
 */
class FashionModelTest {
    @Test
    void committedModelScoresAsDocumentedAndAgreesWithOnnxRuntime() {
        Path model = Path.of(System.getProperty("cimq.repo"), "models", "fashion_mnist_cnn.onnx");
        int images = 0;
        int correct = 0;
        int agree = 0;
        double maxDiff = 0;
        try (Engine cimq = EngineKind.CIMQ.open(model, 2); Engine ort = EngineKind.ORT.open(model, 2);
             BatchIterator it = DatasetKind.FASHION_MNIST.open(DatasetKind.FASHION_MNIST.defaultDir(), Split.TEST).batches(500)) {
            while (it.hasNext()) {
                Batch b = it.next();
                Logits a = cimq.run(b);
                Logits e = ort.run(b);
                for (int i = 0; i < b.count(); i++, images++) {
                    correct += a.argmax(i) == b.labels()[i] ? 1 : 0;
                    agree += a.argmax(i) == e.argmax(i) ? 1 : 0;
                }
                for (int k = 0; k < a.values().length; k++) {
                    maxDiff = Math.max(maxDiff, Math.abs(a.values()[k] - e.values()[k]));
                }
            }
        }
        System.out.printf("Fashion-MNIST CNN: top-1 %d/%d, agreement with ORT %d, max |logit diff| %.3g%n", correct, images, agree, maxDiff);
        assertEquals(10_000, images);
        assertEquals(9182, correct, "models/README.md states 91.82%");
        assertEquals(images, agree);
        assertTrue(maxDiff < 1e-4, "max logit difference " + maxDiff);
    }
}
