package org.cimq.cim.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CimConfigTest {
    @Test
    void defaultsAreCimSpecs() {
        CimConfig d = CimConfig.DEFAULTS;
        assertEquals(128, d.rows());
        assertEquals(128, d.cols());
        assertEquals(4, d.weightBits());
        assertEquals(1, d.cellBits());
        assertEquals(WeightScheme.DIFFERENTIAL, d.weightScheme());
        assertEquals(4, d.inputBits());
        assertEquals(1, d.dacBits());
        assertEquals(0, d.adcLevels());
        assertEquals(Quantizer.ZERO_TREAD, d.quantizer());
        assertEquals(Granularity.LAYER, d.granularity());
        assertEquals(Mapping.FLAT, d.mapping());
        assertEquals(List.of("first", "last"), d.digitalLayers());
        assertEquals(99.99, d.activationPercentile());
        assertEquals(SignedInputs.ERROR, d.signedInputs());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "rows | 0 | rows: must be an integer from 1 to 65536, got 0",
        "rows | -3 | rows: must be an integer from 1 to 65536, got -3",
        "cols | 65537 | cols: must be an integer from 1 to 65536, got 65537",
        "weight_bits | 1 | weight_bits: must be an integer from 2 to 16, got 1",
        "weight_bits | 17 | weight_bits: must be an integer from 2 to 16, got 17",
        "cell_bits | 0 | cell_bits: must be an integer from 1 to 4 (weight_bits), got 0",
        "cell_bits | 5 | cell_bits: must be an integer from 1 to 4 (weight_bits), got 5",
        "input_bits | 0 | input_bits: must be an integer from 1 to 16, got 0",
        "input_bits | 17 | input_bits: must be an integer from 1 to 16, got 17",
        "dac_bits | 0 | dac_bits: must be an integer from 1 to 4 (input_bits), got 0",
        "dac_bits | 5 | dac_bits: must be an integer from 1 to 4 (input_bits), got 5",
        "adc_levels | 1 | adc_levels: must be 0 (no ADC) or an integer from 2 to 65536, got 1",
        "adc_levels | -2 | adc_levels: must be 0 (no ADC) or an integer from 2 to 65536, got -2",
        "adc_levels | 65537 | adc_levels: must be 0 (no ADC) or an integer from 2 to 65536, got 65537",
        "activation_percentile | 0 | activation_percentile: must be a number in (0, 100], got 0.0",
        "activation_percentile | 100.5 | activation_percentile: must be a number in (0, 100], got 100.5",
        "activation_percentile | NaN | activation_percentile: must be a number in (0, 100], got NaN",
        "weight_scheme | diff | weight_scheme: expected one of differential, offset, twos-complement, got 'diff'",
        "quantizer | midrise | quantizer: expected one of zero-tread, mid-rise, got 'midrise'",
        "granularity | tile | granularity: expected one of network, layer, array, column, got 'tile'",
        "mapping | aligned | mapping: expected one of flat, channel-aligned, balanced, got 'aligned'",
        "signed_inputs | ignore | signed_inputs: expected one of error, split, twos-complement, got 'ignore'",
        "digital_layers | 'first,,last' | digital_layers[1]: must be \"first\", \"last\", a node name or an integer index, got ''",
        "rows | abc | rows: expected an integer, got 'abc'",
        "rows | 1.5 | rows: expected an integer, got '1.5'",
        "rows | 99999999999 | rows: expected a 32-bit integer, got '99999999999'",
        "activation_percentile | high | activation_percentile: expected a number, got 'high'",
    })
    void invalidValuesNameTheFieldAndTheRange(String field, String value, String message) {
        CimConfigException e = assertThrows(CimConfigException.class, () -> CimConfig.DEFAULTS.with(field, value));
        assertEquals(message, e.getMessage());
    }

    @Test
    void cellBitsAreCappedAtEightEvenForWideWeights() {
        CimConfig wide = CimConfig.DEFAULTS.with("weight_bits", "16");
        assertEquals(8, wide.with("cell_bits", "8").cellBits());
        CimConfigException e = assertThrows(CimConfigException.class, () -> wide.with("cell_bits", "9"));
        assertEquals("cell_bits: must be an integer from 1 to 8, got 9", e.getMessage());
    }

    @Test
    void nullsAreRejectedByName() {
        CimConfigException e = assertThrows(CimConfigException.class, () -> new CimConfig(128, 128, 4, 1, null,
                4, 1, 0, Quantizer.ZERO_TREAD, Granularity.LAYER, Mapping.FLAT, List.of(), 99.99, SignedInputs.ERROR));
        assertEquals("weight_scheme: must be one of differential, offset, twos-complement, got nothing", e.getMessage());
        e = assertThrows(CimConfigException.class, () -> new CimConfig(128, 128, 4, 1, WeightScheme.OFFSET,
                4, 1, 0, Quantizer.ZERO_TREAD, Granularity.LAYER, Mapping.FLAT, null, 99.99, SignedInputs.ERROR));
        assertTrue(e.getMessage().startsWith("digital_layers: "), e.getMessage());
    }

    @Test
    void withChangesOneFieldFromItsText() {
        CimConfig c = CimConfig.DEFAULTS.with("adc_levels", "16").with("weight_scheme", "Twos-Complement")
                .with("digital_layers", "first, /fc/Gemm,-1").with("activation_percentile", "99.9");
        assertEquals(16, c.adcLevels());
        assertEquals(WeightScheme.TWOS_COMPLEMENT, c.weightScheme());
        assertEquals(List.of("first", "/fc/Gemm", "-1"), c.digitalLayers());
        assertEquals(99.9, c.activationPercentile());
        assertEquals(CimConfig.DEFAULTS.rows(), c.rows());
        assertEquals(List.of(), c.with("digital_layers", "").digitalLayers());
    }

    @Test
    void withRejectsMissingNameOrValue() {
        assertEquals("rows: no value given",
                assertThrows(CimConfigException.class, () -> CimConfig.DEFAULTS.with("rows", null)).getMessage());
        assertTrue(assertThrows(CimConfigException.class, () -> CimConfig.DEFAULTS.with(null, "3")).getMessage()
                .startsWith("(no name): unknown field, expected one of rows, "));
    }

    @Test
    void withSeveralFieldsAppliesThemTogether() {
        CimConfig eight = CimConfig.DEFAULTS.with(Map.of("input_bits", "8", "dac_bits", "8"));
        CimConfig two = eight.with(Map.of("input_bits", "2", "dac_bits", "2"));
        assertEquals(2, two.inputBits());
        assertEquals(2, two.dacBits());
        assertThrows(CimConfigException.class, () -> eight.with("input_bits", "2"));
    }

    @Test
    void unknownFieldListsTheKnownOnes() {
        CimConfigException e = assertThrows(CimConfigException.class, () -> CimConfig.DEFAULTS.with("adc_level", "4"));
        assertEquals("adc_level: unknown field, expected one of rows, cols, weight_bits, cell_bits, weight_scheme, "
                + "input_bits, dac_bits, adc_levels, quantizer, granularity, mapping, digital_layers, "
                + "activation_percentile, signed_inputs", e.getMessage());
    }

    @Test
    void toMapUsesFileNamesAndIdsInOrder() {
        Map<String, Object> m = CimConfig.DEFAULTS.with("mapping", "channel-aligned").toMap();
        assertEquals(CimConfig.FIELDS, List.copyOf(m.keySet()));
        assertEquals("channel-aligned", m.get("mapping"));
        assertEquals("zero-tread", m.get("quantizer"));
        assertEquals(128, m.get("rows"));
        assertEquals(List.of("first", "last"), m.get("digital_layers"));
    }

    @Test
    void digitalLayersAreCopiedAndImmutable() {
        List<String> layers = new java.util.ArrayList<>(List.of("first"));
        CimConfig c = new CimConfig(128, 128, 4, 1, WeightScheme.DIFFERENTIAL, 4, 1, 0, Quantizer.ZERO_TREAD,
                Granularity.LAYER, Mapping.FLAT, layers, 99.99, SignedInputs.ERROR);
        layers.add("last");
        assertEquals(List.of("first"), c.digitalLayers());
        assertThrows(UnsupportedOperationException.class, () -> c.digitalLayers().add("last"));
    }
}
