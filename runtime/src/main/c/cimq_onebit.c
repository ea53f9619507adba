/*
 * cimq's native inner loop of the fused CIM kernel for one-bit input digits and weight digits in
 * {-1, 0, 1} (org.cimq.runtime.cim.NativeOneBit, the AVX-512 twin of OneBitAccumulate).
 * For every output channel n of the group, slice j and plane i (in that order) and every packed
 * position p it adds alpha[j][i] * table[zero[j][n] + ps] to the position's output element, with
 * ps = popcount(a & pos) - popcount(a & neg) over the row words: the same float32 multiplications
 * and additions, in the same order per element, as the Java loop, so results are bit-identical.
 * Eight positions are processed at once with VPOPCNTQ; the running sums of a channel live in a
 * small buffer and are read from and written back to the output once per channel.
 * Vectors of eight positions whose plane bits are all zero are skipped where the column's Q(0) is +0, as the
 * Java loop skips such positions (exact: adding alpha * (+0) changes no running sum).
 * convBlock0 also packs the rows (RowPacking.pack) for Conv layers whose pixels fit one word, straight into
 * the plane-word-major layout the loop reads.
 * The ADC is a gather from the table or, for tables that are step functions of at most 8 runs (small L), compares
 * against the run starts and a register permute (adc8): the same values.
 * Built with -ffp-contract=off: a fused multiply-add would round differently from Java.
 */
#include <jni.h>
#include <immintrin.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

#define MAX_POSITIONS 64
#define MAX_PLANES 64
/* row segments of one tile: each holds at least one of its at most 128 rows */
#define MAX_SEGMENTS 128

#define AVX512 __attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx512vpopcntdq")))

/*
 * How one column's ADC is evaluated on eight partial sums: a gather from its table (any table), or, where
 * the column's table is a step function of at most 4 (8) runs (AdcTables.runs), the run index counted with
 * 3 (7) compares against the run starts and the value picked from a register with a permute. Both read
 * values that came from the same table, so they give the same floats bit for bit.
 */
enum adc_mode { ADC_GATHER = 0, ADC_RUNS4 = 1, ADC_RUNS8 = 2, ADC_IDENTITY = 3, ADC_MASK_ENDS = 4, ADC_MASK4 = 5 };

/*
 * Tables of at most four runs (L = 2 and 3, the levels that matter most) skip the level arithmetic: the run of each of
 * the eight 64-bit partial sums is read off compares against the run starts (as masks), and the running sum takes
 * alpha[i] * value(run) -- the very float product the other modes form, computed once per (column, plane) -- added
 * under the run's mask. Runs whose value is +0 or -0 are not added at all: the other modes add alpha * (±0) there,
 * which leaves a running sum that is not -0 bit for bit unchanged, and the running sums are never -0 (they start at
 * +0, and a float sum is -0 only when both terms are). So the results are the same floats. The zero-tread L = 3 ADC
 * tabulates as four runs, -Δ, -0 (rint of a small negative quotient), +0, +Δ: ADC_MASK_ENDS, two compares and two
 * masked adds; ADC_MASK4 is any other table of at most four runs (up to three compares, one masked add per run that
 * is not zero).
 */

typedef struct {
    __m256i zv;
    __m256i t[7];
    __m256 lv;
    __m512i cn; /* the column's count of negative digits (the bias of the one-popcount partial sum) */
} adc_col;

AVX512
static inline __attribute__((always_inline)) __m256 adc8(__m256i s32, const float *table, const adc_col *c, const int mode) {
    if (mode == ADC_GATHER) {
        return _mm256_i32gather_ps(table, _mm256_add_epi32(s32, c->zv), 4);
    }
    if (mode == ADC_IDENTITY) {
        return _mm256_cvtepi32_ps(s32); /* the identity table holds (float) v: exact for |v| < 2^24 */
    }
    __m256i l = _mm256_add_epi32(_mm256_add_epi32(_mm256_cmpgt_epi32(s32, c->t[0]), _mm256_cmpgt_epi32(s32, c->t[1])),
                                 _mm256_cmpgt_epi32(s32, c->t[2]));
    if (mode == ADC_RUNS8) {
        l = _mm256_add_epi32(l, _mm256_add_epi32(_mm256_add_epi32(_mm256_cmpgt_epi32(s32, c->t[3]),
                                                                  _mm256_cmpgt_epi32(s32, c->t[4])),
                                                 _mm256_add_epi32(_mm256_cmpgt_epi32(s32, c->t[5]),
                                                                  _mm256_cmpgt_epi32(s32, c->t[6]))));
    }
    return _mm256_permutevar8x32_ps(c->lv, _mm256_sub_epi32(_mm256_setzero_si256(), l));
}

/*
 * One plane of one vector of eight packed positions: sum + alpha[i] * ADC(ps) for the eight partial sums ps of plane i
 * (x0p: its first row word; the second, if any, cnt8 further on).
 */
AVX512
static inline __attribute__((always_inline)) __m256 plane_step(const int64_t *x0p, int cnt8, __m512i p0, __m512i p1,
                                                              __m512i n0, __m512i n1, const float *alpha_i,
                                                              const float *table, const adc_col *c, const float *a,
                                                              __m512i t0, __m512i t1, __m512i t2, int add_run, __m256 sum,
                                                              const int words, const int mode) {
    /* one popcount per word: the positive and negative masks are disjoint, so popcount(a & pos) - popcount(a & neg)
       = popcount((a & pos) | (~a & neg)) - popcount(neg), the select being one ternary-logic instruction (0xCA:
       a ? pos : neg); s is the partial sum plus the column's negative-digit count, which the thresholds of the masked
       modes include and the other modes subtract */
    __m512i x0 = _mm512_loadu_si512(x0p);
    __m512i s;
    if (words == 2) {
        __m512i x1 = _mm512_loadu_si512(x0p + cnt8);
        s = _mm512_add_epi64(_mm512_popcnt_epi64(_mm512_ternarylogic_epi64(x0, p0, n0, 0xCA)),
                             _mm512_popcnt_epi64(_mm512_ternarylogic_epi64(x1, p1, n1, 0xCA)));
    } else {
        s = _mm512_popcnt_epi64(_mm512_ternarylogic_epi64(x0, p0, n0, 0xCA));
    }
    if (mode == ADC_MASK_ENDS) {
        sum = _mm256_mask_add_ps(sum, (__mmask8) ~_mm512_cmpgt_epi64_mask(s, t0), sum, _mm256_set1_ps(a[0]));
        return _mm256_mask_add_ps(sum, _mm512_cmpgt_epi64_mask(s, t2), sum, _mm256_set1_ps(a[3]));
    }
    if (mode == ADC_MASK4) {
        __mmask8 above0 = _mm512_cmpgt_epi64_mask(s, t0);
        __mmask8 above1 = _mm512_cmpgt_epi64_mask(s, t1);
        __mmask8 above2 = _mm512_cmpgt_epi64_mask(s, t2);
        if (add_run & 1) sum = _mm256_mask_add_ps(sum, (__mmask8) ~above0, sum, _mm256_set1_ps(a[0]));
        if (add_run & 2) sum = _mm256_mask_add_ps(sum, (__mmask8) (above0 & ~above1), sum, _mm256_set1_ps(a[1]));
        if (add_run & 4) sum = _mm256_mask_add_ps(sum, (__mmask8) (above1 & ~above2), sum, _mm256_set1_ps(a[2]));
        if (add_run & 8) sum = _mm256_mask_add_ps(sum, above2, sum, _mm256_set1_ps(a[3]));
        return sum;
    }
    __m256 q = adc8(_mm512_cvtepi64_epi32(_mm512_sub_epi64(s, c->cn)), table, c, mode);
    return _mm256_add_ps(sum, _mm256_mul_ps(_mm256_broadcast_ss(alpha_i), q));
}

/*
 * One (channel, slice): for every vector of eight packed positions, acc[p] += alpha[i] * ADC(ps) over the planes i in
 * order, the running sums held in registers across the planes (words 1 or 2). Eight vectors (then four, then one) go
 * through the planes together: each running sum is a chain of dependent float adds, and independent chains keep the
 * adder busy where one would leave it waiting on the previous add's latency. A group is skipped for plane i only where
 * all its vectors are zero in it (computing a zero vector adds alpha * Q(0) = +0 where skipping is allowed at all: the
 * same floats).
 */
AVX512
static inline __attribute__((always_inline)) void slice_loop(const int64_t *xt, int cnt8, int vectors, int planes,
                                                             const uint8_t *nz, int skip_zero, __m512i p0, __m512i p1,
                                                             __m512i n0, __m512i n1, const float *alpha,
                                                             const float *table, const adc_col *c, const float *amul,
                                                             __m512i t0, __m512i t1, __m512i t2, int add_run, float *acc,
                                                             const int words, const int mode) {
    int v = 0;
    for (; v + 8 <= vectors; v += 8) {
        int p = v * 8;
        __m256 s0 = _mm256_loadu_ps(acc + p), s1 = _mm256_loadu_ps(acc + p + 8), s2 = _mm256_loadu_ps(acc + p + 16);
        __m256 s3 = _mm256_loadu_ps(acc + p + 24), s4 = _mm256_loadu_ps(acc + p + 32), s5 = _mm256_loadu_ps(acc + p + 40);
        __m256 s6 = _mm256_loadu_ps(acc + p + 48), s7 = _mm256_loadu_ps(acc + p + 56);
        for (int i = 0; i < planes; i++) {
            uint64_t z8;
            memcpy(&z8, nz + i * vectors + v, 8);
            if (skip_zero && !z8) {
                continue;
            }
            const int64_t *x = xt + (words * i) * cnt8 + p;
            const float *a = amul + 4 * i;
#define CIMQ_STEP(sk, off) sk = plane_step(x + (off), cnt8, p0, p1, n0, n1, alpha + i, table, c, a, t0, t1, t2, add_run, sk, \
                                           words, mode)
            CIMQ_STEP(s0, 0); CIMQ_STEP(s1, 8); CIMQ_STEP(s2, 16); CIMQ_STEP(s3, 24);
            CIMQ_STEP(s4, 32); CIMQ_STEP(s5, 40); CIMQ_STEP(s6, 48); CIMQ_STEP(s7, 56);
#undef CIMQ_STEP
        }
        _mm256_storeu_ps(acc + p, s0);
        _mm256_storeu_ps(acc + p + 8, s1);
        _mm256_storeu_ps(acc + p + 16, s2);
        _mm256_storeu_ps(acc + p + 24, s3);
        _mm256_storeu_ps(acc + p + 32, s4);
        _mm256_storeu_ps(acc + p + 40, s5);
        _mm256_storeu_ps(acc + p + 48, s6);
        _mm256_storeu_ps(acc + p + 56, s7);
    }
    for (; v + 4 <= vectors; v += 4) {
        int p = v * 8;
        __m256 s0 = _mm256_loadu_ps(acc + p);
        __m256 s1 = _mm256_loadu_ps(acc + p + 8);
        __m256 s2 = _mm256_loadu_ps(acc + p + 16);
        __m256 s3 = _mm256_loadu_ps(acc + p + 24);
        for (int i = 0; i < planes; i++) {
            const uint8_t *z = nz + i * vectors + v;
            if (skip_zero && !(z[0] | z[1] | z[2] | z[3])) {
                continue;
            }
            const int64_t *x = xt + (words * i) * cnt8 + p;
            const float *a = amul + 4 * i;
            s0 = plane_step(x, cnt8, p0, p1, n0, n1, alpha + i, table, c, a, t0, t1, t2, add_run, s0, words, mode);
            s1 = plane_step(x + 8, cnt8, p0, p1, n0, n1, alpha + i, table, c, a, t0, t1, t2, add_run, s1, words, mode);
            s2 = plane_step(x + 16, cnt8, p0, p1, n0, n1, alpha + i, table, c, a, t0, t1, t2, add_run, s2, words, mode);
            s3 = plane_step(x + 24, cnt8, p0, p1, n0, n1, alpha + i, table, c, a, t0, t1, t2, add_run, s3, words, mode);
        }
        _mm256_storeu_ps(acc + p, s0);
        _mm256_storeu_ps(acc + p + 8, s1);
        _mm256_storeu_ps(acc + p + 16, s2);
        _mm256_storeu_ps(acc + p + 24, s3);
    }
    for (; v < vectors; v++) {
        int p = v * 8;
        __m256 sum = _mm256_loadu_ps(acc + p);
        for (int i = 0; i < planes; i++) {
            if (skip_zero && !nz[i * vectors + v]) {
                continue;
            }
            sum = plane_step(xt + (words * i) * cnt8 + p, cnt8, p0, p1, n0, n1, alpha + i, table, c, amul + 4 * i, t0, t1, t2,
                             add_run, sum, words, mode);
        }
        _mm256_storeu_ps(acc + p, sum);
    }
}

#define SLICE_LOOP(W, M) slice_loop(xt, cnt8, vectors, planes, nz, skip_zero, p0, p1, n0, n1, alpha + j * planes, table, \
                                    &col, amul, t0, t1, t2, add_run, acc, W, M)

/*
 * The loop over channels, slices and planes for packed positions laid out plane word by plane word:
 * xt[(i * words + w) * cnt8 + p] is row word w of plane i at position p (cnt8 = count rounded up to 8,
 * the padding positions all zero). A vector of eight positions whose plane-i words are all zero has
 * ps = 0 everywhere; where the column's Q(0) is +0 its term alpha * (+0) leaves every running sum as it is
 * (the sums start at +0 and never become -0), so such vectors are skipped, as the Java loop skips them.
 * fresh: the block's output elements are known to be +0 (the caller's first tile into a new array), so the running
 * sums start at +0 without reading them (the same value, without the cache misses of a first touch).
 */
AVX512
static void accumulate_xt(const int64_t *xt, int cnt8, int count, int words, int planes, const int64_t *mk, int per_group,
                          int slices, const float *table, const int32_t *zero, const int32_t *runs, const int32_t *run_starts,
                          const float *run_values, int first, int channels, const float *alpha, float *out,
                          const int32_t *out_base, int stride, int fresh, const float *scale, const float *bias) {
    float acc[MAX_POSITIONS];
    uint8_t nz[MAX_PLANES * (MAX_POSITIONS / 8)];
    int vectors = cnt8 / 8;
    for (int i = 0; i < planes; i++) {
        for (int v = 0; v < vectors; v++) {
            __m512i any = _mm512_setzero_si512();
            for (int w = 0; w < words; w++) {
                any = _mm512_or_si512(any, _mm512_loadu_si512(xt + (i * words + w) * cnt8 + v * 8));
            }
            nz[i * vectors + v] = _mm512_test_epi64_mask(any, any) != 0;
        }
    }
    for (int nl = 0; nl < per_group; nl++) {
        int n = first + nl;
        int offset = n * stride;
        for (int p = 0; p < cnt8; p++) {
            acc[p] = p < count && !fresh ? out[out_base[p] + offset] : 0.0f;
        }
        for (int j = 0; j < slices; j++) {
            int pm = (nl * slices + j) * 2 * words;
            int column = j * channels + n;
            int32_t z = zero[column];
            float q0 = table[z];
            int skip_zero = q0 == 0.0f && !signbit(q0);
            adc_col col;
            int64_t negatives = __builtin_popcountll((uint64_t) mk[pm + words])
                                + (words == 2 ? __builtin_popcountll((uint64_t) mk[pm + 3]) : 0);
            col.cn = _mm512_set1_epi64(negatives);
            col.lv = _mm256_setzero_ps();
            col.zv = _mm256_set1_epi32(z);
            int r = runs[column];
            int mode = r == 0 ? ADC_IDENTITY : r <= 4 ? ADC_RUNS4 : r <= 8 ? ADC_RUNS8 : ADC_GATHER;
            float amul[4 * MAX_PLANES];
            __m512i t0 = _mm512_setzero_si512(), t1 = t0, t2 = t0;
            int add_run = 0;
            if (r >= 2 && r <= 4) {
                /* the masked adds: run k of r <= 4 runs is the partial sums above run_starts[k - 1] and not above
                   run_starts[k] (unused starts are INT_MAX); runs whose value is ±0 are not added */
                const float *rv = run_values + column * 8;
                const float *al = alpha + j * planes;
                for (int k = 0; k < r; k++) {
                    if (rv[k] != 0.0f) {
                        add_run |= 1 << k;
                    }
                }
                for (int i = 0; i < planes; i++) {
                    for (int k = 0; k < 4; k++) {
                        amul[4 * i + k] = k < r ? al[i] * rv[k] : 0.0f;
                    }
                }
                /* the starts biased by the negative-digit count, as the partial sums (plane_step) are */
                const int32_t *st = run_starts + column * 7;
                t0 = _mm512_set1_epi64((int64_t) st[0] + negatives);
                t1 = _mm512_set1_epi64((int64_t) st[1] + negatives);
                t2 = _mm512_set1_epi64((int64_t) st[2] + negatives);
                if (r >= 3 && add_run == (1 | 1 << (r - 1))) {
                    /* only the lowest and the highest run count: compare against the first and the last start */
                    t2 = _mm512_set1_epi64((int64_t) st[r - 2] + negatives);
                    for (int i = 0; i < planes; i++) {
                        amul[4 * i + 3] = al[i] * rv[r - 1];
                    }
                    mode = ADC_MASK_ENDS;
                } else {
                    mode = ADC_MASK4;
                }
            }
            if (mode == ADC_RUNS4 || mode == ADC_RUNS8) {
                for (int k = 0; k < 7; k++) {
                    col.t[k] = _mm256_set1_epi32(run_starts[column * 7 + k]);
                }
                col.lv = _mm256_loadu_ps(run_values + column * 8);
            }
            __m512i p0 = _mm512_set1_epi64(mk[pm]);
            __m512i p1 = words == 2 ? _mm512_set1_epi64(mk[pm + 1]) : p0;
            __m512i n0 = _mm512_set1_epi64(mk[pm + words]);
            __m512i n1 = words == 2 ? _mm512_set1_epi64(mk[pm + 3]) : n0;
            if (words == 2) {
                if (mode == ADC_MASK_ENDS) SLICE_LOOP(2, ADC_MASK_ENDS);
                else if (mode == ADC_MASK4) SLICE_LOOP(2, ADC_MASK4);
                else if (mode == ADC_RUNS4) SLICE_LOOP(2, ADC_RUNS4);
                else if (mode == ADC_RUNS8) SLICE_LOOP(2, ADC_RUNS8);
                else if (mode == ADC_IDENTITY) SLICE_LOOP(2, ADC_IDENTITY);
                else SLICE_LOOP(2, ADC_GATHER);
            } else {
                if (mode == ADC_MASK_ENDS) SLICE_LOOP(1, ADC_MASK_ENDS);
                else if (mode == ADC_MASK4) SLICE_LOOP(1, ADC_MASK4);
                else if (mode == ADC_RUNS4) SLICE_LOOP(1, ADC_RUNS4);
                else if (mode == ADC_RUNS8) SLICE_LOOP(1, ADC_RUNS8);
                else if (mode == ADC_IDENTITY) SLICE_LOOP(1, ADC_IDENTITY);
                else SLICE_LOOP(1, ADC_GATHER);
            }
        }
        if (scale) {
            /* the layer's last tile: the absorbed Mul (and Add) as FusedEdges applies them, y = acc * scale (+ bias) */
            float sc = scale[n];
            if (bias) {
                float b = bias[n];
                for (int p = 0; p < count; p++) {
                    float y = acc[p] * sc;
                    out[out_base[p] + offset] = y + b;
                }
            } else {
                for (int p = 0; p < count; p++) {
                    out[out_base[p] + offset] = acc[p] * sc;
                }
            }
        } else {
            for (int p = 0; p < count; p++) {
                out[out_base[p] + offset] = acc[p];
            }
        }
    }
}

/* Positions packed by the Java side (a[p * planes * words + i * words + w]): transposed, then accumulated. */
AVX512
static void accumulate_avx512(const int64_t *a, int count, int words, int planes, const int64_t *mk, int per_group,
                              int slices, const float *table, const int32_t *zero, const int32_t *runs,
                              const int32_t *run_starts, const float *run_values, int first, int channels,
                              const float *alpha, float *out, const int32_t *out_base, int stride, int fresh) {
    int cnt8 = (count + 7) & ~7;
    int64_t xt[MAX_PLANES * 2 * MAX_POSITIONS];
    int per_pos = planes * words;
    for (int q = 0; q < planes * words; q++) {
        for (int p = 0; p < cnt8; p++) {
            xt[q * cnt8 + p] = p < count ? a[p * per_pos + q] : 0;
        }
    }
    accumulate_xt(xt, cnt8, count, words, planes, mk, per_group, slices, table, zero, runs, run_starts, run_values, first,
                  channels, alpha, out, out_base, stride, fresh, NULL, NULL);
}

/* A row segment of a tile, resolved for one block: its offset in the window, source bits, destination word and shift. */
typedef struct { int oy, ox, src_bit, dst_word, dst_shift, straddle; uint64_t mask; } pack_segment;

/* The input words (planes of them) under segment sg of the window at (y0, x0), or NULL where it lies on padding. */
static inline const int64_t *segment_source(const pack_segment *sg, int y0, int x0, int inside, int h, int w,
                                            const int64_t *base, int planes) {
    int yy = y0 + sg->oy;
    int xx = x0 + sg->ox;
    if (!inside && (yy < 0 || yy >= h || xx < 0 || xx >= w)) {
        return NULL;
    }
    return base + (int64_t) (yy * w + xx) * planes;
}

/*
 * Per row segment, once per block: its offset in the window (dilation applied), source bit, bit mask, destination
 * word and shift; and the largest window offsets. geo = h, w, sy, sx, dy, dx, pad_top, pad_left.
 */
static void resolve_segments(const int32_t *segs, int nseg, int src_base, const int32_t *geo, pack_segment *sp, int *max_oy,
                             int *max_ox) {
    int dy = geo[4], dx = geo[5];
    for (int s = 0; s < nseg; s++) {
        const int32_t *sg = segs + 5 * s;
        int len = sg[3];
        sp[s].oy = sg[0] * dy;
        sp[s].ox = sg[1] * dx;
        sp[s].src_bit = src_base + sg[2];
        sp[s].mask = len == 64 ? ~(uint64_t) 0 : (((uint64_t) 1 << len) - 1);
        sp[s].dst_word = sg[4] >> 6;
        sp[s].dst_shift = sg[4] & 63;
        sp[s].straddle = sp[s].dst_shift != 0 && sp[s].dst_shift + len > 64;
        *max_oy = sp[s].oy > *max_oy ? sp[s].oy : *max_oy;
        *max_ox = sp[s].ox > *max_ox ? sp[s].ox : *max_ox;
    }
}

/*
 * What both packers do first: resolve the row segments (resolve_segments) and zero the padding positions count..cnt8
 * of every one of the pw plane words of xt (their partial sums are never stored). Returns pw.
 */
static int begin_block(const int32_t *segs, int nseg, int src_base, const int32_t *geo, pack_segment *sp, int *max_oy,
                       int *max_ox, int64_t *xt, int pw, int count, int cnt8) {
    resolve_segments(segs, nseg, src_base, geo, sp, max_oy, max_ox);
    for (int i = 0; i < pw; i++) {
        for (int p = count; p < cnt8; p++) {
            xt[i * cnt8 + p] = 0;
        }
    }
    return pw;
}

/*
 * RowPacking.pack for a block of Conv output positions whose input pixels hold their channels in one word
 * (bits[pixel * planes + i], bit c = channel c), straight into the plane-word-major layout: for every position p
 * and row segment s = (ky, kx, channel_lo, length, first_bit) the run of input channels of the pixel under that
 * kernel offset (none where the window is on padding), plane by plane. geo = h, w, sy, sx, dy, dx, pad_top, pad_left.
 */
AVX512
static void pack_conv_xt(const int64_t *bits, int planes, const int32_t *segs, int nseg, int src_base, const int32_t *geo,
                         int count, const int32_t *pixel_base, const int32_t *oys, const int32_t *oxs, int words,
                         int64_t *xt, int cnt8) {
    int h = geo[0], w = geo[1], sy = geo[2], sx = geo[3], pt = geo[6], pl = geo[7];
    pack_segment sp[MAX_SEGMENTS];
    int max_oy = 0, max_ox = 0;
    int pw = begin_block(segs, nseg, src_base, geo, sp, &max_oy, &max_ox, xt, planes * words, count, cnt8);
    if (planes <= 8) {
        /* planes in the lanes of one register per destination word: a segment is a handful of vector operations */
        __mmask8 lanes = (__mmask8) ((1u << planes) - 1);
        for (int p = 0; p < count; p++) {
            __m512i acc0 = _mm512_setzero_si512();
            __m512i acc1 = _mm512_setzero_si512();
            int y0 = oys[p] * sy - pt;
            int x0 = oxs[p] * sx - pl;
            int inside = y0 >= 0 && x0 >= 0 && y0 + max_oy < h && x0 + max_ox < w;
            const int64_t *base = bits + (int64_t) pixel_base[p] * planes;
            for (int s = 0; s < nseg; s++) {
                const int64_t *src = segment_source(&sp[s], y0, x0, inside, h, w, base, planes);
                if (src == NULL) {
                    continue;
                }
                __m512i v = _mm512_maskz_loadu_epi64(lanes, src);
                __m512i run = _mm512_and_si512(_mm512_srl_epi64(v, _mm_cvtsi32_si128(sp[s].src_bit)),
                                       _mm512_set1_epi64((int64_t) sp[s].mask));
                __m512i lo = _mm512_sll_epi64(run, _mm_cvtsi32_si128(sp[s].dst_shift));
                if (sp[s].dst_word == 0) {
                    acc0 = _mm512_or_si512(acc0, lo);
                    if (sp[s].straddle) {
                        acc1 = _mm512_or_si512(acc1, _mm512_srl_epi64(run, _mm_cvtsi32_si128(64 - sp[s].dst_shift)));
                    }
                } else {
                    acc1 = _mm512_or_si512(acc1, lo);
                }
            }
            int64_t t0[8], t1[8];
            _mm512_storeu_si512(t0, acc0);
            _mm512_storeu_si512(t1, acc1);
            for (int q = 0; q < planes; q++) {
                xt[(q * words) * cnt8 + p] = t0[q];
                if (words == 2) {
                    xt[(q * words + 1) * cnt8 + p] = t1[q];
                }
            }
        }
        return;
    }
    for (int p = 0; p < count; p++) {
        uint64_t wb[MAX_PLANES * 2];
        for (int i = 0; i < pw; i++) {
            wb[i] = 0;
        }
        int y0 = oys[p] * sy - pt;
        int x0 = oxs[p] * sx - pl;
        int inside = y0 >= 0 && x0 >= 0 && y0 + max_oy < h && x0 + max_ox < w;
        const int64_t *base = bits + (int64_t) pixel_base[p] * planes;
        for (int s = 0; s < nseg; s++) {
            const int64_t *src = segment_source(&sp[s], y0, x0, inside, h, w, base, planes);
            if (src == NULL) {
                continue;
            }
            int sb = sp[s].src_bit, dw = sp[s].dst_word, sh = sp[s].dst_shift;
            uint64_t mask = sp[s].mask;
            if (sp[s].straddle) {
                for (int q = 0; q < planes; q++) {
                    uint64_t run = ((uint64_t) src[q] >> sb) & mask;
                    wb[q * words + dw] |= run << sh;
                    wb[q * words + dw + 1] |= run >> (64 - sh);
                }
            } else {
                for (int q = 0; q < planes; q++) {
                    wb[q * words + dw] |= (((uint64_t) src[q] >> sb) & mask) << sh;
                }
            }
        }
        for (int i = 0; i < pw; i++) {
            xt[i * cnt8 + p] = (int64_t) wb[i];
        }
    }
}

/*
 * Eight consecutive output positions of one output row (stride 1 along x) packed with vector loads from plane-major
 * input bits (bits[q * ps + pixel], bit c = channel c): per row segment and plane, one masked load of the eight input
 * words under the segment (lanes on padding not loaded, so zero), then the same shifts and masks as the per-position
 * loop, into registers that are stored as the eight positions' words of xt. PLANES and WORDS are constants.
 */
AVX512
static inline __attribute__((always_inline)) void pack_pm_vector(const int64_t *bits, int64_t ps, const pack_segment *sp,
                                                                int nseg, int h, int w, int y0, int x0, int64_t pixel0,
                                                                int64_t *xt, int cnt8, int p, const int PLANES,
                                                                const int WORDS) {
    __m512i acc[8];
    for (int i = 0; i < PLANES * WORDS; i++) {
        acc[i] = _mm512_setzero_si512();
    }
    for (int s = 0; s < nseg; s++) {
        int yy = y0 + sp[s].oy;
        int xx = x0 + sp[s].ox;
        if (yy < 0 || yy >= h || xx >= w || xx + 8 <= 0) {
            continue;
        }
        int lo = xx < 0 ? -xx : 0;
        int hi = w - xx < 8 ? w - xx : 8;
        __mmask8 m = (__mmask8) (((1u << hi) - 1) & ~((1u << lo) - 1));
        const int64_t *src = bits + pixel0 + (int64_t) yy * w + xx;
        __m128i sb = _mm_cvtsi32_si128(sp[s].src_bit);
        __m128i sh = _mm_cvtsi32_si128(sp[s].dst_shift);
        __m128i back = _mm_cvtsi32_si128(64 - sp[s].dst_shift);
        __m512i mask = _mm512_set1_epi64((int64_t) sp[s].mask);
        int dw = sp[s].dst_word;
        for (int q = 0; q < PLANES; q++) {
            __m512i v = _mm512_maskz_loadu_epi64(m, src + q * ps);
            __m512i run = _mm512_and_si512(_mm512_srl_epi64(v, sb), mask);
            if (WORDS == 1 || dw == 0) {
                acc[q * WORDS] = _mm512_or_si512(acc[q * WORDS], _mm512_sll_epi64(run, sh));
                if (WORDS == 2 && sp[s].straddle) {
                    acc[q * WORDS + 1] = _mm512_or_si512(acc[q * WORDS + 1], _mm512_srl_epi64(run, back));
                }
            } else {
                acc[q * WORDS + 1] = _mm512_or_si512(acc[q * WORDS + 1], _mm512_sll_epi64(run, sh));
            }
        }
    }
    for (int i = 0; i < PLANES * WORDS; i++) {
        _mm512_storeu_si512(xt + i * cnt8 + p, acc[i]);
    }
}

/*
 * pack_conv_xt for plane-major input bits (bits[q * ps + pixel]; the native range loop's layout, written by the
 * native fill): runs of eight positions in one output row with stride 1 along x go through pack_pm_vector (4 planes),
 * every other position through the per-position loop. The same words as pack_conv_xt on the pixel-major bits.
 */
AVX512
static void pack_conv_xt_pm(const int64_t *bits, int64_t ps, int planes, const int32_t *segs, int nseg, int src_base,
                            const int32_t *geo, int count, const int32_t *pixel_base, const int32_t *oys,
                            const int32_t *oxs, int words, int64_t *xt, int cnt8) {
    int h = geo[0], w = geo[1], sy = geo[2], sx = geo[3], pt = geo[6], pl = geo[7];
    pack_segment sp[MAX_SEGMENTS];
    int max_oy = 0, max_ox = 0;
    int pw = begin_block(segs, nseg, src_base, geo, sp, &max_oy, &max_ox, xt, planes * words, count, cnt8);
    for (int p = 0; p < count; p++) {
        if ((p & 7) == 0 && p + 8 <= count && sx == 1 && planes == 4 && pixel_base[p] == pixel_base[p + 7]
            && oys[p] == oys[p + 7] && oxs[p + 7] == oxs[p] + 7) {
            int y0 = oys[p] * sy - pt;
            int x0 = oxs[p] - pl;
            if (words == 1) {
                pack_pm_vector(bits, ps, sp, nseg, h, w, y0, x0, pixel_base[p], xt, cnt8, p, 4, 1);
            } else {
                pack_pm_vector(bits, ps, sp, nseg, h, w, y0, x0, pixel_base[p], xt, cnt8, p, 4, 2);
            }
            p += 7;
            continue;
        }
        uint64_t wb[MAX_PLANES * 2];
        for (int i = 0; i < pw; i++) {
            wb[i] = 0;
        }
        int y0 = oys[p] * sy - pt;
        int x0 = oxs[p] * sx - pl;
        for (int s = 0; s < nseg; s++) {
            int yy = y0 + sp[s].oy;
            int xx = x0 + sp[s].ox;
            if (yy < 0 || yy >= h || xx < 0 || xx >= w) {
                continue;
            }
            const int64_t *src = bits + pixel_base[p] + (int64_t) yy * w + xx;
            int sb = sp[s].src_bit, dw = sp[s].dst_word, sh = sp[s].dst_shift;
            uint64_t mask = sp[s].mask;
            for (int q = 0; q < planes; q++) {
                uint64_t run = ((uint64_t) src[q * ps] >> sb) & mask;
                wb[q * words + dw] |= run << sh;
                if (sp[s].straddle) {
                    wb[q * words + dw + 1] |= run >> (64 - sh);
                }
            }
        }
        for (int i = 0; i < pw; i++) {
            xt[i * cnt8 + p] = (int64_t) wb[i];
        }
    }
}

AVX512
static void conv_block_avx512(const int64_t *bits, int planes, const int32_t *segs, int nseg, int src_base,
                              const int32_t *geo, int count, const int32_t *pixel_base, const int32_t *oys,
                              const int32_t *oxs, int words, const int64_t *mk, int per_group, int slices,
                              const float *table, const int32_t *zero, const int32_t *runs, const int32_t *run_starts,
                              const float *run_values, int first, int channels, const float *alpha,
                              float *out, const int32_t *out_base, int stride, int fresh, int64_t plane_stride,
                              const float *scale, const float *bias) {
    int cnt8 = (count + 7) & ~7;
    int64_t xt[MAX_PLANES * 2 * MAX_POSITIONS];
    if (plane_stride > 0) {
        pack_conv_xt_pm(bits, plane_stride, planes, segs, nseg, src_base, geo, count, pixel_base, oys, oxs, words, xt, cnt8);
    } else {
        pack_conv_xt(bits, planes, segs, nseg, src_base, geo, count, pixel_base, oys, oxs, words, xt, cnt8);
    }
    accumulate_xt(xt, cnt8, count, words, planes, mk, per_group, slices, table, zero, runs, run_starts, run_values, first,
                  channels, alpha, out, out_base, stride, fresh, scale, bias);
}

/*
 * Every block of MAX_POSITIONS Conv output positions in [from, to), every group and every tile, in one call (what the
 * Java side's block loop did with one convBlock0 per block, group and tile): the same positions, in the same blocks
 * and the same order, so the same floats. Positions are numbered b * oh * ow + oy * ow + ox; geo = h, w, sy, sx, dy,
 * dx, pad_top, pad_left, oh, ow. tile_info holds per tile its words, segment count and first segment (in ints of
 * segs); mask_off the first mask of group g, tile t at [g * tiles + t]; value_off the start of tile t's ADC values;
 * zero, runs, run_starts and run_values hold tile t's columns at t * slices * channels (times 7 and 8 for the last two).
 */
AVX512
static void conv_range_avx512(const int64_t *bits, int planes, const int32_t *tile_info, const int32_t *segs, int tiles,
                              int groups, int per_group_channels_in, const int32_t *geo, int from, int to, const int64_t *mk,
                              const int32_t *mask_off, int per_group, int slices, const float *values,
                              const int32_t *value_off, const int32_t *zero, const int32_t *runs, const int32_t *run_starts,
                              const float *run_values, int channels, const float *alpha, float *out, int64_t ps,
                              const float *scale, const float *bias) {
    int h = geo[0], w = geo[1], oh = geo[8], ow = geo[9];
    int stride = oh * ow;
    int jc = slices * channels;
    int32_t out_base[MAX_POSITIONS], pixel_base[MAX_POSITIONS], oys[MAX_POSITIONS], oxs[MAX_POSITIONS];
    for (int pos0 = from; pos0 < to; pos0 += MAX_POSITIONS) {
        int count = to - pos0 < MAX_POSITIONS ? to - pos0 : MAX_POSITIONS;
        for (int pc = 0; pc < count; pc++) {
            int pos = pos0 + pc;
            int b = pos / stride;
            int rem = pos - b * stride;
            oys[pc] = rem / ow;
            oxs[pc] = rem - oys[pc] * ow;
            out_base[pc] = b * channels * stride + rem;
            pixel_base[pc] = b * h * w;
        }
        for (int g = 0; g < groups; g++) {
            for (int t = 0; t < tiles; t++) {
                const int32_t *ti = tile_info + 3 * t;
                conv_block_avx512(bits, planes, segs + ti[2], ti[1], g * per_group_channels_in, geo, count, pixel_base, oys,
                                  oxs, ti[0], mk + mask_off[g * tiles + t], per_group, slices, values + value_off[t],
                                  zero + t * jc, runs + t * jc, run_starts + t * jc * 7, run_values + t * jc * 8,
                                  g * per_group, channels, alpha, out, out_base, stride, t == 0, ps,
                                  t == tiles - 1 ? scale : NULL, t == tiles - 1 ? bias : NULL);
            }
        }
    }
}

/*
 * InputBits.fillConv for unsigned one-bit digits (plane q = bit q of the code), with the absorbed input quantizer
 * when quantize != 0 (code = min(max(rint(x / scale), lo), hi) in float32, ties to even, as FusedEdges.quantize):
 * images [from, to) of x [B, C, H*W] into bits[((b*hw + k)*planes + q)*words + ch/64]: bit ch%64 set where bit q of
 * the code is, every word of those images written whole (whatever it held before), eight pixels at a time. Returns -1, or the index of the first element that cannot be coded (NaN when quantizing;
 * not an integer in [lo, hi] otherwise): the Java side then raises its own error for that element.
 */
AVX512
static jlong fill_conv_unsigned(const float *x, int from, int to, int c, int hw, int planes, int quantize, float scale,
                                float lo, float hi, int64_t *bits, int64_t plane_stride) {
    int words = (c + 63) / 64;
    __m256 vs = _mm256_set1_ps(scale), vlo = _mm256_set1_ps(lo), vhi = _mm256_set1_ps(hi);
    int64_t tmp[MAX_PLANES][8];
    for (int b = from; b < to; b++) {
        for (int wd = 0; wd < words; wd++) {
            int ch_end = c < (wd + 1) * 64 ? c : (wd + 1) * 64;
            for (int k = 0; k < hw; k += 8) {
                int n = hw - k < 8 ? hw - k : 8;
                __mmask8 lanes = (__mmask8) ((1u << n) - 1);
                __m512i w[MAX_PLANES];
                for (int q = 0; q < planes; q++) {
                    w[q] = _mm512_setzero_si512();
                }
                for (int ch = wd * 64; ch < ch_end; ch++) {
                    int64_t src = ((int64_t) b * c + ch) * hw + k;
                    __m256 v = _mm256_maskz_loadu_ps(lanes, x + src);
                    __m256 code;
                    if (quantize) {
                        __m256 z = _mm256_div_ps(v, vs);
                        __mmask8 nan = _mm256_mask_cmp_ps_mask(lanes, v, v, _CMP_UNORD_Q);
                        if (nan) {
                            return src + __builtin_ctz(nan);
                        }
                        code = _mm256_min_ps(_mm256_max_ps(_mm256_roundscale_ps(z, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC),
                                                           vlo), vhi);
                    } else {
                        __mmask8 bad = _mm256_mask_cmp_ps_mask(lanes, _mm256_roundscale_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC),
                                                               v, _CMP_NEQ_UQ)
                                       | _mm256_mask_cmp_ps_mask(lanes, v, vlo, _CMP_NGE_UQ)
                                       | _mm256_mask_cmp_ps_mask(lanes, v, vhi, _CMP_NLE_UQ);
                        if (bad) {
                            return src + __builtin_ctz(bad);
                        }
                        code = v;
                    }
                    __m256i iv = _mm256_cvtps_epi32(code);
                    __m512i bit = _mm512_set1_epi64((int64_t) ((uint64_t) 1 << (ch & 63)));
                    for (int q = 0; q < planes; q++) {
                        __mmask8 m = _mm256_test_epi32_mask(iv, _mm256_set1_epi32(1 << q));
                        w[q] = _mm512_mask_or_epi64(w[q], m, w[q], bit);
                    }
                }
                if (plane_stride > 0) {
                    /* plane-major (one word of channels): plane q's words of these n pixels are contiguous */
                    for (int q = 0; q < planes; q++) {
                        _mm512_mask_storeu_epi64(bits + q * plane_stride + (int64_t) b * hw + k, lanes, w[q]);
                    }
                    continue;
                }
                for (int q = 0; q < planes; q++) {
                    _mm512_storeu_si512(tmp[q], w[q]);
                }
                for (int i = 0; i < n; i++) {
                    int64_t *d = bits + (((int64_t) b * hw + k + i) * planes) * words + wd;
                    for (int q = 0; q < planes; q++) {
                        d[(int64_t) q * words] = tmp[q][i];
                    }
                }
            }
        }
    }
    return -1;
}

JNIEXPORT jboolean JNICALL Java_org_cimq_runtime_cim_NativeOneBit_supported0(JNIEnv *env, jclass cls) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq")
           && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vpopcntdq");
}

JNIEXPORT jint JNICALL Java_org_cimq_runtime_cim_NativeOneBit_maxPositions0(JNIEnv *env, jclass cls) {
    return MAX_POSITIONS;
}

JNIEXPORT jint JNICALL Java_org_cimq_runtime_cim_NativeOneBit_maxPlanes0(JNIEnv *env, jclass cls) {
    return MAX_PLANES;
}

JNIEXPORT void JNICALL Java_org_cimq_runtime_cim_NativeOneBit_accumulate0(
        JNIEnv *env, jclass cls, jlongArray a_arr, jint count, jint words, jint planes, jlongArray masks_arr,
        jint per_group, jint slices, jfloatArray table_arr, jintArray zero_arr, jintArray runs_arr, jintArray starts_arr,
        jfloatArray run_values_arr, jint first, jint channels, jfloatArray alpha_arr, jfloatArray out_arr,
        jintArray out_base_arr, jint stride, jboolean fresh) {
    jint *runs = (*env)->GetPrimitiveArrayCritical(env, runs_arr, NULL);
    jint *starts = (*env)->GetPrimitiveArrayCritical(env, starts_arr, NULL);
    jfloat *run_values = (*env)->GetPrimitiveArrayCritical(env, run_values_arr, NULL);
    jlong *a = (*env)->GetPrimitiveArrayCritical(env, a_arr, NULL);
    jlong *mk = (*env)->GetPrimitiveArrayCritical(env, masks_arr, NULL);
    jfloat *table = (*env)->GetPrimitiveArrayCritical(env, table_arr, NULL);
    jint *zero = (*env)->GetPrimitiveArrayCritical(env, zero_arr, NULL);
    jfloat *alpha = (*env)->GetPrimitiveArrayCritical(env, alpha_arr, NULL);
    jfloat *out = (*env)->GetPrimitiveArrayCritical(env, out_arr, NULL);
    jint *out_base = (*env)->GetPrimitiveArrayCritical(env, out_base_arr, NULL);
    if (a && mk && table && zero && runs && starts && run_values && alpha && out && out_base) {
        accumulate_avx512((const int64_t *) a, count, words, planes, (const int64_t *) mk, per_group, slices, table,
                          (const int32_t *) zero, (const int32_t *) runs, (const int32_t *) starts, run_values, first,
                          channels, alpha, out, (const int32_t *) out_base, stride, fresh);
    }
    if (out_base) (*env)->ReleasePrimitiveArrayCritical(env, out_base_arr, out_base, JNI_ABORT);
    if (out) (*env)->ReleasePrimitiveArrayCritical(env, out_arr, out, 0);
    if (alpha) (*env)->ReleasePrimitiveArrayCritical(env, alpha_arr, alpha, JNI_ABORT);
    if (zero) (*env)->ReleasePrimitiveArrayCritical(env, zero_arr, zero, JNI_ABORT);
    if (table) (*env)->ReleasePrimitiveArrayCritical(env, table_arr, table, JNI_ABORT);
    if (mk) (*env)->ReleasePrimitiveArrayCritical(env, masks_arr, mk, JNI_ABORT);
    if (a) (*env)->ReleasePrimitiveArrayCritical(env, a_arr, a, JNI_ABORT);
    if (run_values) (*env)->ReleasePrimitiveArrayCritical(env, run_values_arr, run_values, JNI_ABORT);
    if (starts) (*env)->ReleasePrimitiveArrayCritical(env, starts_arr, starts, JNI_ABORT);
    if (runs) (*env)->ReleasePrimitiveArrayCritical(env, runs_arr, runs, JNI_ABORT);
}

JNIEXPORT void JNICALL Java_org_cimq_runtime_cim_NativeOneBit_convBlock0(
        JNIEnv *env, jclass cls, jlongArray bits_arr, jint planes, jintArray segs_arr, jint nseg, jint src_base,
        jintArray geo_arr, jint count, jintArray pixel_base_arr, jintArray oys_arr, jintArray oxs_arr, jint words,
        jlongArray masks_arr, jint per_group, jint slices, jfloatArray table_arr, jintArray zero_arr, jintArray runs_arr,
        jintArray starts_arr, jfloatArray run_values_arr, jint first, jint channels, jfloatArray alpha_arr,
        jfloatArray out_arr, jintArray out_base_arr, jint stride, jboolean fresh) {
    jint *runs = (*env)->GetPrimitiveArrayCritical(env, runs_arr, NULL);
    jint *starts = (*env)->GetPrimitiveArrayCritical(env, starts_arr, NULL);
    jfloat *run_values = (*env)->GetPrimitiveArrayCritical(env, run_values_arr, NULL);
    jlong *bits = (*env)->GetPrimitiveArrayCritical(env, bits_arr, NULL);
    jint *segs = (*env)->GetPrimitiveArrayCritical(env, segs_arr, NULL);
    jint *geo = (*env)->GetPrimitiveArrayCritical(env, geo_arr, NULL);
    jint *pixel_base = (*env)->GetPrimitiveArrayCritical(env, pixel_base_arr, NULL);
    jint *oys = (*env)->GetPrimitiveArrayCritical(env, oys_arr, NULL);
    jint *oxs = (*env)->GetPrimitiveArrayCritical(env, oxs_arr, NULL);
    jlong *mk = (*env)->GetPrimitiveArrayCritical(env, masks_arr, NULL);
    jfloat *table = (*env)->GetPrimitiveArrayCritical(env, table_arr, NULL);
    jint *zero = (*env)->GetPrimitiveArrayCritical(env, zero_arr, NULL);
    jfloat *alpha = (*env)->GetPrimitiveArrayCritical(env, alpha_arr, NULL);
    jfloat *out = (*env)->GetPrimitiveArrayCritical(env, out_arr, NULL);
    jint *out_base = (*env)->GetPrimitiveArrayCritical(env, out_base_arr, NULL);
    if (bits && segs && geo && pixel_base && oys && oxs && mk && table && zero && runs && starts && run_values && alpha
        && out && out_base) {
        conv_block_avx512((const int64_t *) bits, planes, (const int32_t *) segs, nseg, src_base, (const int32_t *) geo,
                          count, (const int32_t *) pixel_base, (const int32_t *) oys, (const int32_t *) oxs, words,
                          (const int64_t *) mk, per_group, slices, table, (const int32_t *) zero, (const int32_t *) runs,
                          (const int32_t *) starts, run_values, first, channels, alpha, out, (const int32_t *) out_base,
                          stride, fresh, 0, NULL, NULL);
    }
    if (out_base) (*env)->ReleasePrimitiveArrayCritical(env, out_base_arr, out_base, JNI_ABORT);
    if (out) (*env)->ReleasePrimitiveArrayCritical(env, out_arr, out, 0);
    if (alpha) (*env)->ReleasePrimitiveArrayCritical(env, alpha_arr, alpha, JNI_ABORT);
    if (zero) (*env)->ReleasePrimitiveArrayCritical(env, zero_arr, zero, JNI_ABORT);
    if (table) (*env)->ReleasePrimitiveArrayCritical(env, table_arr, table, JNI_ABORT);
    if (mk) (*env)->ReleasePrimitiveArrayCritical(env, masks_arr, mk, JNI_ABORT);
    if (oxs) (*env)->ReleasePrimitiveArrayCritical(env, oxs_arr, oxs, JNI_ABORT);
    if (oys) (*env)->ReleasePrimitiveArrayCritical(env, oys_arr, oys, JNI_ABORT);
    if (pixel_base) (*env)->ReleasePrimitiveArrayCritical(env, pixel_base_arr, pixel_base, JNI_ABORT);
    if (geo) (*env)->ReleasePrimitiveArrayCritical(env, geo_arr, geo, JNI_ABORT);
    if (segs) (*env)->ReleasePrimitiveArrayCritical(env, segs_arr, segs, JNI_ABORT);
    if (bits) (*env)->ReleasePrimitiveArrayCritical(env, bits_arr, bits, JNI_ABORT);
    if (run_values) (*env)->ReleasePrimitiveArrayCritical(env, run_values_arr, run_values, JNI_ABORT);
    if (starts) (*env)->ReleasePrimitiveArrayCritical(env, starts_arr, starts, JNI_ABORT);
    if (runs) (*env)->ReleasePrimitiveArrayCritical(env, runs_arr, runs, JNI_ABORT);
}

JNIEXPORT void JNICALL Java_org_cimq_runtime_cim_NativeOneBit_convRange0(
        JNIEnv *env, jclass cls, jlongArray bits_arr, jlong plane_stride, jint planes, jintArray tile_info_arr, jintArray segs_arr, jint tiles,
        jint groups, jint channels_per_group, jintArray geo_arr, jint from, jint to, jlongArray masks_arr,
        jintArray mask_off_arr, jint per_group, jint slices, jfloatArray values_arr, jintArray value_off_arr,
        jintArray zero_arr, jintArray runs_arr, jintArray starts_arr, jfloatArray run_values_arr, jint channels,
        jfloatArray alpha_arr, jfloatArray out_arr, jlong out_address, jfloatArray scale_arr, jfloatArray bias_arr) {
    jlong *bits = (*env)->GetPrimitiveArrayCritical(env, bits_arr, NULL);
    jint *tile_info = (*env)->GetPrimitiveArrayCritical(env, tile_info_arr, NULL);
    jint *segs = (*env)->GetPrimitiveArrayCritical(env, segs_arr, NULL);
    jint *geo = (*env)->GetPrimitiveArrayCritical(env, geo_arr, NULL);
    jlong *mk = (*env)->GetPrimitiveArrayCritical(env, masks_arr, NULL);
    jint *mask_off = (*env)->GetPrimitiveArrayCritical(env, mask_off_arr, NULL);
    jfloat *values = (*env)->GetPrimitiveArrayCritical(env, values_arr, NULL);
    jint *value_off = (*env)->GetPrimitiveArrayCritical(env, value_off_arr, NULL);
    jint *zero = (*env)->GetPrimitiveArrayCritical(env, zero_arr, NULL);
    jint *runs = (*env)->GetPrimitiveArrayCritical(env, runs_arr, NULL);
    jint *starts = (*env)->GetPrimitiveArrayCritical(env, starts_arr, NULL);
    jfloat *run_values = (*env)->GetPrimitiveArrayCritical(env, run_values_arr, NULL);
    jfloat *alpha = (*env)->GetPrimitiveArrayCritical(env, alpha_arr, NULL);
    /* the output: a Java array, or native memory at out_address (then with the absorbed scale and bias, if any) */
    jfloat *out = out_arr ? (*env)->GetPrimitiveArrayCritical(env, out_arr, NULL) : (jfloat *) (intptr_t) out_address;
    jfloat *scale = scale_arr ? (*env)->GetPrimitiveArrayCritical(env, scale_arr, NULL) : NULL;
    jfloat *bias = bias_arr ? (*env)->GetPrimitiveArrayCritical(env, bias_arr, NULL) : NULL;
    if (bits && tile_info && segs && geo && mk && mask_off && values && value_off && zero && runs && starts && run_values
        && alpha && out && (scale || !scale_arr) && (bias || !bias_arr)) {
        conv_range_avx512((const int64_t *) bits, planes, (const int32_t *) tile_info, (const int32_t *) segs, tiles, groups,
                          channels_per_group, (const int32_t *) geo, from, to, (const int64_t *) mk,
                          (const int32_t *) mask_off, per_group, slices, values, (const int32_t *) value_off,
                          (const int32_t *) zero, (const int32_t *) runs, (const int32_t *) starts, run_values, channels,
                          alpha, out, plane_stride, scale, bias);
    }
    if (bias) (*env)->ReleasePrimitiveArrayCritical(env, bias_arr, bias, JNI_ABORT);
    if (scale) (*env)->ReleasePrimitiveArrayCritical(env, scale_arr, scale, JNI_ABORT);
    if (out && out_arr) (*env)->ReleasePrimitiveArrayCritical(env, out_arr, out, 0);
    if (alpha) (*env)->ReleasePrimitiveArrayCritical(env, alpha_arr, alpha, JNI_ABORT);
    if (run_values) (*env)->ReleasePrimitiveArrayCritical(env, run_values_arr, run_values, JNI_ABORT);
    if (starts) (*env)->ReleasePrimitiveArrayCritical(env, starts_arr, starts, JNI_ABORT);
    if (runs) (*env)->ReleasePrimitiveArrayCritical(env, runs_arr, runs, JNI_ABORT);
    if (zero) (*env)->ReleasePrimitiveArrayCritical(env, zero_arr, zero, JNI_ABORT);
    if (value_off) (*env)->ReleasePrimitiveArrayCritical(env, value_off_arr, value_off, JNI_ABORT);
    if (values) (*env)->ReleasePrimitiveArrayCritical(env, values_arr, values, JNI_ABORT);
    if (mask_off) (*env)->ReleasePrimitiveArrayCritical(env, mask_off_arr, mask_off, JNI_ABORT);
    if (mk) (*env)->ReleasePrimitiveArrayCritical(env, masks_arr, mk, JNI_ABORT);
    if (geo) (*env)->ReleasePrimitiveArrayCritical(env, geo_arr, geo, JNI_ABORT);
    if (segs) (*env)->ReleasePrimitiveArrayCritical(env, segs_arr, segs, JNI_ABORT);
    if (tile_info) (*env)->ReleasePrimitiveArrayCritical(env, tile_info_arr, tile_info, JNI_ABORT);
    if (bits) (*env)->ReleasePrimitiveArrayCritical(env, bits_arr, bits, JNI_ABORT);
}

/* fillConvUnsigned0 with the activations read from native memory at address x (a plain float32 ND4J buffer). */
JNIEXPORT jlong JNICALL Java_org_cimq_runtime_cim_NativeOneBit_fillConvUnsignedAt0(
        JNIEnv *env, jclass cls, jlong x, jint from, jint to, jint c, jint hw, jint planes, jboolean quantize,
        jfloat scale, jfloat lo, jfloat hi, jlongArray bits_arr, jlong plane_stride) {
    jlong *bits = (*env)->GetPrimitiveArrayCritical(env, bits_arr, NULL);
    jlong r = -1;
    if (bits) {
        r = fill_conv_unsigned((const float *) (intptr_t) x, from, to, c, hw, planes, quantize, scale, lo, hi, (int64_t *) bits,
                               plane_stride);
        (*env)->ReleasePrimitiveArrayCritical(env, bits_arr, bits, 0);
    }
    return r;
}

JNIEXPORT jlong JNICALL Java_org_cimq_runtime_cim_NativeOneBit_fillConvUnsigned0(
        JNIEnv *env, jclass cls, jfloatArray x_arr, jint from, jint to, jint c, jint hw, jint planes, jboolean quantize,
        jfloat scale, jfloat lo, jfloat hi, jlongArray bits_arr) {
    jfloat *x = (*env)->GetPrimitiveArrayCritical(env, x_arr, NULL);
    jlong *bits = (*env)->GetPrimitiveArrayCritical(env, bits_arr, NULL);
    jlong r = -1;
    if (x && bits) {
        r = fill_conv_unsigned(x, from, to, c, hw, planes, quantize, scale, lo, hi, (int64_t *) bits, 0);
    }
    if (bits) (*env)->ReleasePrimitiveArrayCritical(env, bits_arr, bits, 0);
    if (x) (*env)->ReleasePrimitiveArrayCritical(env, x_arr, x, JNI_ABORT);
    return r;
}
