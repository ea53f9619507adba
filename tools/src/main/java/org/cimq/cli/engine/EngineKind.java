package org.cimq.cli.engine;

import java.nio.file.Path;

/** The engines {@code --engine} can name. */
public enum EngineKind {
    /** cimq's executor on ND4J. */
    CIMQ {
        @Override
        public Engine open(Path model, int threads) {
            return new CimqEngine(model, threads);
        }
    },
    /** ONNX Runtime, the float reference. */
    ORT {
        @Override
        public Engine open(Path model, int threads) {
            return new OrtEngine(model, threads);
        }
    };

    /** Loads {@code model} for this engine using {@code threads} threads within an op. */
    public abstract Engine open(Path model, int threads);

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
