package org.cimq.cli.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.cimq.data.Batch;
import org.cimq.data.BatchIterator;
import org.cimq.data.Cifar10;
import org.cimq.data.Dataset;
import org.cimq.data.RealDataTestAccess;
import org.cimq.data.Split;
import org.junit.jupiter.api.Test;

/**
 * cimq's float runtime against ONNX Runtime on the shared ResNet-20: logits within 1e-4 on the
 * first 1,000 CIFAR-10 test images, the same top-1 on all 10,000.
 */
class ResnetAgreementTest {
    @Test
    void resnet20LogitsAndTop1MatchOnnxRuntime() {
        Path model = Path.of(System.getProperty("cimq.shared"), "models", "resnet20_cifar10.onnx");
        Dataset test = Cifar10.open(RealDataTestAccess.cifarDir(), Split.TEST);
        int images = 0;
        int cimqCorrect = 0;
        int ortCorrect = 0;
        double maxDiff = 0;
        try (Engine cimq = EngineKind.CIMQ.open(model, 2); Engine ort = EngineKind.ORT.open(model, 2);
             BatchIterator it = test.batches(100)) {
            while (it.hasNext()) {
                Batch b = it.next();
                Logits a = cimq.run(b);
                Logits e = ort.run(b);
                for (int i = 0; i < b.count(); i++, images++) {
                    if (images < 1000) {
                        for (int c = 0; c < e.cols(); c++) {
                            maxDiff = Math.max(maxDiff, Math.abs(a.values()[i * e.cols() + c] - e.values()[i * e.cols() + c]));
                        }
                    }
                    cimqCorrect += a.argmax(i) == b.labels()[i] ? 1 : 0;
                    ortCorrect += e.argmax(i) == b.labels()[i] ? 1 : 0;
                }
            }
        }
        System.out.printf("ResNet-20: max |logit diff| %.3g on 1,000 images; top-1 cimq %d, ORT %d of %d%n",
                maxDiff, cimqCorrect, ortCorrect, images);
        assertEquals(10_000, images);
        assertTrue(maxDiff <= 1e-4, "max logit difference " + maxDiff + " > 1e-4");
        assertEquals(ortCorrect, cimqCorrect, "top-1 differs from ONNX Runtime");
        assertTrue(Math.abs(ortCorrect / 10_000.0 - 0.8795) < 0.005, "ORT top-1 " + ortCorrect + " far from the model's 87.95%");
    }
}
