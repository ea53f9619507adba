package org.cimq.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception thrown by a command into exit code 1 and one line on stderr,
 * {@code cimq: error: <message>}; with {@code --verbose} the stack trace follows. A
 * {@link CommandLine.ParameterException} thrown while running (an option value found bad
 * only then) is a usage error like those found while parsing: exit code 2.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) throws Exception {
        if (ex instanceof CommandLine.ParameterException pe) {
            return cmd.getParameterExceptionHandler().handleParseException(pe, parsed.originalArgs().toArray(String[]::new));
        }
        PrintWriter err = cmd.getErr();
        err.println("cimq: error: " + message(ex));
        if (verbose(parsed)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    /** The first line of the exception's message, or its type when it has none. */
    static String message(Throwable ex) {
        String m = ex.getMessage();
        if (m == null || m.isBlank()) {
            return ex.getClass().getName();
        }
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
