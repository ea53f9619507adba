package org.cimq.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.cimq.cli.inspect.MappableNode;
import org.cimq.cli.inspect.ModelSummary;
import org.cimq.onnx.OnnxImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cimq inspect MODEL}: the model's interface, ops, parameters and CIM-mappable nodes. */
@Command(name = "inspect", description = "Show a model's inputs, outputs, op counts, parameters and CIM-mappable nodes (K x N).")
public final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The .onnx file.")
    Path model;

    @Override
    public Integer call() {
        ModelSummary s = ModelSummary.of(model, OnnxImporter.load(model));
        print(s, spec.commandLine().getOut());
        output.writeJson(s);
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
