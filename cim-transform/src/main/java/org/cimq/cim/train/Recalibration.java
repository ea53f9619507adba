package org.cimq.cim.train;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.cimq.cim.CimModelBuilder;
import org.cimq.cim.LayerInputs;
import org.cimq.cim.LayerSelection;
import org.cimq.cim.MappedLayer;
import org.cimq.cim.MappedLayers;
import org.cimq.cim.RangeCalibration;
import org.cimq.cim.calib.RangeSearch;
import org.cimq.cim.config.CimConfig;
import org.cimq.ir.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Input scales and ADC steps for the current weights, found as {@code cimq calibrate --method mse}
 * finds them (the same {@link RangeCalibration} on the same calibration images): the weights are
 * written into a copy of the model, s_x is the activation percentile of the float model, and Δ
 * minimises the output-domain error of the partial-sum histograms at the requested L. L = 0
 * needs only the input scales.
 */
public final class Recalibration {
    private final Model prepared;
    private final CimConfig cfg;
    private final Supplier<Iterator<INDArray>> calib;
    private final long images;

    public Recalibration(Model prepared, CimConfig cfg, Supplier<Iterator<INDArray>> calib, long images) {
        this.prepared = prepared;
        this.cfg = cfg;
        this.calib = calib;
        this.images = images;
    }

    public Map<String, LayerQuant> run(Parameters params, int levels, IntConsumer progress) {
        Model m = CimModelBuilder.copy(prepared);
        params.writeTo(m);
        CimConfig c = cfg.with("adc_levels", Integer.toString(levels));
        if (levels >= 2) {
            RangeCalibration.Result r = RangeCalibration.run(c, m, calib, images, RangeSearch.Method.MSE, false, progress);
            return LayerQuants.of(r.layers(), r.inputs(), r.adc(), c);
        }
        List<MappedLayer> layers = LayerSelection.mapped(MappedLayers.find(m.graph()), c.digitalLayers());
        return LayerQuants.of(layers, LayerInputs.of(m, layers, c, calib.get(), images, progress), Map.of(), c);
    }

    /** Calibration passes over the images per call: 2 with an ADC, 1 without. */
    public static int passes(int levels) {
        return levels >= 2 ? 2 : 1;
    }
}
