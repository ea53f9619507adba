package org.cimq.cli;

import java.util.Arrays;
import java.util.Map;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.train.Backward;
import org.cimq.cim.train.BatchNormTraining;
import org.cimq.cim.train.LayerQuant;
import org.cimq.cim.train.Parameters;
import org.cimq.cli.cim.CimBuild;
import org.cimq.data.Dataset;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code retrain}'s training with batch statistics ({@link BatchNormTraining}): its options, checks, recipe text and fold. */
public final class RetrainBatchNormOptions {
    @Option(names = "--train-batch-norm", description = "Train with batch statistics: a BatchNormalization (batch mean "
            + "and variance, learned scale and shift, started from the model's own output statistics) after every mapped "
            + "Conv, folded back into the Conv's weights and bias for every model written (exact: weights are quantized per "
            + "channel). Needs a held or learned quantizer; unless the ADC is odd-symmetric (zero-tread with odd L, or L = 0) "
            + "the BN scales are kept positive.")
    boolean enabled;

    @Option(names = "--batch-norm-start", defaultValue = "model", paramLabel = "FROM", description = "With --train-batch-norm: "
            + "start each BN at the mean and spread of its layer's CIM outputs (model: training starts from the model's "
            + "own function) or of the same layer's outputs without ADC (no-adc: each BN first maps its ADC output onto the "
            + "ADC-free layer's statistics, for a model not yet trained with its ADC). Default: ${DEFAULT-VALUE}.")
    String start;

    /** Usage errors for combinations the option cannot train with. */
    void check(CommandSpec spec, boolean quantizerKept, Backward mode) {
        if (enabled && !quantizerKept) {
            throw usage(spec, "--train-batch-norm needs --hold-quantizer, --learn-steps or --learn-input-scales (re-searching "
                    + "the quantizer between epochs would measure the model without its batch statistics)");
        }
        if (enabled && mode == Backward.ARRAYS) {
            throw usage(spec, "--train-batch-norm needs a runtime-forward engine, not --backward " + Backward.ARRAYS.id());
        }
        if (!start.equals("model") && !start.equals("no-adc")) {
            throw usage(spec, "--batch-norm-start must be model or no-adc, got '" + start + "'");
        }
        if (!enabled && !start.equals("model")) {
            throw usage(spec, "--batch-norm-start needs --train-batch-norm");
        }
    }

    boolean fromNoAdc() {
        return start.equals("no-adc");
    }

    /** The run fingerprint's part. */
    String fingerprint() {
        return enabled ? "|batch-norm" + (start.equals("model") ? "" : "@" + start) : "";
    }

    /** Whether the scales must stay positive at any of {@code levels}. */
    static boolean positiveScales(BatchNormTraining bn, CimConfig cfg, int[] levels) {
        return bn != null && Arrays.stream(levels).anyMatch(l -> BatchNormTraining.keepsScalesPositive(cfg, l));
    }

    /** The recipe's part (empty without the option). */
    String recipe(boolean positiveScales) {
        return enabled ? "batch statistics in training (BN folded into each written model"
                + (positiveScales ? ", its scales kept positive" : "")
                + (fromNoAdc() ? ", started at the ADC-free layers' statistics" : "") + "), " : "";
    }

    /** {@code params} as the prepared model's parameters: with BN trained ({@code bn} not null), folded on {@code calib}. */
    static Parameters folded(BatchNormTraining bn, Parameters params, Map<String, LayerQuant> quant, Dataset calib) {
        return bn == null ? params : bn.folded(params, quant, CimBuild.images(calib, 100));
    }

    private static ParameterException usage(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
