package org.cimq.cli.cim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cimq.cim.AdcSetting;
import org.cimq.cim.CimModelBuilder;
import org.cimq.cim.FakeQuantTransform;
import org.cimq.cim.LayerSelection;
import org.cimq.cim.LayerSetting;
import org.cimq.cim.MappedLayer;
import org.cimq.cim.MappedLayers;
import org.cimq.cim.TilePlan;
import org.cimq.cim.calib.InputCalibration;
import org.cimq.cim.config.CimConfig;
import org.cimq.data.Batch;
import org.cimq.data.BatchIterator;
import org.cimq.data.Cifar10;
import org.cimq.data.RealDataTestAccess;
import org.cimq.data.Split;
import org.cimq.ir.Model;
import org.cimq.runtime.Executor;
import org.cimq.runtime.ModelLoader;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The shared ResNet-20 under CIM with defaults (R = 128, W4A4, c = d = 1, first and last layer
 * digital): 18 mapped layers; with L = 0 its logits equal the fake-quantized model's exactly
 * (so top-1 is the same), on 300 test images calibrated on 200 training images.
 */
class ResnetCimTest {
    private static List<INDArray> images(Split split, int n, List<int[]> labels) {
        List<INDArray> out = new ArrayList<>();
        try (BatchIterator it = Cifar10.open(RealDataTestAccess.cifarDir(), split).limit(n).batches(100)) {
            while (it.hasNext()) {
                Batch b = it.next();
                out.add(b.toNdArray());
                if (labels != null) {
                    labels.add(b.labels());
                }
            }
        }
        return out;
    }

    @Test
    void noAdcResnetEqualsFakeQuantAndKeepsAccuracy() {
        Path model = Path.of(System.getProperty("cimq.shared"), "models", "resnet20_cifar10.onnx");
        Model prepared = ModelLoader.load(model);
        CimConfig cfg = CimConfig.DEFAULTS;
        List<INDArray> calib = images(Split.TRAIN, 200, null);
        CimModelBuilder.Result cim = new CimModelBuilder(cfg).build(prepared, calib::iterator, 200, (Map<String, AdcSetting>) null, null);
        assertEquals(18, cim.layers().size());
        TilePlan first = cim.plans().values().iterator().next();
        assertEquals(144, first.k());
        assertEquals(2, first.rowTiles(), "K = 144 rows on 128-row arrays");
        assertEquals(3, first.slices());
        assertEquals(4, first.planes());

        Model fq = CimModelBuilder.copy(prepared);
        List<MappedLayer> layers = LayerSelection.mapped(MappedLayers.find(fq.graph()), cfg.digitalLayers());
        Map<String, LayerSetting> settings = new LinkedHashMap<>();
        for (MappedLayer l : layers) {
            InputCalibration.LayerInput in = cim.inputs().get(l.name());
            settings.put(l.name(), new LayerSetting(in.scale(), in.mode(), AdcSetting.NONE));
        }
        new FakeQuantTransform(cfg).apply(fq, layers, settings);

        List<int[]> labels = new ArrayList<>();
        List<INDArray> test = images(Split.TEST, 300, labels);
        Executor a = new Executor(cim.model());
        Executor b = new Executor(fq);
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            INDArray ya = a.run(test.get(i))[0];
            INDArray yb = b.run(test.get(i))[0];
            assertArrayEquals(yb.dup('c').data().asFloat(), ya.dup('c').data().asFloat(), 0f, "batch " + i);
            INDArray arg = ya.argMax(1);
            for (int k = 0; k < labels.get(i).length; k++) {
                correct += arg.getInt(k) == labels.get(i)[k] ? 1 : 0;
            }
        }
        assertTrue(correct >= 0.78 * 300, "W4A4 ResNet-20 keeps most of its 87.95% float accuracy, got " + correct + "/300");
    }
}
