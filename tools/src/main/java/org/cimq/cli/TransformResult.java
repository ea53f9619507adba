package org.cimq.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.cimq.cli.cim.CimReport;

/**
 * The outcome of {@code cimq transform}, as written to JSON: the source model and its SHA-256,
 * the files written ({@code rangesOut} absent when none), then the {@link CimReport}'s fields.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TransformResult(String model, String sourceSha256, String output, String rangesOut,
                              @JsonUnwrapped CimReport cimReport) {
}
