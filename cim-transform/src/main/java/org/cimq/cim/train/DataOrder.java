package org.cimq.cim.train;

import java.util.Random;

/**
 * The deterministic randomness of training, a function of (seed, epoch, step) alone so that a
 * run resumed at any step draws exactly what an uninterrupted one does: each epoch's image order
 * (Fisher–Yates with a generator seeded from (seed, epoch)) and each step's augmentation
 * generator (seeded from (seed, epoch, step)).
 */
public final class DataOrder {
    private DataOrder() {
    }

    public static int[] permutation(long seed, int epoch, int n) {
        Random r = new Random(mix(seed, epoch, -1));
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    public static Random augmentation(long seed, int epoch, int step) {
        return new Random(mix(seed, epoch, step));
    }

    private static long mix(long seed, int epoch, int step) {
        long h = seed * 0x9E3779B97F4A7C15L + epoch;
        h = h * 0xBF58476D1CE4E5B9L + step;
        return h ^ (h >>> 31);
    }
}
