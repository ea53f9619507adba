package org.cimq.cim.search;

import java.util.ArrayList;
import java.util.List;

/**
 * The candidate grid of the accuracy search: the starting (histogram) step times each factor.
 * {@link #geometric} gives 2^(k/perOctave) for k = −octaves·perOctave .. octaves·perOctave,
 * ordered by |k| (1 first, then the nearer factors, the smaller before the larger), so a tie in
 * score keeps the starting step or the candidate closest to it. The default, 2 octaves either
 * side at 6 per octave, is 25 candidates over [Δ/4, 4Δ], about 12 % apart.
 */
public record StepFactors(List<Double> factors) {
    public static final StepFactors DEFAULT = geometric(2, 6);

    public StepFactors {
        factors = List.copyOf(factors);
        if (factors.isEmpty() || factors.get(0) != 1.0) {
            throw new IllegalArgumentException("the first candidate factor must be 1 (the starting step), got " + factors);
        }
        for (double f : factors) {
            if (!(f > 0) || Double.isInfinite(f)) {
                throw new IllegalArgumentException("candidate factors must be positive and finite, got " + f);
            }
        }
    }

    public static StepFactors geometric(int octaves, int perOctave) {
        List<Double> out = new ArrayList<>();
        out.add(1.0);
        for (int k = 1; k <= octaves * perOctave; k++) {
            out.add(Math.pow(2, -k / (double) perOctave));
            out.add(Math.pow(2, k / (double) perOctave));
        }
        return new StepFactors(out);
    }

    public int size() {
        return factors.size();
    }
}
