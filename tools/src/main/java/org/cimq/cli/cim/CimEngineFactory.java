package org.cimq.cli.cim;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.cimq.cim.CimTransformException;
import org.cimq.cim.config.CimConfig;
import org.cimq.cli.engine.CimqEngine;
import org.cimq.cli.engine.Engine;
import org.cimq.cli.engine.EngineKind;
import org.cimq.data.Dataset;
import org.cimq.ir.Model;

/**
 * Opens the engine {@code cimq eval} runs: the float model, a CIM model built from it here
 * ({@link CimBuild}), or a model that is already transformed, run as it is.
 */
public final class CimEngineFactory {
    /** What to build: the configuration, an optional ranges file, the calibration images and batch size. */
    public record Request(CimConfig config, Path ranges, Dataset calibration, int batch) { }

    /** The engine and, for a CIM model, its report (null for a float model). */
    public record Opened(Engine engine, CimReport report) { }

    private CimEngineFactory() {
    }

    /** @param cim what to build, or null to run the model as it is */
    public static Opened open(Path model, EngineKind kind, int threads, Request cim, PrintWriter err, boolean quiet) {
        return open(model, kind, threads, cim, err, quiet, false);
    }

    /** As above; {@code referenceKernels} runs CIM layers on the plain per-array kernels instead of the fused one. */
    public static Opened open(Path model, EngineKind kind, int threads, Request cim, PrintWriter err, boolean quiet,
                              boolean referenceKernels) {
        if (kind != EngineKind.CIMQ) {
            return new Opened(kind.open(model, threads), null);
        }
        Model m = CimBuildRequest.load(model);
        if (CimNodes.isTransformed(m)) {
            if (cim != null) {
                throw new CimTransformException(model + ": already transformed (it imports domain " + CimNodes.DOMAIN
                        + "); evaluate it without --cim, CIM options, --ranges or --calib-images");
            }
            return new Opened(CimqEngine.of(m, model, threads, referenceKernels), CimNodes.report(m));
        }
        if (cim == null) {
            return new Opened(CimqEngine.of(m, model, threads, referenceKernels), null);
        }
        CimBuild.Built b = CimBuild.run(m, model, cim.config(), cim.calibration(), cim.ranges(), cim.batch(), err, quiet);
        return new Opened(CimqEngine.of(b.result().model(), model, threads, referenceKernels), CimReport.of(b));
    }
}
