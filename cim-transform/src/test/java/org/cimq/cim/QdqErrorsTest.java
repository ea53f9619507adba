package org.cimq.cim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cimq.cim.config.CimConfig;
import org.cimq.ir.DType;
import org.cimq.ir.Model;
import org.junit.jupiter.api.Test;

/** A QDQ model the configuration does not match is refused with a message naming the layer and the remedy. */
class QdqErrorsTest {
    private static String failure(QdqTestModels.Spec spec, CimConfig cfg) {
        Model prepared = QdqPreparation.prepare(QdqTestModels.build(spec));
        return assertThrows(CimTransformException.class, () -> QdqTransformTest.build(prepared, cfg)).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "'" + p + "' in: " + message);
        }
    }

    @Test
    void nonzeroWeightZeroPoint() {
        String m = failure(new QdqTestModels.Spec(DType.UINT8, 0, 3, 7, true), QdqTransformTest.CFG);
        assertMentions(m, "conv_3", "dequantizelinear_2", "zero points [3]", "symmetric");
    }

    @Test
    void eightBitWeightsUnderFourWeightBits() {
        String m = failure(new QdqTestModels.Spec(DType.UINT8, 0, 0, 100, true), QdqTransformTest.CFG);
        assertMentions(m, "layer 'conv_3'", "[-100, 100]", "weight_bits 4", "[-7, 7]", "set weight_bits to 8");
    }

    @Test
    void eightBitWeightsFitEightWeightBits() {
        Model prepared = QdqPreparation.prepare(QdqTestModels.build(new QdqTestModels.Spec(DType.UINT8, 0, 0, 100, true)));
        CimModelBuilder.Result r = QdqTransformTest.build(prepared, QdqTransformTest.CFG.with("weight_bits", "8"));
        assertEquals(7, r.plans().get("conv_3").slices(), "7 magnitude slices for |q| ≤ 127");
    }

    @Test
    void signedActivationsWithSignedInputsError() {
        String m = failure(new QdqTestModels.Spec(DType.INT8, 0, 0, 7, true), QdqTransformTest.CFG);
        assertMentions(m, "layer 'conv_3'", "quantizelinear_0", "signed (int8)", "signed_inputs");
    }

    @Test
    void eightBitActivationsUnderFourInputBits() {
        String m = failure(QdqTestModels.Spec.plain(), QdqTransformTest.CFG.with("input_bits", "4"));
        assertMentions(m, "layer 'conv_3'", "8-bit", "input_bits is 4", "--input-bits 8");
    }

    @Test
    void nonzeroActivationZeroPoint() {
        String m = failure(new QdqTestModels.Spec(DType.UINT8, 128, 0, 7, true), QdqTransformTest.CFG);
        assertMentions(m, "layer 'conv_3'", "quantizelinear_0", "zero point 128");
    }
}
