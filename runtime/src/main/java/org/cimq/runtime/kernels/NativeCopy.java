package org.cimq.runtime.kernels;

import java.lang.ref.Reference;
import java.util.Arrays;
import org.cimq.runtime.NativeLibrary;
import org.cimq.runtime.NdArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float32 copies between strided ND4J views and fills, in C ({@code runtime/src/main/c/cimq_copy.c}):
 * what {@link SliceKernel} and {@link PadKernel} move. ND4J's strided {@code assign}/{@code dup}
 * took about 3 ms per call for ResNet-20's shortcut slices at batch 100. Exact (values are moved,
 * not computed). Active with the native convolution ({@link FloatConvNative#active()}); callers
 * use ND4J where {@link #copy} or {@link #fill} decline.
 */
final class NativeCopy {
    static final String LIBRARY = "libcimqcopy.so";
    private static final boolean LOADED;
    private static final int MAX_RANK;

    static {
        NativeLibrary.Result lib = NativeLibrary.load(LIBRARY);
        LOADED = lib.loaded();
        MAX_RANK = LOADED ? maxRank0() : 0;
    }

    private NativeCopy() {
    }

    static boolean usable(INDArray a) {
        return LOADED && FloatConvNative.active() && a.dataType() == DataType.FLOAT && a.rank() <= MAX_RANK;
    }

    /**
     * dst = src (same shape, both float32 views of any strides); false, having done nothing, where
     * the native copy is off or does not take them. dst must not overlap src.
     */
    static boolean copy(INDArray dst, INDArray src) {
        if (!usable(dst) || !usable(src) || !Arrays.equals(dst.shape(), src.shape())) {
            return false;
        }
        if (dst.length() == 0) {
            return true;
        }
        try {
            copy0(src.data().addressPointer().address(), src.stride(), dst.data().addressPointer().address(), dst.stride(),
                    dst.shape());
        } finally {
            Reference.reachabilityFence(src);
            Reference.reachabilityFence(dst);
        }
        return true;
    }

    /** A new c-order array holding the values of {@code view}: copied natively where {@link #copy} takes it, else ND4J's dup. */
    static INDArray dense(INDArray view) {
        if (usable(view)) {
            INDArray r = Nd4j.createUninitialized(view.dataType(), view.shape(), 'c');
            if (copy(r, view)) {
                return r;
            }
        }
        return view.dup('c');
    }

    /** Every value of {@code dst} (a plain c-order float32 array) = value; false, having done nothing, where declined. */
    static boolean fill(INDArray dst, float value) {
        if (!usable(dst) || !NdArrays.isDenseFloat(dst)) {
            return false;
        }
        try {
            fill0(dst.data().addressPointer().address(), dst.length(), value);
        } finally {
            Reference.reachabilityFence(dst);
        }
        return true;
    }

    private static native int maxRank0();

    private static native void copy0(long src, long[] srcStrides, long dst, long[] dstStrides, long[] shape);

    private static native void fill0(long dst, long n, float value);
}
