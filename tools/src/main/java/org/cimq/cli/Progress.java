package org.cimq.cli;

import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Images done / total, images per second and ETA on stderr (me.tongfei:progressbar). On a
 * terminal the bar is redrawn in place; otherwise a line is printed every 10 s and at the
 * end. Quiet progress prints nothing.
 */
public final class Progress implements AutoCloseable {
    private static final int LINE_INTERVAL_MS = 10_000;
    private final ProgressBar bar;
    private final PrintWriter err;
    private final boolean terminal;

    private Progress(ProgressBar bar, PrintWriter err, boolean terminal) {
        this.bar = bar;
        this.err = err;
        this.terminal = terminal;
    }

    public static Progress start(PrintWriter err, boolean quiet, String task, long total) {
        return start(err, quiet, task, total, " img");
    }

    /** As {@link #start(PrintWriter, boolean, String, long)} counting {@code unit}s (e.g. " cand") instead of images. */
    public static Progress start(PrintWriter err, boolean quiet, String task, long total, String unit) {
        if (quiet) {
            return new Progress(null, err, false);
        }
        boolean terminal = System.console() != null;
        DelegatingProgressBarConsumer consumer = terminal
                ? new DelegatingProgressBarConsumer(line -> {
                    err.print('\r' + line);
                    err.flush();
                }, width())
                : new DelegatingProgressBarConsumer(new DistinctLines(err), 100);
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(terminal ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII)
                .setUnit(unit, 1).showSpeed().setSpeedUnit(ChronoUnit.SECONDS)
                .setUpdateIntervalMillis(terminal ? 250 : LINE_INTERVAL_MS)
                .setConsumer(consumer).build();
        return new Progress(bar, err, terminal);
    }

    private static int width() {
        try {
            return Math.max(40, Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100")) - 1);
        } catch (NumberFormatException e) {
            return 99;
        }
    }

    public void step(long images) {
        if (bar != null) {
            bar.stepBy(images);
        }
    }

    /** Text shown after the bar (e.g. the running loss). */
    public void message(String text) {
        if (bar != null) {
            bar.setExtraMessage(text);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            if (terminal) {
                err.println();
                err.flush();
            }
        }
    }

    /** Prints each line unless it repeats the previous one (the bar re-renders its final state on close). */
    private static final class DistinctLines implements java.util.function.Consumer<String> {
        private final PrintWriter err;
        private String last;

        DistinctLines(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void accept(String line) {
            if (!line.equals(last)) {
                err.println(line);
                err.flush();
                last = line;
            }
        }
    }
}
