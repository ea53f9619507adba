package org.cimq.cli;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.cimq.cli.cim.CimReport;

/**
 * The outcome of {@code cimq export}, as written to JSON: the source model and its SHA-256, the
 * file written and its format, then the {@link CimReport}'s fields.
 */
public record ExportResult(String model, String sourceSha256, String output, String format,
                           @JsonUnwrapped CimReport cimReport) {
}
