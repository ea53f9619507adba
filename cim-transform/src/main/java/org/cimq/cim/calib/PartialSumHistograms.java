package org.cimq.cim.calib;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Value;
import org.cimq.runtime.Executor;
import org.cimq.runtime.cim.CimOps;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One streaming pass over calibration batches through a CIM model (built with L = 0) that counts
 * every array's integer partial sums into {@link LayerHistograms}, one per mapped layer (graph
 * order): per array, plane and slice, and per column when asked. The shift-add weights are read
 * from each layer's {@code CimShiftAdd} node. Memory does not depend on the number of images.
 */
public final class PartialSumHistograms {
    private PartialSumHistograms() {
    }

    /**
     * @param cimModel a CIM model without ADC nodes
     * @param batches  calibration batches (the model's first input)
     * @param bound    the expected largest |partial sum|, R·(2^c−1)·(2^d−1) (counts grow past it if needed)
     * @param columns  whether to count per column too
     * @param progress told the number of images done after each batch, or null
     * @throws CalibrationInterruptedException when the thread is interrupted between batches
     */
    public static Map<String, LayerHistograms> run(Model cimModel, Iterator<INDArray> batches, int bound, boolean columns,
                                                   IntConsumer progress) {
        Map<String, Integer> arrayCounts = new LinkedHashMap<>();
        Map<String, Node> shiftAdds = new HashMap<>();
        for (Node n : cimModel.graph().nodes()) {
            if (!n.domain().equals(CimOps.DOMAIN)) {
                continue;
            }
            if (n.opType().equals(CimOps.ARRAY)) {
                arrayCounts.merge(layer(n), (int) n.attrInt("array", 0) + 1, Math::max);
            } else if (n.opType().equals(CimOps.SHIFT_ADD)) {
                shiftAdds.put(layer(arrayOf(n.input(0))), n);
            }
        }
        Map<String, LayerHistograms> out = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : arrayCounts.entrySet()) {
            Node s = shiftAdds.get(e.getKey());
            if (s == null) {
                throw new IllegalArgumentException("layer '" + e.getKey() + "' has no CimShiftAdd node");
            }
            out.put(e.getKey(), new LayerHistograms(e.getKey(), e.getValue(), doubles(s.attrFloats("plane_weights", null)),
                    doubles(s.attrFloats("slice_weights", null)), bound, columns));
        }
        Executor ex = new Executor(cimModel);
        String input = cimModel.graph().inputs().get(0).name();
        int done = 0;
        while (batches.hasNext()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CalibrationInterruptedException("partial-sum histograms interrupted after " + done + " images");
            }
            INDArray b = batches.next();
            ex.run(Map.of(input, b), (v, a) -> {
                Node p = v.producer();
                if (p != null && p.opType().equals(CimOps.ARRAY) && p.domain().equals(CimOps.DOMAIN)) {
                    int axis = p.attrString("kind", "conv").equals("conv") ? 3 : a.rank() - 1;
                    out.get(layer(p)).add((int) p.attrInt("array", 0), a, axis);
                }
            });
            done += (int) b.size(0);
            if (progress != null) {
                progress.accept(done);
            }
        }
        return out;
    }

    private static String layer(Node n) {
        return n.attrString("layer", n.name());
    }

    private static Node arrayOf(Value v) {
        Node p = v.producer();
        while (p != null && !p.opType().equals(CimOps.ARRAY) && p.inputs().size() > 0) {
            p = p.input(0).producer();
        }
        if (p == null) {
            throw new IllegalArgumentException("a CimShiftAdd input does not come from a CimArray node");
        }
        return p;
    }

    private static double[] doubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
