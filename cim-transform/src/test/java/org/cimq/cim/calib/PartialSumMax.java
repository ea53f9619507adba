package org.cimq.cim.calib;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.runtime.Executor;
import org.cimq.runtime.cim.CimOps;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The reference for the minmax baseline ({@code CimModelBuilder.build} without steps takes it from the
 * fused kernels' partial-sum counts): the largest |partial sum| of every array of every mapped layer, observed by running a CIM
 * model (built with L = 0) over calibration batches. Keyed by layer name, one value per array.
 */
public final class PartialSumMax {
    private PartialSumMax() {
    }

    public static Map<String, double[]> run(Model cimModel, Iterator<INDArray> batches, IntConsumer progress) {
        Map<String, double[]> byLayer = new LinkedHashMap<>();
        for (Node n : cimModel.graph().nodes()) {
            if (n.domain().equals(CimOps.DOMAIN) && n.opType().equals(CimOps.ARRAY)) {
                String layer = n.attrString("layer", n.name());
                int t = (int) n.attrInt("array", 0);
                double[] m = byLayer.computeIfAbsent(layer, k -> new double[0]);
                if (m.length <= t) {
                    m = java.util.Arrays.copyOf(m, t + 1);
                    byLayer.put(layer, m);
                }
            }
        }
        Executor ex = new Executor(cimModel);
        String input = cimModel.graph().inputs().get(0).name();
        int done = 0;
        while (batches.hasNext()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CalibrationInterruptedException("partial-sum statistics interrupted after " + done + " images");
            }
            INDArray b = batches.next();
            ex.run(Map.of(input, b), (v, a) -> {
                Node p = v.producer();
                if (p != null && p.opType().equals(CimOps.ARRAY) && p.domain().equals(CimOps.DOMAIN)) {
                    double[] m = byLayer.get(p.attrString("layer", p.name()));
                    int t = (int) p.attrInt("array", 0);
                    m[t] = Math.max(m[t], a.amaxNumber().doubleValue());
                }
            });
            done += (int) b.size(0);
            if (progress != null) {
                progress.accept(done);
            }
        }
        return byLayer;
    }
}
