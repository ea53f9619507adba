package org.cimq.cim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cimq.cim.config.CimConfig;
import org.cimq.ir.Attr;
import org.cimq.ir.DType;
import org.cimq.ir.Dim;
import org.cimq.ir.GraphBuilder;
import org.cimq.ir.Model;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.cimq.runtime.Executor;
import org.cimq.runtime.ModelLoader;
import org.cimq.runtime.cim.CimLayerFusion;
import org.cimq.runtime.cim.CimNative;
import org.cimq.runtime.cim.CimThreads;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fused Conv kernel on images wide enough for the native range loop's vector packing (runs of eight output
 * positions in one row, read with masked loads from plane-major bits, padding lanes off): fused outputs (native loop and
 * Java loop, one and two threads, so ranges start mid-row) equal the reference kernels bit for bit, for strides 1 and 2,
 * dilation, asymmetric pads, groups, widths that are not multiples of 8, one and two row words per array (row segments
 * straddling the two words too); without an ADC
 * and with 31 levels.
 */
class FusedConvGeometryTest {
    /**
     * x[batch, cin, h, w] → Relu → Conv(cin→cout, k×k, attrs) → Relu → Conv(cout→cout, 3×3, pad 1): both layers mapped,
     * both reading unsigned inputs (so both take the native fill and its plane-major bits).
     */
    private static Model model(int cin, int cout, int h, int w, int k, Map<String, Attr> attrs) {
        Random r = new Random(cin * 31 + w);
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", new TensorType(DType.FLOAT, List.of(Dim.symbolic("batch"), Dim.of(cin), Dim.of(h), Dim.of(w))));
        int group = attrs.containsKey("group") ? (int) ((Attr.IntAttr) attrs.get("group")).value() : 1;
        Value c1 = b.op("Conv", attrs, b.op("Relu", x), b.constant("w1", CimTestModels.randomTensor(r, cout, cin / group, k, k)),
                b.constant("b1", CimTestModels.randomTensor(r, cout)));
        Value c2 = b.op("Conv", Map.of("pads", Attr.IntsAttr.of(1, 1, 1, 1)), b.op("Relu", c1),
                b.constant("w2", CimTestModels.randomTensor(r, cout, cout, 3, 3)));
        b.output(c2, "y", null);
        return ModelLoader.prepare(b.build());
    }

    private static INDArray batch(long seed, int n, int c, int h, int w) {
        return CimTestModels.gaussian(seed, n, c, h, w);
    }

    @ParameterizedTest
    @CsvSource({
        "8, 8, 9, 21, 3, 1, 1, 1, 1, 1, 1, 1",
        "16, 8, 7, 32, 3, 1, 1, 1, 1, 1, 1, 1",
        "12, 12, 6, 26, 3, 1, 1, 1, 1, 1, 1, 1",
        "6, 6, 10, 19, 3, 2, 1, 1, 0, 1, 1, 1",
        "8, 6, 8, 17, 3, 1, 2, 0, 2, 1, 0, 1",
        "8, 8, 6, 24, 3, 1, 1, 1, 1, 1, 1, 2",
        "4, 4, 5, 40, 1, 1, 1, 0, 0, 0, 0, 1"})
    void fusedConvEqualsReferenceKernels(int cin, int cout, int h, int w, int k, int stride, int dilation, int pt, int pl,
                                         int pb, int pr, int group) {
        Map<String, Attr> attrs = Map.of("pads", Attr.IntsAttr.of(pt, pl, pb, pr), "strides", Attr.IntsAttr.of(stride, stride),
                "dilations", Attr.IntsAttr.of(dilation, dilation), "group", new Attr.IntAttr(group));
        Model prepared = model(cin, cout, h, w, k, attrs);
        for (String levels : new String[] {"0", "31"}) {
            check(prepared, levels, cin, h, w);
        }
    }

    /** The fused model against the reference kernels at {@code levels} ADC levels (minmax steps). */
    private static void check(Model prepared, String levels, int cin, int h, int w) {
        CimConfig cfg = CimConfig.DEFAULTS.with("digital_layers", "").with("signed_inputs", "split").with("adc_levels", levels);
        List<INDArray> calib = List.of(batch(1, 4, cin, h, w), batch(2, 4, cin, h, w));
        Model reference = new CimModelBuilder(cfg).build(prepared, calib::iterator, 8, null, null).model();
        Model fused = CimModelBuilder.copy(reference);
        CimLayerFusion fusion = new CimLayerFusion();
        fusion.run(fused);
        assertEquals(2, fusion.fusedLayers().size());
        INDArray x = batch(3, 3, cin, h, w);
        float[] expected = new Executor(reference).run(x)[0].dup('c').data().asFloat();
        int nonZero = 0;
        for (float v : expected) {
            nonZero += v != 0 ? 1 : 0;
        }
        assertTrue(nonZero > expected.length / 4, nonZero + " of " + expected.length + " outputs are not zero");
        int previous = CimThreads.count();
        try {
            for (boolean nativeLoop : new boolean[] {true, false}) {
                for (int threads : new int[] {1, 2}) {
                    CimNative.setEnabled(nativeLoop);
                    CimThreads.set(threads);
                    float[] actual = new Executor(fused).run(x)[0].dup('c').data().asFloat();
                    assertArrayEquals(expected, actual, 0f, "L " + levels + ", native " + nativeLoop + ", " + threads + " threads");
                }
            }
        } finally {
            CimNative.setEnabled(true);
            CimThreads.set(previous);
        }
    }
}
