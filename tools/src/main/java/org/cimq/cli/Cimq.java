package org.cimq.cli;

import java.nio.file.Path;
import org.cimq.cli.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root {@code cimq} command; {@link #main} sets up the native-library cache and exits with the command's code. */
@Command(name = "cimq", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Imports ONNX models, runs them on ND4J and maps them onto compute-in-memory arrays.",
        subcommands = {InspectCommand.class, EvalCommand.class, TransformCommand.class, CalibrateCommand.class,
            ExportCommand.class, RetrainCommand.class, BenchCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:failure: bad model, bad data or runtime error (one line on stderr; --verbose adds the stack trace)",
            "2:usage error: unknown option, missing or invalid argument"},
        footer = {"%nRun 'cimq COMMAND --help' for a command's options."})
public final class Cimq {
    /** JavaCPP's system property naming where ND4J's native libraries are unpacked. */
    public static final String JAVACPP_CACHE = "org.bytedeco.javacpp.cachedir";

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    public static void main(String[] args) {
        if (System.getProperty(JAVACPP_CACHE) == null) {
            System.setProperty(JAVACPP_CACHE, Path.of(System.getProperty("user.home"), ".cache", "cimq-javacpp").toString());
        }
        System.exit(commandLine().execute(args));
    }

    /** A command line with cimq's error handling, ready for {@code execute}; tests redirect its out and err. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Cimq());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }
}
