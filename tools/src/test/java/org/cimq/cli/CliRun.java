package org.cimq.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the cimq command line in-process and captures its exit code, stdout and stderr. */
record CliRun(int exit, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Cimq.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** Lines of stderr that are not progress output. */
    java.util.List<String> errorLines() {
        return err.lines().filter(l -> l.startsWith("cimq: error")).toList();
    }
}
