package org.cimq.cim;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.cimq.cim.calib.InputCalibration;
import org.cimq.cim.calib.LayerHistograms;
import org.cimq.cim.calib.PartialSumHistograms;
import org.cimq.cim.calib.RangeSearch;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.Granularity;
import org.cimq.ir.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ADC steps for every mapped layer from statistics of its partial sums: calibrate input scales,
 * build the L = 0 CIM model, count its partial sums in one pass ({@link PartialSumHistograms}),
 * then choose Δ from the histograms alone ({@link RangeSearch}) at cfg's L, quantizer and
 * granularity. Two passes over the calibration images in all.
 */
public final class RangeCalibration {
    /** The steps found, with the histograms, inputs and plans behind them, and the times of the histogram pass and the search. */
    public record Result(Map<String, AdcSetting> adc, Map<String, LayerHistograms> histograms, List<MappedLayer> layers,
                         Map<String, TilePlan> plans, Map<String, InputCalibration.LayerInput> inputs, long histogramNanos,
                         long searchNanos) { }

    /** The histograms of every mapped layer with the inputs and plans behind them, and the time of the histogram pass. */
    public record Histograms(Map<String, LayerHistograms> histograms, List<MappedLayer> layers, Map<String, TilePlan> plans,
                             Map<String, InputCalibration.LayerInput> inputs, long histogramNanos) { }

    private RangeCalibration() {
    }

    /**
     * @param calib    a fresh iterator over the calibration batches at each call
     * @param images   images in one pass of {@code calib}
     * @param plain    unweighted partial-sum MSE instead of the output-domain error (mse methods)
     * @param progress told the images done in each pass, or null
     */
    public static Result run(CimConfig cfg, Model prepared, Supplier<Iterator<INDArray>> calib, long images,
                             RangeSearch.Method method, boolean plain, IntConsumer progress) {
        if (cfg.adcLevels() < 2) {
            throw new CimTransformException("range calibration needs an ADC: adc_levels must be >= 2, got " + cfg.adcLevels());
        }
        Histograms h = histograms(cfg, prepared, calib, images, progress);
        long start = System.nanoTime();
        Map<String, AdcSetting> adc = RangeSearch.run(h.histograms(), method, cfg.granularity(), cfg.adcLevels(), cfg.quantizer(),
                plain);
        long took = System.nanoTime() - start;
        return new Result(adc, h.histograms(), h.layers(), h.plans(), h.inputs(), h.histogramNanos(), took);
    }

    /**
     * The two passes without choosing steps: input scales, then the partial-sum histograms of the
     * L = 0 model. Nothing here depends on cfg's L, quantizer or (but for per-column counts, kept
     * when cfg's granularity is column) granularity, so one result serves every L and method.
     */
    public static Histograms histograms(CimConfig cfg, Model prepared, Supplier<Iterator<INDArray>> calib, long images,
                                        IntConsumer progress) {
        CimModelBuilder builder = new CimModelBuilder(cfg);
        List<MappedLayer> layers = LayerSelection.mapped(MappedLayers.find(prepared.graph()), cfg.digitalLayers());
        Map<String, InputCalibration.LayerInput> inputs = LayerInputs.of(prepared, layers, cfg, calib.get(), images, progress);
        CimModelBuilder.Result plainModel = builder.transformed(prepared, inputs, Map.of());
        int bound = histogramBound(cfg);
        long counting = System.nanoTime();
        Map<String, LayerHistograms> h = PartialSumHistograms.run(plainModel.model(), calib.get(), bound,
                cfg.granularity() == Granularity.COLUMN, progress);
        return new Histograms(h, plainModel.layers(), plainModel.plans(), inputs, System.nanoTime() - counting);
    }

    /** The histograms' expected largest |partial sum|, R·(2^c−1)·(2^d−1), at most 4096 (counts grow past it when needed). */
    static int histogramBound(CimConfig cfg) {
        return (int) Math.min(1 << 12, (long) cfg.rows() * ((1L << cfg.cellBits()) - 1) * ((1L << cfg.dacBits()) - 1));
    }
}
