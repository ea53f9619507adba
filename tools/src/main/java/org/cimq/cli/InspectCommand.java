package org.cimq.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cimq.cim.CimTransformException;
import org.cimq.cim.config.CimConfig;
import org.cimq.cli.cim.CimNodes;
import org.cimq.cli.cim.CimPlans;
import org.cimq.cli.cim.CimTables;
import org.cimq.cli.inspect.MappableNode;
import org.cimq.cli.inspect.ModelSummary;
import org.cimq.ir.Model;
import org.cimq.cli.cim.CimBuildRequest;
import org.cimq.onnx.OnnxImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cimq inspect MODEL}: the model's interface, ops, parameters and CIM-mappable nodes;
 * with {@code --cim} or CIM options, the tile plan of every mapped layer (no data needed); for
 * an already-transformed model, its CIM nodes per layer. JSON adds {@code cimPlan} and
 * {@code cimNodes} respectively.
 */
@Command(name = "inspect", description = {"Show a model's inputs, outputs, op counts, parameters and CIM-mappable nodes (K x N).",
    "With --cim or any CIM option, also the tile plan of each mapped layer; for a transformed model, its CIM nodes."})
public final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Mixin
    CimConfigOptions cim;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The .onnx file.")
    Path model;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() {
        Model m = OnnxImporter.load(model);
        boolean transformed = CimNodes.isTransformed(m);
        if (transformed && cim.given()) {
            throw new CimTransformException(model + ": already transformed (it imports domain " + CimNodes.DOMAIN
                    + "); inspect it without --cim or CIM options");
        }
        CimConfig cfg = cim.given() ? cim.resolve() : null;
        CimPlans plans = cfg != null ? CimPlans.of(CimBuildRequest.load(model), cfg) : null;
        ModelSummary s = ModelSummary.of(model, m);
        PrintWriter out = spec.commandLine().getOut();
        print(s, out);
        Map<String, Object> json = new ObjectMapper().convertValue(s, java.util.LinkedHashMap.class);
        if (transformed) {
            out.println();
            var nodes = CimNodes.layers(m);
            CimTables.printNodes(nodes, out);
            json.put("cimNodes", nodes);
        }
        if (plans != null) {
            out.println();
            CimTables.printPlans(plans, out);
            json.put("cimPlan", plans);
        }
        output.writeJson(json);
        return 0;
    }

    static void print(ModelSummary s, PrintWriter out) {
        out.printf("model       %s%n", s.model());
        out.printf("ir version  %d%s%n", s.irVersion(), s.producer().isEmpty() ? "" : ", producer " + s.producer());
        StringBuilder opsets = new StringBuilder();
        s.opsets().forEach((d, v) -> opsets.append(opsets.length() > 0 ? ", " : "").append(d).append(' ').append(v));
        out.printf("opsets      %s%n", opsets);
        out.printf("parameters  %,d (%d initializers)%n", s.parameters(), s.initializers());
        out.println();
        TextTable io = new TextTable("  ", "", "name", "type");
        s.inputs().forEach(p -> io.row("input", p.name(), p.type()));
        s.outputs().forEach(p -> io.row("output", p.name(), p.type()));
        io.print(out);
        out.println();
        out.printf("ops (%d nodes)%n", s.nodes());
        TextTable ops = new TextTable("  ", "op", "count");
        s.ops().forEach(ops::row);
        ops.print(out);
        out.println();
        Map<String, Integer> byOp = new TreeMap<>();
        long cells = 0;
        for (MappableNode m : s.mappable()) {
            byOp.merge(m.op(), 1, Integer::sum);
            cells += m.cells();
        }
        out.printf("CIM-mappable nodes: %d %s, %,d weights%n", s.mappable().size(), byOp, cells);
        if (!s.mappable().isEmpty()) {
            TextTable t = new TextTable("  ", "node", "op", "weight", "K", "N");
            s.mappable().forEach(m -> t.row(m.node(), m.op(), m.weight(), m.k(), m.n()));
            t.print(out);
        }
        out.flush();
    }
}
