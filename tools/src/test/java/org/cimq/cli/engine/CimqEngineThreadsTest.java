package org.cimq.cli.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.cimq.data.Batch;
import org.cimq.data.BatchIterator;
import org.cimq.data.DatasetKind;
import org.cimq.data.Split;
import org.junit.jupiter.api.Test;

/**
 * With two threads cimq's engine cuts each batch into two parts run side by side (the committed
 * Fashion-MNIST CNN computes every image on its own); the logits are one thread's, batch sizes
 * odd or even.
 */
class CimqEngineThreadsTest {
    @Test
    void twoThreadsRunBatchPartsWithOneThreadsLogits() {
        Path model = Path.of(System.getProperty("cimq.repo"), "models", "fashion_mnist_cnn.onnx");
        try (Engine one = EngineKind.CIMQ.open(model, 1); Engine two = EngineKind.CIMQ.open(model, 2);
             BatchIterator it = DatasetKind.FASHION_MNIST.open(DatasetKind.FASHION_MNIST.defaultDir(), Split.TEST).batches(37)) {
            assertTrue(two.describe().contains("cut into 2 parts"), two.describe());
            assertFalse(one.describe().contains("cut into"), one.describe());
            for (int k = 0; k < 3; k++) {
                Batch b = it.next();
                Logits a = one.run(b);
                Logits p = two.run(b);
                assertEquals(a.rows(), p.rows());
                // the classifier's Gemm may round differently for 18 or 19 rows than for 37
                assertArrayEquals(a.values(), p.values(), 1e-5f, "batch " + k);
            }
        }
    }
}
