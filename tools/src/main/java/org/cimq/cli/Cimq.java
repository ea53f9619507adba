package org.cimq.cli;

import java.nio.file.Path;
import java.util.List;
import org.cimq.onnx.ImportLimits;
import org.cimq.cli.bench.BenchCommand;
import org.cimq.cli.sweep.SweepCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The root {@code cimq} command; {@link #main} sets up the native-library cache and exits with the command's code. */
@Command(name = "cimq", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Imports ONNX models, runs them on ND4J and maps them onto compute-in-memory arrays.",
        subcommands = {InspectCommand.class, EvalCommand.class, TransformCommand.class, CalibrateCommand.class,
            ExportCommand.class, SweepCommand.class, CostCommand.class, ReportCommand.class, RetrainCommand.class,
            BenchCommand.class},
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

    @Option(names = "--max-model-bytes", paramLabel = "BYTES", scope = ScopeType.INHERIT,
            description = "Refuse models whose tensors take more than BYTES in all, before reading them"
                    + " (default 4 GiB, at most 1 GiB per tensor; system property " + ImportLimits.MAX_MODEL_BYTES_PROPERTY + ").")
    void maxModelBytes(long bytes) {
        if (bytes <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-model-bytes must be > 0, got " + bytes);
        }
        maxModelBytes = bytes;
    }

    @Spec
    CommandSpec spec;

    private Long maxModelBytes;

    public static void main(String[] args) {
        if (trains(args)) {
            org.cimq.runtime.OpenMpWaitPolicy.passiveUnlessSet(); // before anything loads ND4J (and libgomp with it)
        }
        if (System.getProperty(JAVACPP_CACHE) == null) {
            System.setProperty(JAVACPP_CACHE, Path.of(System.getProperty("user.home"), ".cache", "cimq-javacpp").toString());
        }
        System.exit(commandLine().execute(args));
    }

    /**
     * Whether {@code args} run a training command ({@code retrain}, {@code bench train}): those get ND4J's OpenMP threads
     * passive ({@link org.cimq.runtime.OpenMpWaitPolicy}; measured in {@code bench train}: 11.1–11.7 → 8.8–9.7 s per
     * 1,000 images), the others keep libgomp's default, under which {@code bench float} was 4 % faster (0.71–0.72 vs
     * 0.68–0.69 × ORT, same runs).
     */
    static boolean trains(String[] args) {
        List<String> words = java.util.Arrays.stream(args).filter(a -> !a.startsWith("-")).limit(2).toList();
        return !words.isEmpty() && (words.get(0).equals("retrain") || (words.get(0).equals("bench") && words.size() > 1
                && words.get(1).equals("train")));
    }

    /** A command line with cimq's error handling, ready for {@code execute}; tests redirect its out and err. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Cimq());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionStrategy(Cimq::executeWithLimits);
        return cl;
    }

    /** Runs the chosen command with {@code --max-model-bytes} in force as a system property, restored afterwards. */
    private static int executeWithLimits(ParseResult parsed) {
        Long bytes = ((Cimq) parsed.commandSpec().userObject()).maxModelBytes;
        String key = ImportLimits.MAX_MODEL_BYTES_PROPERTY;
        String before = System.getProperty(key);
        if (bytes != null) {
            System.setProperty(key, bytes.toString());
        }
        try {
            return new CommandLine.RunLast().execute(parsed);
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }
}
