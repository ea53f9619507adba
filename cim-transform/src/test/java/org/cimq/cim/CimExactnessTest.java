package org.cimq.cim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cimq.cim.calib.InputCalibration;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.Quantizer;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.runtime.Executor;
import org.cimq.runtime.cim.CimOps;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * CIM-SPEC's invariants on a model with every layer kind (Conv plain, grouped, depthwise,
 * strided, padded, dilated; Gemm with alpha and transB; MatMul), a signed first layer, small
 * arrays (partial last tiles), every weight scheme, all three mappings, c and d of 1 and 2:
 * L = 0 equals the fake-quantized model exactly, and a lossless ADC (Δ = 1, L ≥ 2·max|ps| + 1)
 * equals L = 0 exactly.
 */
class CimExactnessTest {
    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("rows=128"),
                Arguments.of("rows=5"),
                Arguments.of("rows=7,cell_bits=2,dac_bits=2"),
                Arguments.of("rows=9,mapping=channel-aligned"),
                Arguments.of("rows=10,mapping=balanced"),
                Arguments.of("rows=6,weight_scheme=offset,digital_layers=1"),
                Arguments.of("rows=6,weight_scheme=twos-complement,cell_bits=2"),
                Arguments.of("rows=4,weight_bits=6,input_bits=5,dac_bits=2,signed_inputs=twos-complement"),
                Arguments.of("rows=3,cols=4,cell_bits=3,weight_bits=5"));
    }

    private static CimConfig config(String overrides) {
        CimConfig c = CimConfig.DEFAULTS.with("digital_layers", "").with("signed_inputs", "split");
        for (String kv : overrides.split(",")) {
            String[] p = kv.split("=", 2);
            c = c.with(p[0], p[1]);
        }
        return c;
    }

    @ParameterizedTest
    @MethodSource("configs")
    void noAdcEqualsFakeQuantAndLosslessAdcEqualsNoAdc(String overrides) {
        CimConfig cfg = config(overrides);
        Model prepared = CimTestModels.mixed(7);
        List<INDArray> calib = CimTestModels.batches(11, 2, 8);
        CimModelBuilder builder = new CimModelBuilder(cfg);
        CimModelBuilder.Result plain = builder.build(prepared, () -> calib.iterator(), 16, null, null);
        assertTrue(plain.layers().size() >= 4, "layers mapped: " + plain.layers().size());

        Model fq = CimModelBuilder.copy(prepared);
        List<MappedLayer> fqLayers = LayerSelection.mapped(MappedLayers.find(fq.graph()), cfg.digitalLayers());
        Map<String, LayerSetting> settings = new LinkedHashMap<>();
        for (MappedLayer l : fqLayers) {
            InputCalibration.LayerInput in = plain.inputs().get(l.name());
            settings.put(l.name(), new LayerSetting(in.scale(), in.mode(), AdcSetting.NONE));
        }
        new FakeQuantTransform(cfg).apply(fq, fqLayers, settings);

        int lossless = 2 * cfg.rows() * ((1 << cfg.cellBits()) - 1) * ((1 << cfg.dacBits()) - 1) + 1;
        Map<String, AdcSetting> unit = new LinkedHashMap<>();
        plain.layers().forEach(l -> unit.put(l.name(), AdcSetting.uniform(lossless, Quantizer.ZERO_TREAD, 1.0)));
        Model withAdc = builder.transformed(prepared, plain.inputs(), unit).model();
        long adcNodes = withAdc.graph().nodes().stream().filter(n -> n.opType().equals(CimOps.ADC)).count();
        long arrays = plain.plans().values().stream().mapToLong(TilePlan::rowTiles).sum();
        assertEquals(arrays, adcNodes, "one ADC node per array");

        INDArray x = CimTestModels.batches(99, 1, 5).get(0);
        float[] expected = run(fq, x);
        assertArrayEquals(expected, run(plain.model(), x), 0f, "L = 0 vs fake-quant");
        assertArrayEquals(expected, run(withAdc, x), 0f, "lossless ADC vs L = 0");
        float[] fp = run(prepared, x);
        double err = 0;
        for (int i = 0; i < fp.length; i++) {
            err = Math.max(err, Math.abs(fp[i] - expected[i]));
        }
        assertTrue(err > 0, "quantization changes something");
    }

    private static float[] run(Model m, INDArray x) {
        return new Executor(m).run(x)[0].dup('c').data().asFloat();
    }

    static long count(Model m, String op) {
        return m.graph().nodes().stream().map(Node::opType).filter(op::equals).count();
    }
}
