package org.cimq.cli.report;

import java.util.List;
import org.cimq.cim.config.CimConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The ADC levels L a report is drawn for: the configuration's when it has an ADC (L ≥ 2), else
 * {@link #DEFAULT_LEVELS} with a note for the page. An explicit {@code -L} below 2 (0 = no ADC) is
 * a usage error: a report's histograms and cost need an ADC.
 */
public final class ReportLevels {
    /** L when neither -L nor the configuration gives one: the paper's headline ADC. */
    public static final int DEFAULT_LEVELS = 3;

    private ReportLevels() {
    }

    /**
     * @param who   what needs the ADC, for the error ("report", "sweep --report")
     * @param notes receives the note when L is defaulted
     */
    public static CimConfig resolve(CimConfig cfg, CommandSpec spec, String who, List<String> notes) {
        if (cfg.adcLevels() >= 2) {
            return cfg;
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--adc-levels")) {
            throw new ParameterException(spec.commandLine(), who + " needs an ADC: -L must be >= 2; L = 0 (no ADC) is not a "
                    + "cost point");
        }
        notes.add("No ADC levels were given (-L); the report uses L = " + DEFAULT_LEVELS + ".");
        return cfg.with("adc_levels", String.valueOf(DEFAULT_LEVELS));
    }
}
