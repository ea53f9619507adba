package org.cimq.cim;

/** The ops cimq maps onto arrays. */
public enum LayerKind {
    CONV, GEMM, MATMUL
}
