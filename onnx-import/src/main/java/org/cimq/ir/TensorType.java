package org.cimq.ir;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The static type of a value: element type and shape. {@code dims == null} means the rank is
 * unknown; {@code dtype == null} means the element type is unknown.
 */
public record TensorType(DType dtype, List<Dim> dims) {
    public TensorType {
        dims = dims == null ? null : List.copyOf(dims);
    }

    public static TensorType of(DType dtype, long... shape) {
        return new TensorType(dtype, java.util.Arrays.stream(shape).mapToObj(Dim::of).toList());
    }

    public boolean hasRank() {
        return dims != null;
    }

    public int rank() {
        return dims == null ? -1 : dims.size();
    }

    /** True when every dimension has a known size. */
    public boolean isStatic() {
        return dims != null && dims.stream().allMatch(Dim::isKnown);
    }

    /** The known sizes, with -1 for symbolic or unknown dimensions. */
    public long[] shapeOrMinusOne() {
        return dims.stream().mapToLong(Dim::value).toArray();
    }

    @Override
    public String toString() {
        String d = dims == null ? "?" : dims.stream().map(Dim::toString).collect(Collectors.joining(",", "[", "]"));
        return (dtype == null ? "?" : dtype.name().toLowerCase()) + d;
    }
}
