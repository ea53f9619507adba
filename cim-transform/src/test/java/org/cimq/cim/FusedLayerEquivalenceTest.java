package org.cimq.cim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.Quantizer;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.runtime.Executor;
import org.cimq.runtime.cim.CimLayerFusion;
import org.cimq.runtime.cim.CimOps;
import org.cimq.runtime.cim.CimNative;
import org.cimq.runtime.cim.CimThreads;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The bit-packed {@code CimFusedLayer} kernel against the reference kernels it replaces
 * ({@code CimArray} → {@code AdcQuantize} → {@code CimShiftAdd}): bit-identical outputs on a
 * model with every layer kind (plain, grouped, depthwise, strided, padded, dilated Conv; Gemm;
 * MatMul), for every weight scheme, all three mappings, c and d of 1 to 3, partial tiles, signed
 * inputs (split, two's complement), and ADCs with no step, one step per layer (steps that make
 * ties and steps whose sums round), per array, per column, even and odd L, mid-rise; each with the
 * native AVX-512 one-bit loop (where this machine has it) and with the Java loop. The fused model runs
 * another batch of the same size first, so its kernels' reused arrays (output accumulators, input bit planes and the
 * executor's spare arrays, which an unobserved run hands to the fused Conv layers) hold stale values.
 */
class FusedLayerEquivalenceTest {
    static Stream<Arguments> cases() {
        return configurations().flatMap(a -> Stream.of(true, false).map(nat -> Arguments.of(a.get()[0], a.get()[1], nat)));
    }

    private static Stream<Arguments> configurations() {
        return Stream.of(
                Arguments.of("rows=128", 1),
                Arguments.of("rows=5", 2),
                Arguments.of("rows=7,cell_bits=2,dac_bits=2", 2),
                Arguments.of("rows=9,mapping=channel-aligned", 1),
                Arguments.of("rows=10,mapping=balanced", 2),
                Arguments.of("rows=6,weight_scheme=offset", 2),
                Arguments.of("rows=6,weight_scheme=twos-complement,cell_bits=2", 2),
                Arguments.of("rows=4,weight_bits=6,input_bits=5,dac_bits=2,signed_inputs=twos-complement", 2),
                Arguments.of("rows=3,cols=4,cell_bits=3,weight_bits=5,dac_bits=3,input_bits=6", 1),
                Arguments.of("rows=70,weight_scheme=offset,cell_bits=2", 2));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void fusedLayersEqualTheReferenceKernelsBitForBit(String overrides, int threads, boolean nativeLoop) {
        CimConfig cfg = CimConfig.DEFAULTS.with("digital_layers", "").with("signed_inputs", "split");
        for (String kv : overrides.split(",")) {
            String[] p = kv.split("=", 2);
            cfg = cfg.with(p[0], p[1]);
        }
        Model prepared = CimTestModels.mixed(3);
        List<INDArray> calib = CimTestModels.batches(11, 2, 8);
        CimModelBuilder builder = new CimModelBuilder(cfg);
        CimModelBuilder.Result plain = builder.build(prepared, () -> calib.iterator(), 16, null, null);
        INDArray x = CimTestModels.batches(42, 1, 5).get(0);
        WeightSlices slices = new WeightSlices(cfg.weightScheme(), cfg.weightBits(), cfg.cellBits());
        Random r = new Random(overrides.hashCode());
        int previous = CimThreads.count();
        CimThreads.set(threads);
        CimNative.setEnabled(nativeLoop);
        long nativeBefore = CimNative.nativeBlocks();
        try {
            check("no ADC", plain.model(), x, plain.layers().size());
            for (String variant : List.of("layer-ties", "layer-rounding", "mid-rise", "array", "column")) {
                Map<String, AdcSetting> adc = new LinkedHashMap<>();
                for (MappedLayer l : plain.layers()) {
                    adc.put(l.name(), setting(variant, r, plain.plans().get(l.name()).rowTiles(),
                            slices.count(), l.n() + (slices.hasReferenceColumn() ? l.groups() : 0)));
                }
                check(variant, builder.transformed(prepared, plain.inputs(), adc).model(), x, plain.layers().size());
            }
            long nativeBlocks = CimNative.nativeBlocks() - nativeBefore;
            if (nativeLoop && CimNative.available() && overrides.equals("rows=128")) {
                assertTrue(nativeBlocks > 0, "the native one-bit loop did not run");
            }
            if (!CimNative.active()) {
                assertEquals(0, nativeBlocks, "the native loop ran while turned off or unavailable");
            }
        } finally {
            CimThreads.set(previous);
            CimNative.setEnabled(true);
        }
    }

    private static AdcSetting setting(String variant, Random r, int tiles, int j0, int columns) {
        double[] steps = {0.5, 1, 1.5, 2, 2.5, 3};
        return switch (variant) {
            case "layer-ties" -> AdcSetting.uniform(3, Quantizer.ZERO_TREAD, steps[r.nextInt(steps.length)]);
            case "layer-rounding" -> AdcSetting.uniform(7, Quantizer.ZERO_TREAD, 0.3 + r.nextDouble());
            case "mid-rise" -> AdcSetting.uniform(4, Quantizer.MID_RISE, 1.5);
            case "array" -> {
                double[] d = new double[tiles];
                for (int t = 0; t < tiles; t++) {
                    d[t] = steps[r.nextInt(steps.length)] * 0.75;
                }
                yield new AdcSetting(5, Quantizer.ZERO_TREAD, 0, d, null);
            }
            default -> {
                double[][][] d = new double[tiles][j0][columns];
                for (double[][] a : d) {
                    for (double[] b : a) {
                        for (int n = 0; n < columns; n++) {
                            b[n] = steps[r.nextInt(steps.length)];
                        }
                    }
                }
                yield new AdcSetting(6, Quantizer.ZERO_TREAD, 0, null, d);
            }
        };
    }

    /** Every layer's output (the shift-add's value, which the fused node keeps) and the model output, compared exactly. */
    private static void check(String variant, Model reference, INDArray x, int layers) {
        Model fused = CimModelBuilder.copy(reference);
        CimLayerFusion fusion = new CimLayerFusion();
        fusion.run(fused);
        assertEquals(layers, fusion.fusedLayers().size(), variant + ": layers fused (kept " + fusion.keptLayers() + ")");
        List<Node> adcs = reference.graph().nodes().stream().filter(n -> n.opType().equals(CimOps.ADC)).toList();
        Map<String, CimLayerFusion.FusedAdc> moved = fusion.fusedAdcs();
        assertEquals(adcs.size(), moved.size(), variant + ": every ADC node's step has a place in a fused node");
        for (Node adc : adcs) {
            CimLayerFusion.FusedAdc f = moved.get(adc.output(0).name());
            assertTrue(fused.graph().nodes().contains(f.layer()), variant);
            assertEquals(adc.input(0).producer().attrInt("array", -1), f.array(), variant + ": " + adc.describe());
            if (adc.attrTensor("deltas") == null) {
                assertEquals(adc.attrFloat("delta", Float.NaN), f.layer().attrFloats("deltas", null)[f.array()], variant);
            }
        }
        assertEquals(0, fused.graph().nodes().stream().filter(n -> n.opType().equals(CimOps.ARRAY)
                || n.opType().equals(CimOps.ADC) || n.opType().equals(CimOps.SHIFT_ADD)
                || n.opType().equals(CimOps.BIT_PLANES)).count(), variant);
        List<Node> fusedNodes = fused.graph().nodes().stream().filter(n -> n.opType().equals(CimOps.FUSED_LAYER)).toList();
        List<String> layerOutputs = fusedNodes.stream().map(n -> n.output(0).name()).toList();
        // the quantizers in front and the output scaling behind were absorbed (so those paths are compared too)
        assertTrue(fusedNodes.stream().anyMatch(n -> n.hasAttr("input_scale")), variant + ": no quantizer absorbed");
        assertTrue(fusedNodes.stream().anyMatch(n -> n.hasAttr("output_scale") && n.hasAttr("output_bias")),
                variant + ": no output scaling absorbed");
        assertEquals(0, fused.graph().nodes().stream().filter(n -> n.opType().equals(CimOps.QUANTIZE_INPUT)).count(),
                variant + ": quantizers left");
        Map<String, float[]> expected = outputs(reference, null, x);
        // the fused kernels first run another batch of the same size: their reused arrays then hold its values
        Map<String, float[]> actual = outputs(fused, CimTestModels.batches(43, 1, 5).get(0).mul(1.7), x);
        String input = reference.graph().inputs().get(0).name();
        String y = reference.graph().outputs().get(0).name();
        assertArrayEquals(expected.get(y), actual.get(y), 0f, variant + ": model output");
        // without an observer the fused Conv layers write into the executor's spare arrays (stale values in them too)
        assertArrayEquals(expected.get(y), actual.get(PLAIN + y), 0f, variant + ": model output, unobserved run");
        int nonZero = 0;
        for (String name : layerOutputs) {
            assertArrayEquals(expected.get(name), actual.get(name), 0f, variant + ": " + name);
            for (float v : expected.get(name)) {
                nonZero += v != 0 ? 1 : 0;
            }
        }
        assertTrue(nonZero > 0, variant + ": some layer output is not zero");
        assertTrue(expected.containsKey(input));
    }

    /** Key prefix of the model outputs of a run without an observer. */
    private static final String PLAIN = "unobserved:";

    /**
     * Every value of the run on {@code x}, by one executor that ran {@code before} first (when not null; with and
     * without an observer), and the model outputs of one more run on {@code x} without an observer (keys {@link #PLAIN}).
     */
    private static Map<String, float[]> outputs(Model m, INDArray before, INDArray x) {
        Map<String, float[]> seen = new LinkedHashMap<>();
        String name = m.graph().inputs().get(0).name();
        Executor executor = new Executor(m);
        if (before != null) {
            executor.run(Map.of(name, before), (v, a) -> { });
            executor.run(Map.of(name, before), null);
        }
        Map<String, INDArray> in = Map.of(name, x);
        seen.put(name, x.dup('c').data().asFloat());
        Map<String, INDArray> out = executor.run(in, (v, a) -> seen.put(v.name(), a.dup('c').data().asFloat()));
        out.forEach((k, v) -> seen.put(k, v.dup('c').data().asFloat()));
        executor.run(in, null).forEach((k, v) -> seen.put(PLAIN + k, v.dup('c').data().asFloat()));
        return seen;
    }
}
