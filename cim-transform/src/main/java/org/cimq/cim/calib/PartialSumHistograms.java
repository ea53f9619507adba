package org.cimq.cim.calib;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import org.cimq.cim.CimModelBuilder;
import org.cimq.ir.Attr;
import org.cimq.ir.DType;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.cimq.runtime.Executor;
import org.cimq.runtime.cim.CimLayerFusion;
import org.cimq.runtime.cim.CimOps;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One streaming pass over calibration batches through a CIM model (built with L = 0) that counts
 * every array's integer partial sums into {@link LayerHistograms}, one per mapped layer (graph
 * order): per array, plane and slice, and per column when asked. The shift-add weights are read
 * from each layer's {@code CimShiftAdd} node. Memory does not depend on the number of images.
 * The pass runs a fused copy of the model ({@link CimLayerFusion}) whose fused layers count their
 * partial sums themselves ({@code count_partial_sums}; the same integers as the reference
 * {@code CimArray} kernels, {@code PartialSumHistogramsTest}); layers left unfused are counted from
 * their {@code CimArray} outputs.
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
        return run(cimModel, batches, bound, columns, progress, true);
    }

    /** {@link #run} with the choice of kernels: {@code fusedKernels} false counts every layer from its reference kernels. */
    public static Map<String, LayerHistograms> run(Model cimModel, Iterator<INDArray> batches, int bound, boolean columns,
                                                   IntConsumer progress, boolean fusedKernels) {
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
        Model counting = cimModel;
        if (fusedKernels) {
            counting = CimModelBuilder.copy(cimModel);
            new CimLayerFusion().run(counting);
        }
        Set<Node> countingLayers = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node f : counting.graph().nodes()) {
            if (f.domain().equals(CimOps.DOMAIN) && f.opType().equals(CimOps.FUSED_LAYER) && out.containsKey(layer(f))) {
                f.setAttr("count_partial_sums", new Attr.IntAttr(columns ? 2 : 1));
                f.addOutput(new Value(f.output(0).name() + "/partial_sum_counts", new TensorType(DType.INT64, null)));
                if (columns) {
                    f.addOutput(new Value(f.output(0).name() + "/partial_sum_column_counts", new TensorType(DType.INT64, null)));
                }
                countingLayers.add(f);
            }
        }
        Executor ex = new Executor(counting);
        String input = counting.graph().inputs().get(0).name();
        int done = 0;
        while (batches.hasNext()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CalibrationInterruptedException("partial-sum histograms interrupted after " + done + " images");
            }
            INDArray b = batches.next();
            Map<Node, INDArray[]> counted = new IdentityHashMap<>();
            ex.run(Map.of(input, b), (v, a) -> {
                Node p = v.producer();
                if (p != null && countingLayers.contains(p)) {
                    int k = p.outputs().indexOf(v);
                    if (k > 0) {
                        counted.computeIfAbsent(p, f -> new INDArray[2])[k - 1] = a;
                    }
                } else if (p != null && p.opType().equals(CimOps.ARRAY) && p.domain().equals(CimOps.DOMAIN)) {
                    int axis = p.attrString("kind", "conv").equals("conv") ? 3 : a.rank() - 1;
                    out.get(layer(p)).add((int) p.attrInt("array", 0), a, axis);
                }
            });
            for (Map.Entry<Node, INDArray[]> e : counted.entrySet()) {
                addCounts(out.get(layer(e.getKey())), e.getKey(), e.getValue()[0], e.getValue()[1]);
            }
            done += (int) b.size(0);
            if (progress != null) {
                progress.accept(done);
            }
        }
        return out;
    }

    /**
     * Fused layer f's counts of one batch: [arrays, planes, slices, width], per column [arrays, slices, columns,
     * planes, width] (null unless asked); columns: the slices constants' output axis.
     */
    private static void addCounts(LayerHistograms h, Node f, INDArray counts, INDArray columnCounts) {
        long[] s = counts.shape();
        int arrays = (int) s[0];
        int width = (int) s[3];
        long[] ws = f.input(1).constant().shape();
        int columns = (int) (ws.length == 5 ? ws[1] : ws[2]);
        long[] all = counts.dup('c').data().asLong();
        long[] cols = columnCounts == null ? null : columnCounts.dup('c').data().asLong();
        int per = all.length / arrays;
        int perCol = cols == null ? 0 : cols.length / arrays;
        for (int t = 0; t < arrays; t++) {
            h.addCounts(t, Arrays.copyOfRange(all, t * per, (t + 1) * per),
                    cols == null ? null : Arrays.copyOfRange(cols, t * perCol, (t + 1) * perCol), columns, (width - 1) / 2);
        }
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
