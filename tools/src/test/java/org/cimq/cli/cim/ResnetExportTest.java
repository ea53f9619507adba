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
import org.cimq.cim.export.OrtLowering;
import org.cimq.cli.engine.Engine;
import org.cimq.cli.engine.EngineKind;
import org.cimq.cli.engine.Logits;
import org.cimq.data.Batch;
import org.cimq.data.BatchIterator;
import org.cimq.data.Cifar10;
import org.cimq.data.RealDataTestAccess;
import org.cimq.data.Split;
import org.cimq.ir.Model;
import org.cimq.onnx.OnnxWriter;
import org.cimq.runtime.Executor;
import org.cimq.runtime.ModelLoader;
import org.cimq.runtime.cim.CimLayerFusion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ResNet-20 at L = 3 (layer-wise minmax steps from 200 train images): ONNX Runtime running the
 * standard-ops export gives the same top-1 as cimq running the CIM model on each of the first 1,000
 * test images. The logits themselves differ by up to ~4e-3 × max |logit| (issue 6 asks 1e-4): float
 * ops outside the arrays round differently in ORT and ND4J, and an input on a rounding boundary then
 * lands one code away and can cross a 3-level ADC threshold. The bound printed here is tracked in
 * the issue; this test keeps the top-1 agreement and a loose logit bound (1e-2) from regressing.
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
        Model exported = OrtLowering.apply(CimModelBuilder.copy(cim.model()));
        Path file = dir.resolve("resnet20_l3_ort.onnx");
        OnnxWriter.write(exported, file);

        // the bit-packed kernel (bit-identical to the reference kernels, FusedLayerEquivalenceTest) keeps this test short
        Model fused = CimModelBuilder.copy(cim.model());
        new CimLayerFusion().run(fused);
        Executor cimq = new Executor(fused);
        double maxDiff = 0;
        double maxLogit = 0;
        int images = 0;
        int agree = 0;
        try (Engine ort = EngineKind.ORT.open(file, 2);
             BatchIterator it = Cifar10.open(RealDataTestAccess.cifarDir(), Split.TEST).limit(1000).batches(100)) {
            while (it.hasNext()) {
                Batch b = it.next();
                float[] a = cimq.run(b.toNdArray())[0].dup('c').data().asFloat();
                Logits e = ort.run(b);
                Logits mine = new Logits(a, b.count(), e.cols());
                for (int k = 0; k < a.length; k++) {
                    maxDiff = Math.max(maxDiff, Math.abs(a[k] - e.values()[k]));
                    maxLogit = Math.max(maxLogit, Math.abs(e.values()[k]));
                }
                for (int i = 0; i < b.count(); i++, images++) {
                    agree += mine.argmax(i) == e.argmax(i) ? 1 : 0;
                }
            }
        }
        System.out.printf("ResNet-20 L=3 export: max |diff| %.3g of max |logit| %.3g on %d images, top-1 agreement %d%n",
                maxDiff, maxLogit, images, agree);
        assertEquals(1000, images);
        assertTrue(maxDiff <= 1e-2 * maxLogit, "max difference " + maxDiff + " > 1e-2 × " + maxLogit);
        assertEquals(images, agree, "same top-1 on every image");
    }
}
