package org.cimq.runtime.cim;

import java.util.Arrays;
import java.util.List;
import org.cimq.ir.Attr;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.runtime.KernelException;
import org.cimq.runtime.NdArrays;
import org.cimq.runtime.OutputReusingKernel;
import org.cimq.runtime.kernels.WindowGeometry;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code CimFusedLayer}: a layer's arrays, ADCs and shift-add in one bit-packed kernel, with the
 * results of {@code CimArray} → {@code AdcQuantize} → {@code CimShiftAdd} bit for bit
 * ({@link CimLayerFusion} builds it from those nodes and the layer's {@code CimBitPlanes}). Inputs:
 * the layer's integer input codes (as {@code CimBitPlanes} takes them) and the slices constant of
 * every array (as {@code CimArray} takes them). Partial sums are popcounts of packed
 * input bit vectors against positive/negative weight-digit masks ({@link TileMasks}), the ADC is
 * a table lookup ({@link AdcTables}), and each output element accumulates
 * {@code (slice_weight[j]·plane_weight[i])·q} in float32 in the order arrays, slices, planes, as
 * {@link ShiftAddKernel} does. Output positions are split over {@link CimThreads}. Supports
 * {@code kind = "conv"} with two spatial axes (any stride, pads, dilation, groups) and
 * {@code kind = "matmul"}.
 * <p>Attributes: {@code kind}; Conv's {@code strides, pads, dilations, group, auto_pad};
 * {@code bits}, {@code input_mode}, {@code digit_bits} (B, the input mode and d, as
 * {@code CimBitPlanes}'s {@code bits}, {@code input_mode}, {@code dac_bits}); per array {@code row_starts, row_ends,
 * channel_starts}; {@code levels} (0: no ADC), {@code quantizer}, and per array {@code deltas}
 * (floats) or {@code column_deltas} (tensors of J×N' steps); {@code plane_weights,
 * slice_weights, reference_column, groups} as on {@code CimShiftAdd}.
 * <p>Optional, where {@link CimLayerFusion} absorbed the nodes around the layer: {@code input_scale}
 * (the layer's {@code CimQuantizeInput} with that {@code scale}: the first input is then the float
 * activation x and the codes are {@code clamp(rint(x / input_scale), min, max)} in float32, as
 * {@link QuantizeInputKernel} computes them), and {@code output_scale} / {@code output_bias} (one float
 * per output channel: the standard Mul and Add after the shift-add, applied in that order in float32,
 * {@code y = out · scale[n] + bias[n]}, as the two elementwise ops round).
 * <p>{@code count_partial_sums} (optional; 1 or 2): also count every integer partial sum into
 * histograms, returned as extra int64 outputs ({@link PartialSumCounts}: per array, plane and
 * slice; with 2 also per column) — calibration's histogram pass. Counting runs the Java loops
 * ({@link OneBitAccumulate#runCounting} for one-bit digits, the general loop otherwise).
 */
final class FusedLayerKernel implements OutputReusingKernel {
    private final Node node;
    private final boolean conv;
    private final int group;
    private final int digitBits;
    private final InputBits.Digits digits;
    private final long[] rowStarts;
    private final long[] rowEnds;
    private final long[] channelStarts;
    private final int levels;
    private final boolean midRise;
    private final float[] deltas;
    private final List<Tensor> columnDeltas;
    private final float[] planeWeights;
    private final float[] sliceWeights;
    private final boolean reference;
    private final WindowGeometry window;
    private final FusedEdges edges;
    private final int countMode;
    private FusedLayerPlan prepared;
    /** The conv path's output accumulator and input bit planes, kept from run to run. */
    private final ScratchArrays scratch = new ScratchArrays();
    private final FusedBlockLoop blocks;

    FusedLayerKernel(Node node, int opset) {
        this.node = node;
        String kind = node.attrString("kind", "");
        if (!kind.equals("conv") && !kind.equals("matmul")) {
            throw new KernelException(node.describe() + ": attribute kind must be 'conv' or 'matmul', got '" + kind + "'");
        }
        this.conv = kind.equals("conv");
        this.group = (int) node.attrInt("group", 1);
        this.digitBits = (int) node.attrInt("digit_bits", -1);
        int bits = (int) node.attrInt("bits", -1);
        if (bits < 1 || bits > 16 || digitBits < 1 || digitBits > bits) {
            throw new KernelException(node.describe() + ": need 1 <= bits <= 16 and 1 <= digit_bits <= bits, got bits " + bits
                    + ", digit_bits " + digitBits);
        }
        this.digits = new InputBits.Digits(InputMode.of(node), bits, digitBits, node.describe());
        this.rowStarts = node.attrInts("row_starts", null);
        this.rowEnds = node.attrInts("row_ends", null);
        this.channelStarts = node.attrInts("channel_starts", null);
        this.levels = (int) node.attrInt("levels", -1);
        this.midRise = node.attrString("quantizer", "zero-tread").equals("mid-rise");
        this.deltas = node.attrFloats("deltas", null);
        Attr cd = node.attr("column_deltas");
        this.columnDeltas = cd instanceof Attr.TensorsAttr t ? t.values() : null;
        this.planeWeights = node.attrFloats("plane_weights", null);
        this.sliceWeights = node.attrFloats("slice_weights", null);
        this.reference = node.attrInt("reference_column", 0) != 0;
        this.window = conv ? new WindowGeometry(node, false) : null;
        this.countMode = (int) node.attrInt("count_partial_sums", 0);
        if (countMode < 0 || countMode > 2) {
            throw new KernelException(node.describe() + ": attribute count_partial_sums must be 0, 1 or 2, got " + countMode);
        }
        this.edges = new FusedEdges(node, digits.min(), digits.max());
        if (digitBits < 1 || digitBits > 16 || rowStarts == null || rowEnds == null || rowStarts.length != rowEnds.length
                || rowStarts.length == 0 || (conv && (channelStarts == null || channelStarts.length != rowStarts.length))
                || planeWeights == null || sliceWeights == null || group < 1 || (levels != 0 && levels < 2)
                || (levels >= 2 && (deltas == null ? columnDeltas == null || columnDeltas.size() != rowStarts.length
                        : deltas.length != rowStarts.length))) {
            throw new KernelException(node.describe() + ": incomplete or inconsistent CimFusedLayer attributes");
        }
        this.blocks = new FusedBlockLoop(node, digitBits, planeWeights, sliceWeights);
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        return run(inputs, null);
    }

    /**
     * The output's shape where the kernel can write it into a given array: Conv layers without partial-sum counting
     * and without reference columns (whose output loses a column per group); null otherwise.
     */
    @Override
    public long[] reusableOutputShape(INDArray[] inputs) {
        if (!conv || countMode != 0 || reference || inputs.length != rowStarts.length + 1) {
            return null;
        }
        long[] s = inputs[0].shape();
        if (s.length != 4) {
            return null;
        }
        FusedLayerPlan p = prepare(Arrays.copyOfRange(inputs, 1, inputs.length));
        WindowGeometry.Resolved r = window.resolve(new long[] {s[2], s[3]}, new long[] {p.kh(), p.kw()});
        return new long[] {s[0], p.channels(), r.out()[0], r.out()[1]};
    }

    @Override
    public INDArray[] runInto(INDArray[] inputs, INDArray out) {
        return reusableOutputShape(inputs) == null ? null : run(inputs, out);
    }

    /** {@link #run(INDArray[])}, the output written into {@code into} where that is not null. */
    private INDArray[] run(INDArray[] inputs, INDArray into) {
        int arrays = rowStarts.length;
        if (inputs.length != arrays + 1) {
            throw new KernelException(node.describe() + ": expected the input codes and " + arrays + " slices inputs, got "
                    + inputs.length + " inputs");
        }
        FusedLayerPlan p = prepare(Arrays.copyOfRange(inputs, 1, inputs.length));
        INDArray codes = inputs[0];
        if (digits.planes() != planeWeights.length) {
            throw new KernelException(node.describe() + ": " + digits.planes() + " digit planes, plane_weights has "
                    + planeWeights.length);
        }
        PartialSumCounts counts = countMode == 0 ? null
                : new PartialSumCounts(arrays, planeWeights.length, sliceWeights.length, p.channels(), p.bound(), countMode == 2);
        INDArray y = conv ? runConv(codes, p, counts, into) : runMatmul(codes.shape(), NdArrays.toFloats(codes), p, counts);
        if (counts == null) {
            return new INDArray[] {y};
        }
        INDArray[] c = counts.outputs();
        INDArray[] out = new INDArray[1 + c.length];
        out[0] = y;
        System.arraycopy(c, 0, out, 1, c.length);
        return out;
    }

    private FusedLayerPlan prepare(INDArray[] slices) {
        if (prepared != null && Arrays.equals(prepared.slices(), slices, (a, b) -> a == b ? 0 : 1)) {
            return prepared;
        }
        int arrays = slices.length;
        int j0 = sliceWeights.length;
        long[] s0 = slices[0].shape();
        if (s0[0] != j0 || (conv && s0.length != 5) || (!conv && s0.length != 3)) {
            throw new KernelException(node.describe() + ": slices of shape " + Arrays.toString(s0) + " do not fit "
                    + j0 + " slices of a " + (conv ? "2-D Conv" : "matrix product"));
        }
        int channels = (int) (conv ? s0[1] : s0[2]);
        int kh = conv ? (int) s0[3] : 1;
        int kw = conv ? (int) s0[4] : 1;
        int groups = conv ? group : 1;
        if (channels % groups != 0) {
            throw new KernelException(node.describe() + ": " + channels + " output columns do not split into " + groups + " groups");
        }
        int perGroup = channels / groups;
        float[][] w = new float[arrays][];
        int maxAbs = 0;
        for (int t = 0; t < arrays; t++) {
            w[t] = slices[t].castTo(DataType.FLOAT).dup('c').data().asFloat();
            for (float v : w[t]) {
                if (v != (int) v) {
                    throw new KernelException(node.describe() + ": weight digit " + v + " is not an integer");
                }
                maxAbs = Math.max(maxAbs, Math.abs((int) v));
            }
        }
        int magnitudeBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(maxAbs));
        TileRows[] tiles = new TileRows[arrays];
        TileMasks[][] masks = new TileMasks[groups][arrays];
        AdcTables[] tables = new AdcTables[arrays];
        int maxWords = 1;
        int maxBound = 0;
        for (int t = 0; t < arrays; t++) {
            int rs = (int) rowStarts[t];
            int re = (int) rowEnds[t];
            tiles[t] = conv ? TileRows.conv(rs, re, kh, kw) : TileRows.matmul(rs, re);
            maxWords = Math.max(maxWords, tiles[t].words());
            long[] st = slices[t].shape();
            float[] wt = w[t];
            TileMasks.Digits digits;
            int array = t;
            if (conv) {
                int cs = group == 1 ? (int) channelStarts[t] : 0;
                int cw = (int) st[2];
                digits = (j, n, seg, c) -> {
                    int local = c - cs;
                    if (local < 0 || local >= cw) {
                        throw new KernelException(node.describe() + ": array " + array + " row outside its slices' channels");
                    }
                    return (int) wt[(((j * channels + n) * cw + local) * kh + seg.ky()) * kw + seg.kx()];
                };
            } else {
                int k = (int) st[1];
                if (k != re - rs) {
                    throw new KernelException(node.describe() + ": array " + array + " holds " + (re - rs)
                            + " rows, its slices have " + k);
                }
                digits = (j, n, seg, c) -> (int) wt[(j * k + (c - rs)) * channels + n];
            }
            for (int g = 0; g < groups; g++) {
                masks[g][t] = TileMasks.of(tiles[t], g * perGroup, perGroup, j0, magnitudeBits, digits);
            }
            int bound = tiles[t].rows() * maxAbs * ((1 << digitBits) - 1);
            maxBound = Math.max(maxBound, bound);
            tables[t] = tables(t, j0, channels, bound);
        }
        NativeConvLayer nativeLayer = conv && digitBits == 1 && magnitudeBits == 1
                ? NativeConvLayer.of(tiles, masks, tables, j0, planeWeights.length, channels)
                : null;
        prepared = new FusedLayerPlan(slices.clone(), tiles, masks, tables, channels, kh, kw, maxWords, maxBound, nativeLayer);
        return prepared;
    }

    /** The ADC tables of array t's columns j·N' + n (the identity without ADC). */
    private AdcTables tables(int t, int j0, int channels, int bound) {
        if (levels == 0) {
            return AdcTables.identity(j0 * channels, bound);
        }
        float[] d;
        if (deltas != null) {
            d = new float[j0 * channels];
            Arrays.fill(d, deltas[t]);
        } else {
            d = NdArrays.fromTensor(columnDeltas.get(t)).castTo(DataType.FLOAT).dup('c').data().asFloat();
            if (d.length != j0 * channels) {
                throw new KernelException(node.describe() + ": column steps of array " + t + " have " + d.length
                        + " values, expected " + j0 + "x" + channels);
            }
        }
        for (float step : d) {
            checkStep(step);
        }
        return AdcTables.of(levels, d, midRise, bound);
    }

    private void checkStep(float d) {
        if (!(d > 0) || Float.isInfinite(d)) {
            throw new KernelException(node.describe() + ": ADC steps must be positive and finite, got " + d);
        }
    }

    private INDArray runConv(INDArray codes, FusedLayerPlan p, PartialSumCounts counts, INDArray into) {
        long[] s = codes.shape();
        if (s.length != 4) {
            throw new KernelException(node.describe() + ": expected input codes [B, C, H, W], got " + Arrays.toString(s));
        }
        int batch = (int) s[0];
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        if (c % group != 0) {
            throw new KernelException(node.describe() + ": " + c + " input channels do not split into " + group + " groups");
        }
        WindowGeometry.Resolved r = window.resolve(new long[] {h, w}, new long[] {p.kh(), p.kw()});
        int oh = (int) r.out()[0];
        int ow = (int) r.out()[1];
        // the absorbed input quantizer and the bit planes, image by image on the CIM threads; the native fill writes
        // every word of the planes, the Java fill only sets bits (so it needs them zeroed)
        boolean nativeFill = CimNative.active() && digits.unsignedBits() && NativeOneBit.fits(1, digits.planeBits(), 1);
        long[] bits = scratch.longs(InputBits.convSize(batch, c, h, w, digits), !nativeFill);
        // the native range loop reads the planes plane-major, which only the native fill writes
        InputBits in = InputBits.conv(batch, c, h, w, digits, bits, nativeFill && FusedBlockLoop.nativeRange(p, counts, (c + 63) >>> 6));
        int chw = c * h * w;
        if (nativeFill) {
            // the native fill reads the activations where ND4J holds them: no copy into a Java array
            INDArray x = FloatArrays.plainFloat(codes);
            CimThreads.forRanges(batch, (from, to) -> NativeOneBit.fillConv(in, x, from, to, c, h * w, digits, edges));
        } else {
            float[] data = NdArrays.toFloats(codes);
            CimThreads.forRanges(batch, (from, to) -> {
                edges.quantize(data, from * chw, to * chw);
                in.fillConv(data, from, to, c, h * w, digits);
            });
        }
        RowPacking.Geometry geo = new RowPacking.Geometry(h, w, oh, ow, (int) window.stride(0), (int) window.stride(1),
                (int) window.dilation(0), (int) window.dilation(1), (int) r.padBegin()[0], (int) r.padBegin()[1], c / group);
        int positions = batch * oh * ow;
        if (in.planeMajor && !reference) {
            // the native range loop writes the output array itself, the absorbed Mul and Add applied by its last tile
            float[] scale = edges.outputScale();
            if (scale != null && scale.length != p.channels()) {
                throw new KernelException(node.describe() + ": output_scale has " + scale.length + " values for "
                        + p.channels() + " output channels");
            }
            long[] shape = {batch, p.channels(), oh, ow};
            INDArray y = into != null ? into : FloatArrays.uninitialized(shape, (long) positions * p.channels());
            FusedBlockLoop.inChunks(positions, 8, (from, to) ->
                    NativeOneBit.convRange(in, p.nativeLayer(), geo, from, to, blocks.alpha, y, scale, edges.outputBias()));
            scratch.giveBack(bits);
            return y;
        }
        float[] out = scratch.floats(Math.multiplyExact(batch * p.channels(), oh * ow),
                !blocks.firstTilesWriteAll(p, in, geo, counts));
        blocks.compute(positions, p, in, out, geo, counts);
        INDArray y = edges.output(out, new long[] {batch, p.channels(), oh, ow}, 1, reference ? group : 0, into);
        scratch.giveBack(out);
        scratch.giveBack(bits);
        return y;
    }

    private INDArray runMatmul(long[] s, float[] data, FusedLayerPlan p, PartialSumCounts counts) {
        int k = (int) s[s.length - 1];
        long m = 1;
        for (int i = 0; i < s.length - 1; i++) {
            m *= s[i];
        }
        InputBits in = InputBits.matrix((int) m, k, digits);
        CimThreads.forRanges((int) m, (from, to) -> {
            edges.quantize(data, from * k, to * k);
            in.fillMatrix(data, from, to, k, digits);
        });
        float[] out = new float[(int) m * p.channels()];
        blocks.compute((int) m, p, in, out, null, counts);
        long[] shape = s.clone();
        shape[shape.length - 1] = p.channels();
        return edges.output(out, shape, shape.length - 1, reference ? 1 : 0);
    }
}
