package org.cimq.runtime.cim;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Everything a {@link FusedLayerKernel} derives from its slices constants, built on the first run: the arrays' rows
 * ({@code tiles}), weight-digit masks per group and array, ADC tables per array, the output channel count, the kernel
 * size (Conv), the most row words of any array, the largest |partial sum|, and the native range loop's tables where
 * every array qualifies ({@link NativeConvLayer}, else null).
 */
record FusedLayerPlan(INDArray[] slices, TileRows[] tiles, TileMasks[][] masks, AdcTables[] tables, int channels, int kh,
                      int kw, int maxWords, int bound, NativeConvLayer nativeLayer) { }
