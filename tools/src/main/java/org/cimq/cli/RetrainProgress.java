package org.cimq.cli;

import java.io.PrintWriter;
import org.cimq.cim.train.Parameters;
import org.cimq.cim.train.Trainer;

/**
 * One progress bar per epoch with the running loss and accuracy; a line per finished epoch; with
 * {@code curve} ({@code --test-each-epoch}), each finished epoch's model written and tested.
 */
final class RetrainProgress implements Trainer.Listener, AutoCloseable {
    private final PrintWriter err;
    private final boolean quiet;
    private final int epochs;
    private final RetrainEpochTests curve;
    private Progress bar;

    RetrainProgress(PrintWriter err, boolean quiet, int epochs, RetrainEpochTests curve) {
        this.err = err;
        this.quiet = quiet;
        this.epochs = epochs;
        this.curve = curve;
    }

    @Override
    public void epochSaved(Trainer.EpochSummary summary, Parameters params, java.util.Map<String, org.cimq.cim.train.LayerQuant> quant) {
        if (curve != null) {
            close();
            curve.measure(summary, params, quant);
        }
    }

    @Override
    public void epochStart(int epoch, int levels, int steps, int firstStep, int images) {
        close();
        bar = Progress.start(err, quiet, "epoch " + (epoch + 1) + "/" + epochs + " L=" + levels, images);
        if (firstStep > 0 && !quiet) {
            err.println("cimq retrain: resuming epoch " + (epoch + 1) + " at step " + (firstStep + 1) + " of " + steps);
            err.flush();
        }
    }

    @Override
    public void step(int images, double runningLoss, double runningAccuracy) {
        bar.message(String.format(" loss %.4f acc %.2f%%", runningLoss, 100 * runningAccuracy));
        bar.step(images);
    }

    @Override
    public void epochEnd(Trainer.EpochSummary s) {
        close();
        if (!quiet) {
            err.printf("cimq retrain: epoch %d (L=%d): train loss %.4f, train accuracy %.2f%%, %.1f s%n", s.epoch(), s.levels(),
                    s.loss(), 100 * s.accuracy(), s.seconds());
            err.flush();
        }
    }

    @Override
    public void recalibrating(int epoch, int levels) {
        close();
        if (!quiet) {
            err.println("cimq retrain: input scales and mse ADC steps (L=" + levels + ") for epoch " + (epoch + 1));
            err.flush();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
