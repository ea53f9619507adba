package org.cimq.cli.inspect;

/**
 * A node whose weights can sit in a CIM array as a K×N matrix: K rows (the dot-product
 * length, input side) by N columns (one per output channel or feature).
 */
public record MappableNode(String node, String op, String weight, long k, long n) {
    /** Weight elements, K·N. */
    public long cells() {
        return k * n;
    }
}
