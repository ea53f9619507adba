package org.cimq.cli.cim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cimq.cim.AdcSetting;
import org.cimq.cim.CimModelBuilder;
import org.cimq.cim.config.CimConfig;
import org.cimq.cli.ExportAgreement;
import org.cimq.data.BatchIterator;
import org.cimq.data.Cifar10;
import org.cimq.data.RealDataTestAccess;
import org.cimq.data.Split;
import org.cimq.ir.Model;
import org.cimq.runtime.ModelLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ResNet-20 at L = 3 (layer-wise minmax steps from 200 train images), all 10,000 CIFAR-10 test
 * images: ONNX Runtime on the standard-ops export against cimq on the CIM model
 * ({@code ExportAgreement} says how and why input codes are compared too). Must hold: the same
 * top-1 on every image; logits within 1e-4 × max |logit| on every image whose input codes agree;
 * every code difference a last-bit rounding of a digital float value on a midpoint of x / s_x
 * (measured: 96 of 10,000 images, all in the first digital conv's output or a residual sum
 * carrying it); and such images rare (at most 2%).
 */
class ResnetExportTest {
    @TempDir
    Path dir;

    @Test
    void ortOnTheExportMatchesCimqOnTheCimModel() throws Exception {
        Path source = Path.of(System.getProperty("cimq.shared"), "models", "resnet20_cifar10.onnx");
        Model prepared = ModelLoader.load(source);
        List<INDArray> calib = new ArrayList<>();
        try (BatchIterator it = Cifar10.open(RealDataTestAccess.cifarDir(), Split.TRAIN).limit(200).batches(100)) {
            it.forEachRemaining(b -> calib.add(b.toNdArray()));
        }
        CimModelBuilder.Result cim = new CimModelBuilder(CimConfig.DEFAULTS.with("adc_levels", "3"))
                .build(prepared, calib::iterator, 200, (Map<String, AdcSetting>) null, null);
        ExportAgreement.Result r;
        try (BatchIterator it = Cifar10.open(RealDataTestAccess.cifarDir(), Split.TEST).batches(100)) {
            r = ExportAgreement.compare(cim.model(), dir.resolve("resnet20_l3_ort.onnx"), it);
        }
        System.out.println("ResNet-20 L=3 export vs cimq: " + r.summary());
        assertEquals(10_000, r.images());
        assertTrue(r.unexplained().isEmpty(), "code differences that are not rounding midpoints: " + r.unexplained());
        assertTrue(r.maxDiffClean() <= 1e-4 * r.maxLogit(), r.summary());
        assertTrue(r.flipped() <= r.images() / 50, r.summary());
        assertEquals(0, r.top1Disagree(), r.summary());
    }
}
