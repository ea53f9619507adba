package org.cimq.cli.bench;

import picocli.CommandLine.Command;

/** {@code cimq bench KIND}: a parent for benchmarks; add a kind by listing its class in {@code subcommands}. */
@Command(name = "bench", description = "Benchmarks (run 'cimq bench KIND --help').",
        subcommands = {BenchFloatCommand.class, BenchCimCommand.class, BenchCalibCommand.class, BenchTrainCommand.class})
public final class BenchCommand {
}
