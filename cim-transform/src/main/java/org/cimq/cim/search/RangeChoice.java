package org.cimq.cim.search;

import java.util.List;
import java.util.Map;
import org.cimq.cim.AdcSetting;
import org.cimq.cim.CimModelBuilder;
import org.cimq.cim.CimTransformException;
import org.cimq.cim.RangeCalibration;
import org.cimq.cim.calib.RangeSearch;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.Granularity;
import org.cimq.ir.Model;

/**
 * The ADC steps of one method at one L from histograms already collected
 * ({@link RangeCalibration#histograms}): a histogram method reads them alone; an acc method
 * starts from its histogram method's steps and scores candidates on {@code sample}.
 */
public final class RangeChoice {
    /**
     * The steps, the configuration they belong to (granularity network for the network methods),
     * and, for acc methods, the sample's score with the start and with the chosen steps (else null),
     * the candidates scored and how many of them stopped early as sure losers.
     */
    public record Choice(Map<String, AdcSetting> adc, CimConfig config, SampleScore startScore, SampleScore score,
                         int candidates, int stopped) { }

    private RangeChoice() {
    }

    /**
     * @param cfg    the configuration with the L to calibrate for (≥ 2)
     * @param plain  unweighted partial-sum MSE for the mse methods (and the acc starts)
     * @param sample labelled images for acc methods (ignored by the others)
     */
    public static Choice choose(CalibrationMethod method, RangeCalibration.Histograms h, CimConfig cfg, Model prepared,
                                boolean plain, List<LabelledBatch> sample, AccuracySearch.Options options,
                                AccuracySearch.Listener listener) {
        if (cfg.adcLevels() < 2) {
            throw new CimTransformException("range calibration needs an ADC: adc_levels must be >= 2, got " + cfg.adcLevels());
        }
        if (method.network()) {
            cfg = cfg.with("granularity", "network");
        } else if (method.searched() && cfg.granularity() != Granularity.LAYER && cfg.granularity() != Granularity.ARRAY) {
            throw new CimTransformException(method.id() + " searches one step per layer (or per array): granularity "
                    + cfg.granularity().id() + " is not supported" + (cfg.granularity() == Granularity.NETWORK
                    ? "; use acc-network for one step per network" : ""));
        }
        Map<String, AdcSetting> start = RangeSearch.run(h.histograms(), method.histogramMethod(), cfg.granularity(),
                cfg.adcLevels(), cfg.quantizer(), plain);
        if (!method.searched()) {
            return new Choice(start, cfg, null, null, 0, 0);
        }
        CimModelBuilder builder = new CimModelBuilder(cfg);
        AccuracySearch.Result r = method == CalibrationMethod.ACC_LAYER
                ? AccuracySearch.accLayer(builder, prepared, h.inputs(), accLayerStarts(h, cfg, start, plain), sample, options,
                        listener)
                : AccuracySearch.network(builder, prepared, h.inputs(), start, sample, options, listener);
        return new Choice(r.adc(), cfg, r.start(), r.best(), r.candidates(), r.stopped());
    }

    /**
     * acc-layer's starts: the mse steps and, at layer granularity, the mse-network step (so acc-layer's sample
     * score is at least acc-network's; per-array steps have no network-wide counterpart to start from).
     */
    private static List<Map<String, AdcSetting>> accLayerStarts(RangeCalibration.Histograms h, CimConfig cfg,
                                                               Map<String, AdcSetting> mse, boolean plain) {
        if (cfg.granularity() != Granularity.LAYER) {
            return List.of(mse);
        }
        return List.of(mse, RangeSearch.run(h.histograms(), RangeSearch.Method.MSE_NETWORK, Granularity.NETWORK, cfg.adcLevels(),
                cfg.quantizer(), plain));
    }

    /** Candidates an acc method scores for {@code layers} mapped layers (0 for the histogram methods). */
    public static int candidates(CalibrationMethod method, int layers, CimConfig cfg, AccuracySearch.Options options) {
        return switch (method) {
            case ACC_LAYER -> AccuracySearch.accLayerCandidates(cfg.granularity() == Granularity.LAYER ? 2 : 1, layers, options);
            case ACC_NETWORK -> options.factors().size();
            default -> 0;
        };
    }
}
