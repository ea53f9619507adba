package org.cimq.cli.bench;

/** One engine's numbers in a benchmark: timed seconds over all passes, throughput, ratio to ORT and top-1. */
public record EngineTiming(String engine, String description, double seconds, double imagesPerSecond,
                           double ratioToOrt, double top1) {
}
