package org.cimq.cli;

import java.io.PrintWriter;
import java.util.List;
import org.cimq.cim.RangeCalibration;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.search.AccuracySearch;
import org.cimq.cim.search.CalibrationMethod;
import org.cimq.cim.search.LabelledBatch;
import org.cimq.cim.search.RangeChoice;
import org.cimq.cli.cim.CimBuild;
import org.cimq.data.Dataset;
import org.cimq.ir.Model;

/**
 * The two steps of {@code cimq calibrate}, with their progress bars, for every command that
 * calibrates ADC steps the same way ({@code calibrate}, {@code bench calib}): the input scales and
 * partial-sum histograms over the calibration images ({@link RangeCalibration#histograms}), then
 * one method's steps from them ({@link RangeChoice#choose}; acc methods score candidates on the
 * labelled sample, by default with {@link AccuracySearch.Options#DEFAULT}).
 */
public final class StepCalibration {
    private StepCalibration() {
    }

    /** Input scales and histograms over {@code train} (already limited to the calibration images), two passes. */
    public static RangeCalibration.Histograms histograms(CimConfig cfg, Model prepared, Dataset train, int batch,
                                                         PrintWriter err, boolean quiet) {
        try (Progress p = Progress.start(err, quiet, "calibrate", 2L * train.size())) {
            return RangeCalibration.histograms(cfg, prepared, CimBuild.images(train, batch), train.size(), CimBuild.steps(p));
        }
    }

    /** Method {@code m}'s steps at cfg's L; a progress bar over the candidates for the acc methods. */
    public static RangeChoice.Choice choose(CalibrationMethod m, RangeCalibration.Histograms h, CimConfig cfg, Model prepared,
                                            boolean plain, List<LabelledBatch> sample, PrintWriter err, boolean quiet) {
        return choose(m, h, cfg, prepared, plain, sample, AccuracySearch.Options.DEFAULT, err, quiet);
    }

    /** As above with the search's options (e.g. the reference kernels, for comparison). */
    public static RangeChoice.Choice choose(CalibrationMethod m, RangeCalibration.Histograms h, CimConfig cfg, Model prepared,
                                            boolean plain, List<LabelledBatch> sample, AccuracySearch.Options options,
                                            PrintWriter err, boolean quiet) {
        int total = RangeChoice.candidates(m, h.layers().size(), cfg, options);
        try (Progress p = Progress.start(err, quiet || total == 0, "search " + m.id(), total, " cand")) {
            int[] last = {0};
            return RangeChoice.choose(m, h, cfg, prepared, plain, sample, options, (done, all) -> {
                p.step(done - last[0]);
                last[0] = done;
            });
        }
    }
}
