package org.cimq.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.cimq.cim.TilePlan;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.cost.CostModel;
import org.cimq.cim.cost.HardwareCost;
import org.cimq.cli.cim.CimBuildRequest;
import org.cimq.cli.cim.CimNodes;
import org.cimq.cli.cim.CimPlans;
import org.cimq.cli.cim.CostTables;
import org.cimq.cim.CimTransformException;
import org.cimq.ir.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cimq cost MODEL --cim ... -L L [--levels 2,3,5,16]}: the hardware cost of the mapped
 * layers ({@link HardwareCost}) from their tile plans alone (no data): per layer at L (or the first
 * of {@code --levels}), and the totals relative to the baseline ADC for every L asked.
 */
@Command(name = "cost", description = {"Estimate arrays, ADC conversions, and ADC energy and area relative to a baseline ADC.",
    "Default model: flash ADCs (L-1 comparators), 16-level baseline at 86%% of the energy and 57%% of the area",
    "(the paper's NeuroSim figures, 128x128 arrays); the non-ADC part does not change with L."})
public final class CostCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Mixin
    CimConfigOptions cim;

    @Mixin
    CostOptions costOptions;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The float .onnx file.")
    Path model;

    @Option(names = "--levels", split = ",", paramLabel = "L", description = "ADC levels to total, comma-separated (each >= 2).")
    List<Integer> levels;

    /** The JSON report: the model, the configuration, the cost model and one cost per L. */
    public record Result(String model, Map<String, Object> cim, CostModel costModel, List<HardwareCost> costs) { }

    @Override
    public Integer call() {
        CostModel m = costOptions.model(spec);
        CimConfig cfg = cim.resolve();
        List<Integer> points = levels(spec, cfg.adcLevels(), levels);
        Model prepared = CimBuildRequest.load(model);
        if (CimNodes.isTransformed(prepared)) {
            throw new CimTransformException(model + ": already transformed (it imports domain " + CimNodes.DOMAIN
                    + "); give the float model");
        }
        List<TilePlan> plans = CimPlans.tilePlans(prepared, cfg);
        List<HardwareCost> costs = new ArrayList<>();
        for (int l : points) {
            costs.add(HardwareCost.of(plans, m, l));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s: %d mapped layers on %dx%d arrays%n", model.getFileName(), plans.size(), cfg.rows(), cfg.cols());
        CostTables.printLayers(costs.get(0), out);
        out.println();
        CostTables.printTotals(costs, out);
        output.writeJson(new Result(model.toString(), cfg.toMap(), m, costs));
        return 0;
    }

    /**
     * The levels to cost: L from the configuration first (when not 0), then {@code --levels}, without
     * repeats. L = 0 (no ADC) and L = 1 are usage errors; so is having no level at all.
     */
    static List<Integer> levels(CommandSpec spec, int configLevels, List<Integer> extra) {
        Set<Integer> out = new LinkedHashSet<>();
        if (configLevels != 0) {
            out.add(configLevels);
        }
        if (extra != null) {
            for (int l : extra) {
                if (l < 2) {
                    throw new ParameterException(spec.commandLine(), "--levels: " + l + " is not a cost point: an ADC has "
                            + "at least 2 levels" + (l == 0 ? " (0 means no ADC)" : ""));
                }
                out.add(l);
            }
        }
        if (out.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "cost needs ADC levels: give -L L or --levels L,... (each >= 2); "
                    + "L = 0 (no ADC) is not a cost point");
        }
        return List.copyOf(out);
    }
}
