package org.cimq.cim.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cimq.ir.Attr;
import org.cimq.ir.DType;
import org.cimq.ir.Dim;
import org.cimq.ir.GraphBuilder;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.cimq.runtime.ModelLoader;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Slice and Pad for retraining: the ResNet option-A shortcut {@code pad(x[:, :, ::2, ::2])}
 * computes what its ONNX definition says, and its gradient is the upstream gradient of each kept
 * element put back where that element came from (zero for sliced-away elements, pad elements
 * dropped) — checked element by element against a hand computation.
 */
class ShapeOpsTest {
    private static Model shortcut(long[] pads) {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", new TensorType(DType.FLOAT, List.of(Dim.symbolic("batch"), Dim.of(2), Dim.of(5), Dim.of(4))));
        Value rows = b.op("Slice", x, b.constant("s0", Tensor.ofLongs(new long[] {1}, 0)),
                b.constant("e0", Tensor.ofLongs(new long[] {1}, Long.MAX_VALUE)), b.constant("a0", Tensor.ofLongs(new long[] {1}, 2)),
                b.constant("p0", Tensor.ofLongs(new long[] {1}, 2)));
        Value cols = b.op("Slice", rows, b.constant("s1", Tensor.ofLongs(new long[] {1}, -3)),
                b.constant("e1", Tensor.ofLongs(new long[] {1}, 100)), b.constant("a1", Tensor.ofLongs(new long[] {1}, -1)),
                b.constant("p1", Tensor.ofLongs(new long[] {1}, 2)));
        Value padded = b.op("Pad", Map.of("mode", Attr.StringAttr.of("constant")), cols,
                b.constant("pads", Tensor.ofLongs(new long[] {8}, pads)));
        b.output(padded, "y", null);
        return ModelLoader.prepare(b.build());
    }

    private static Node node(Model m, String op, int which) {
        return m.graph().nodes().stream().filter(n -> n.opType().equals(op)).toList().get(which);
    }

    @Test
    void stridedShortcutForwardAndGradientByHand() {
        Model m = shortcut(new long[] {0, 1, 0, 0, 0, 1, 0, 0});
        SameDiff sd = SameDiff.create();
        Random r = new Random(3);
        int batch = 2;
        float[] xv = new float[batch * 2 * 5 * 4];
        for (int i = 0; i < xv.length; i++) {
            xv[i] = (float) r.nextGaussian();
        }
        SDVariable x = sd.var("x", Nd4j.create(xv, new long[] {batch, 2, 5, 4}, 'c'));
        SDVariable y = ShapeOps.pad(sd, node(m, "Pad", 0),
                ShapeOps.slice(sd, node(m, "Slice", 1), ShapeOps.slice(sd, node(m, "Slice", 0), x)));
        // rows 0, 2, 4 (step 2); columns from -3 = 1 to the end, step 2: 1, 3; one zero channel before and after
        long[] shape = {batch, 4, 3, 2};
        float[] cv = new float[(int) (batch * 4 * 3 * 2)];
        for (int i = 0; i < cv.length; i++) {
            cv[i] = (float) r.nextGaussian();
        }
        SDVariable c = sd.constant("c", Nd4j.create(cv, shape, 'c'));
        SDVariable loss = sd.sum("loss", y.mul(c));
        loss.markAsLoss();
        INDArray out = y.eval();
        assertArrayEquals(shape, out.shape());
        Map<String, INDArray> g = sd.calculateGradients(null, "x");
        INDArray gx = g.get("x");
        int kept = 0;
        for (int b = 0; b < batch; b++) {
            for (int ch = 0; ch < 4; ch++) {
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 2; j++) {
                        float want = ch == 0 || ch == 3 ? 0f : xv[((b * 2 + ch - 1) * 5 + 2 * i) * 4 + 1 + 2 * j];
                        assertEquals(want, out.getFloat(b, ch, i, j), 0f, "y" + List.of(b, ch, i, j));
                    }
                }
            }
            for (int ch = 0; ch < 2; ch++) {
                for (int h = 0; h < 5; h++) {
                    for (int w = 0; w < 4; w++) {
                        boolean keep = h % 2 == 0 && w % 2 == 1;
                        float want = keep ? cv[((b * 4 + ch + 1) * 3 + h / 2) * 2 + w / 2] : 0f;
                        assertEquals(want, gx.getFloat(b, ch, h, w), 0f, "dL/dx" + List.of(b, ch, h, w));
                        kept += keep ? 1 : 0;
                    }
                }
            }
        }
        assertEquals(batch * 2 * 3 * 2, kept);
        assertTrue(gx.dataType() == DataType.FLOAT);
    }

    @Test
    void croppingPadsAreRefusedWithTheNodeName() {
        Model m = shortcut(new long[] {0, 0, 0, -1, 0, 0, 0, 0});
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.zeros(DataType.FLOAT, 1, 2, 3, 1));
        Node pad = node(m, "Pad", 0);
        TrainingException e = assertThrows(TrainingException.class, () -> ShapeOps.pad(sd, pad, x));
        assertTrue(e.getMessage().startsWith(pad.describe()) && e.getMessage().contains("negative pads"), e.getMessage());
    }
}
