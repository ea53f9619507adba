/*
 * cimq's native float convolution (org.cimq.runtime.kernels.NativeConv): direct 2-D convolution of
 * NCHW float32 images with OIHW weights, groups, strides, dilations and zero padding, plus an
 * optional fused epilogue: y = relu?(conv(x) + bias + addend?).
 *
 * How: output positions of one channel are taken as a flat run q = oy * OW + ox, 32 at a time (two
 * 16-lane vectors), and eight output channels at once, so 16 accumulators live in registers. For a
 * stride-1 convolution whose output rows are as wide as its input rows (OW == W, the usual "same"
 * padding) the input element under kernel tap (ky, kx) of position q is at the fixed flat offset
 * q + (ky * dH - pT) * W + (kx * dW - pL), so a tap is one masked load per vector (the mask zeroes
 * lanes whose tap falls in the padding or past the last position; masked lanes are never read) and
 * one broadcast FMA per channel ("direct"). A strided convolution whose output rows are as wide as
 * the input's phase planes (OW == ceil(W / sW)) first splits each image into its sH x sW phase
 * planes (rows r = py (mod sH), columns px (mod sW)); tap (ky, kx) then reads one phase plane at a
 * fixed flat offset, and the same loop runs ("phases"). Any other geometry first gathers each image's
 * taps into a column buffer [C/g * kH * kW][OH * OW] (im2col) and runs the loop as a 1x1 convolution
 * on it ("columns").
 *
 * Numbers: each output is bias + the sum over input channels c, then taps (ky, kx) in row-major
 * order, of x * w, accumulated with fused multiply-adds in that order, then + addend, then
 * v < 0 ? 0 : v (ND4J's Relu: -0 and NaN pass through). They differ from oneDNN's (another
 * summation order) by float rounding only.
 * Every image is computed on its own, so the results do not depend on how a batch is split.
 * The output may be the input or the addend array itself: each image's output is computed into a
 * scratch buffer and written only after that image's input has been read.
 */
#include <jni.h>
#include <immintrin.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define AVX512 __attribute__((target("avx512f")))
#define OCB 8            /* output channels per register block */
#define PV 2             /* 16-lane vectors of positions per register block (block_kernel is written for 8 x 2) */
#define BLOCK (16 * PV)  /* positions per register block */

/* geometry, in the order of the Java side's int array */
enum { G_C, G_H, G_W, G_O, G_KH, G_KW, G_GROUP, G_SH, G_SW, G_PT, G_PL, G_DH, G_DW, G_OH, G_OW, G_COUNT };

typedef struct {
    int c, h, w, o, kh, kw, group, sh, sw, pt, pl, dh, dw, oh, ow;
    int cg, og, kk, ohw, nob, nblk, mode;
    int ph, pw;  /* phase plane size: ceil(h / sh) x ceil(w / sw) */
} conv_geom;

enum { MODE_DIRECT, MODE_PHASES, MODE_COLUMNS };

static int floor_div(int a, int b) {
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static void *alloc64(size_t bytes) {
    return aligned_alloc(64, (bytes + 63) / 64 * 64 + 64);
}

/* weights [O][C/g][kH][kW] -> for each group g and block b of OCB output channels: [C/g][kH*kW][OCB], zero past the group */
static float *repack(const float *w, const conv_geom *g) {
    size_t per_block = (size_t)g->cg * g->kk * OCB;
    float *p = alloc64(per_block * g->nob * g->group * sizeof(float));
    if (!p) {
        return NULL;
    }
    for (int gr = 0; gr < g->group; gr++) {
        for (int b = 0; b < g->nob; b++) {
            float *dst = p + ((size_t)gr * g->nob + b) * per_block;
            for (int c = 0; c < g->cg; c++) {
                for (int k = 0; k < g->kk; k++) {
                    for (int o = 0; o < OCB; o++) {
                        int oo = b * OCB + o;
                        dst[((size_t)c * g->kk + k) * OCB + o] =
                            oo < g->og ? w[(((size_t)gr * g->og + oo) * g->cg + c) * g->kk + k] : 0.f;
                    }
                }
            }
        }
    }
    return p;
}

/*
 * The lane masks of every register block: [block][tap][vector]. Direct and phase modes: a lane is set where its
 * position exists and its tap lies inside the input; column mode (one tap): where its position exists.
 */
static __mmask16 *mask_table(const conv_geom *g) {
    int taps = g->mode == MODE_COLUMNS ? 1 : g->kk;
    __mmask16 *t = malloc(sizeof(__mmask16) * (size_t)g->nblk * taps * PV);
    if (!t) {
        return NULL;
    }
    for (int blk = 0; blk < g->nblk; blk++) {
        for (int k = 0; k < taps; k++) {
            int ty = k / g->kw * g->dh - g->pt;
            int tx = k % g->kw * g->dw - g->pl;
            for (int v = 0; v < PV; v++) {
                unsigned m = 0;
                for (int l = 0; l < 16; l++) {
                    int q = blk * BLOCK + v * 16 + l;
                    if (q >= g->ohw) {
                        continue;
                    }
                    if (g->mode != MODE_COLUMNS) {
                        int iy = q / g->ow * g->sh + ty;
                        int ix = q % g->ow * g->sw + tx;
                        if (iy < 0 || iy >= g->h || ix < 0 || ix >= g->w) {
                            continue;
                        }
                    }
                    m |= 1u << l;
                }
                t[((size_t)blk * taps + k) * PV + v] = (__mmask16)m;
            }
        }
    }
    return t;
}

/* direct and phase modes: the flat offset of tap k from a position's index within its channel's data */
static int tap_offset(const conv_geom *g, int k) {
    int ty = k / g->kw * g->dh - g->pt;
    int tx = k % g->kw * g->dw - g->pl;
    int py = ty - floor_div(ty, g->sh) * g->sh;
    int px = tx - floor_div(tx, g->sw) * g->sw;
    return (py * g->sw + px) * g->ph * g->pw + floor_div(ty, g->sh) * g->pw + floor_div(tx, g->sw);
}

/*
 * One input row of a stride-2 split: its even columns into e and its odd columns into o (pw values each, zero
 * past the row's w values). Lanes past the row are masked off, never read.
 */
AVX512
static void split_row2(const float *row, int w, int pw, float *e, float *o) {
    const __m512i even = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
    const __m512i odd = _mm512_set_epi32(31, 29, 27, 25, 23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1);
    for (int col = 0; col < pw; col += 16) {
        int ix = 2 * col;
        int left = w - ix;
        __mmask16 lo = (__mmask16)(left >= 16 ? 0xffff : (1u << left) - 1);
        __mmask16 hi = (__mmask16)(left >= 32 ? 0xffff : left <= 16 ? 0 : (1u << (left - 16)) - 1);
        __m512 a = _mm512_maskz_loadu_ps(lo, row + ix);
        __m512 b = _mm512_maskz_loadu_ps(hi, row + ix + 16);
        int n = pw - col < 16 ? pw - col : 16;
        __mmask16 out = (__mmask16)((1u << n) - 1);
        _mm512_mask_storeu_ps(e + col, out, _mm512_permutex2var_ps(a, even, b));
        _mm512_mask_storeu_ps(o + col, out, _mm512_permutex2var_ps(a, odd, b));
    }
}

/* phase mode: planes[c][py * sw + px][r][col] = x[c][r * sh + py][col * sw + px], zero past the image */
static void split_phases(const float *x, const conv_geom *g, float *planes) {
    size_t plane = (size_t)g->ph * g->pw;
    for (int c = 0; c < g->cg; c++) {
        const float *xc = x + (size_t)c * g->h * g->w;
        for (int py = 0; py < g->sh; py++) {
            float *dst0 = planes + ((size_t)c * g->sh * g->sw + py * g->sw) * plane;
            for (int r = 0; r < g->ph; r++) {
                int iy = r * g->sh + py;
                if (iy >= g->h) {
                    for (int px = 0; px < g->sw; px++) {
                        memset(dst0 + px * plane + (size_t)r * g->pw, 0, sizeof(float) * g->pw);
                    }
                    continue;
                }
                const float *row = xc + (size_t)iy * g->w;
                if (g->sw == 2) {
                    split_row2(row, g->w, g->pw, dst0 + (size_t)r * g->pw, dst0 + plane + (size_t)r * g->pw);
                    continue;
                }
                for (int px = 0; px < g->sw; px++) {
                    float *dst = dst0 + px * plane + (size_t)r * g->pw;
                    for (int col = 0; col < g->pw; col++) {
                        int ix = col * g->sw + px;
                        dst[col] = ix < g->w ? row[ix] : 0.f;
                    }
                }
            }
        }
    }
}

/*
 * One register block: OCB output channels (the first `valid` of them stored) times BLOCK positions from q0.
 * in: the first channel's data, channels `cstride` apart; taps `taps` with flat offsets `offs` and lane masks
 * `masks` [tap][vector]; wb: [channels][taps][OCB]; out: the first channel's output, channels `ohw` apart.
 */
AVX512
static void block_kernel(const float *in, size_t cstride, int channels, int taps, const int *offs,
                         const __mmask16 *masks, const float *wb, int q0, int ohw, int valid, const float *bias,
                         float *out) {
    /* 16 named accumulators (OCB x PV): an array of vectors is kept in memory by gcc */
    __m512 a00 = _mm512_setzero_ps(), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
    __m512 a40 = a00, a41 = a00, a50 = a00, a51 = a00, a60 = a00, a61 = a00, a70 = a00, a71 = a00;
    for (int c = 0; c < channels; c++) {
        const float *xc = in + (size_t)c * cstride + q0;
        const float *wc = wb + (size_t)c * taps * OCB;
        for (int k = 0; k < taps; k++) {
            const float *xs = xc + offs[k];
            const float *wk = wc + k * OCB;
            __m512 x0 = _mm512_maskz_loadu_ps(masks[k * PV], xs);
            __m512 x1 = _mm512_maskz_loadu_ps(masks[k * PV + 1], xs + 16);
#define CIMQ_TAP(o, lo, hi)                              \
            {                                            \
                __m512 b = _mm512_set1_ps(wk[o]);        \
                lo = _mm512_fmadd_ps(x0, b, lo);         \
                hi = _mm512_fmadd_ps(x1, b, hi);         \
            }
            CIMQ_TAP(0, a00, a01)
            CIMQ_TAP(1, a10, a11)
            CIMQ_TAP(2, a20, a21)
            CIMQ_TAP(3, a30, a31)
            CIMQ_TAP(4, a40, a41)
            CIMQ_TAP(5, a50, a51)
            CIMQ_TAP(6, a60, a61)
            CIMQ_TAP(7, a70, a71)
#undef CIMQ_TAP
        }
    }
    __m512 acc[OCB][PV] = {{a00, a01}, {a10, a11}, {a20, a21}, {a30, a31}, {a40, a41}, {a50, a51}, {a60, a61}, {a70, a71}};
    for (int o = 0; o < valid; o++) {
        __m512 bv = _mm512_set1_ps(bias ? bias[o] : 0.f);
        for (int v = 0; v < PV; v++) {
            int q = q0 + 16 * v;
            if (q >= ohw) {
                break;
            }
            int n = ohw - q < 16 ? ohw - q : 16;
            _mm512_mask_storeu_ps(out + (size_t)o * ohw + q, (__mmask16)((1u << n) - 1), _mm512_add_ps(acc[o][v], bv));
        }
    }
}

/* im2col of one group of one image: col[(c * kk + k) * ohw + q], zero where the tap falls in the padding */
static void gather_columns(const float *x, const conv_geom *g, float *col) {
    for (int c = 0; c < g->cg; c++) {
        const float *xc = x + (size_t)c * g->h * g->w;
        for (int k = 0; k < g->kk; k++) {
            int ky = k / g->kw;
            int kx = k % g->kw;
            float *dst = col + ((size_t)c * g->kk + k) * g->ohw;
            for (int oy = 0; oy < g->oh; oy++) {
                int iy = oy * g->sh + ky * g->dh - g->pt;
                for (int ox = 0; ox < g->ow; ox++) {
                    int ix = ox * g->sw + kx * g->dw - g->pl;
                    dst[oy * g->ow + ox] = iy >= 0 && iy < g->h && ix >= 0 && ix < g->w ? xc[(size_t)iy * g->w + ix] : 0.f;
                }
            }
        }
    }
}

/* y = relu?(s + addend?) over n values */
AVX512
static void epilogue(const float *s, const float *addend, int relu, float *y, size_t n) {
    __m512 zero = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 v = _mm512_loadu_ps(s + i);
        if (addend) {
            v = _mm512_add_ps(v, _mm512_loadu_ps(addend + i));
        }
        if (relu) {
            v = _mm512_max_ps(zero, v); /* v < 0 ? 0 : v, as ND4J's Relu: max returns its second operand for NaN and +-0 */
        }
        _mm512_storeu_ps(y + i, v);
    }
    for (; i < n; i++) {
        float v = s[i];
        if (addend) {
            v += addend[i];
        }
        if (relu) {
            v = v < 0.f ? 0.f : v;
        }
        y[i] = v;
    }
}

/* what every chunk of one call shares: the geometry, the repacked weights, the lane masks and the tap offsets */
typedef struct {
    conv_geom g;
    float *wp;
    __mmask16 *masks;
    int *offs;
} conv_plan;

static void plan_free(conv_plan *p) {
    if (p) {
        free(p->wp);
        free(p->masks);
        free(p->offs);
        free(p);
    }
}

static conv_plan *plan_make(const float *w, const conv_geom *g) {
    conv_plan *p = calloc(1, sizeof(conv_plan));
    if (!p) {
        return NULL;
    }
    p->g = *g;
    int taps = g->mode == MODE_COLUMNS ? 1 : g->kk;
    p->wp = repack(w, g);
    p->masks = mask_table(g);
    p->offs = malloc(sizeof(int) * taps);
    if (!p->wp || !p->masks || !p->offs) {
        plan_free(p);
        return NULL;
    }
    for (int k = 0; k < taps; k++) {
        p->offs[k] = g->mode == MODE_COLUMNS ? 0 : tap_offset(g, k);
    }
    return p;
}

/* images [from, to); returns 0, or -1 when memory ran out (nothing written then) */
static int conv_images(const conv_plan *p, const float *x, const float *bias, const float *addend, int relu, float *y,
                       int from, int to) {
    const conv_geom *g = &p->g;
    int columns = g->mode == MODE_COLUMNS;
    int taps = columns ? 1 : g->kk;
    int channels = columns ? g->cg * g->kk : g->cg;
    size_t cstride = columns ? (size_t)g->ohw : (size_t)g->sh * g->sw * g->ph * g->pw;
    size_t out_image = (size_t)g->o * g->ohw;
    size_t in_image = (size_t)g->c * g->h * g->w;
    float *scratch = alloc64(out_image * sizeof(float));
    float *buf = g->mode == MODE_DIRECT ? NULL : alloc64((size_t)channels * cstride * sizeof(float));
    int failed = !scratch || (g->mode != MODE_DIRECT && !buf);
    if (!failed) {
        size_t per_block = (size_t)g->cg * g->kk * OCB;
        for (int i = from; i < to; i++) {
            const float *xi = x + (size_t)i * in_image;
            for (int gr = 0; gr < g->group; gr++) {
                const float *src = xi + (size_t)gr * g->cg * g->h * g->w;
                if (g->mode == MODE_PHASES) {
                    split_phases(src, g, buf);
                    src = buf;
                } else if (columns) {
                    gather_columns(src, g, buf);
                    src = buf;
                }
                for (int blk = 0; blk < g->nblk; blk++) {
                    const __mmask16 *bm = p->masks + (size_t)blk * taps * PV;
                    for (int b = 0; b < g->nob; b++) {
                        int first = gr * g->og + b * OCB;
                        int valid = g->og - b * OCB < OCB ? g->og - b * OCB : OCB;
                        block_kernel(src, cstride, channels, taps, p->offs, bm, p->wp + ((size_t)gr * g->nob + b) * per_block,
                                     blk * BLOCK, g->ohw, valid, bias ? bias + first : NULL,
                                     scratch + (size_t)first * g->ohw);
                    }
                }
            }
            epilogue(scratch, addend ? addend + (size_t)i * out_image : NULL, relu, y + (size_t)i * out_image, out_image);
        }
    }
    free(scratch);
    free(buf);
    return failed ? -1 : 0;
}

JNIEXPORT jboolean JNICALL Java_org_cimq_runtime_kernels_NativeConv_supported0(JNIEnv *env, jclass cls) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") ? JNI_TRUE : JNI_FALSE;
}

/* a plan for weights w and the geometry (G_* order), or 0 when memory ran out; free it with free0 */
JNIEXPORT jlong JNICALL Java_org_cimq_runtime_kernels_NativeConv_plan0(JNIEnv *env, jclass cls, jlong w,
                                                                      jintArray geometry) {
    jint v[G_COUNT];
    (*env)->GetIntArrayRegion(env, geometry, 0, G_COUNT, v);
    conv_geom g;
    memset(&g, 0, sizeof g);
    g.c = v[G_C];
    g.h = v[G_H];
    g.w = v[G_W];
    g.o = v[G_O];
    g.kh = v[G_KH];
    g.kw = v[G_KW];
    g.group = v[G_GROUP];
    g.sh = v[G_SH];
    g.sw = v[G_SW];
    g.pt = v[G_PT];
    g.pl = v[G_PL];
    g.dh = v[G_DH];
    g.dw = v[G_DW];
    g.oh = v[G_OH];
    g.ow = v[G_OW];
    g.cg = g.c / g.group;
    g.og = g.o / g.group;
    g.kk = g.kh * g.kw;
    g.ohw = g.oh * g.ow;
    g.nob = (g.og + OCB - 1) / OCB;
    g.nblk = (g.ohw + BLOCK - 1) / BLOCK;
    g.ph = (g.h + g.sh - 1) / g.sh;
    g.pw = (g.w + g.sw - 1) / g.sw;
    g.mode = g.ow != g.pw ? MODE_COLUMNS : g.sh == 1 && g.sw == 1 ? MODE_DIRECT : MODE_PHASES;
    return (jlong)(intptr_t)plan_make((const float *)(intptr_t)w, &g);
}

JNIEXPORT jint JNICALL Java_org_cimq_runtime_kernels_NativeConv_run0(JNIEnv *env, jclass cls, jlong plan, jlong x,
                                                                    jlong bias, jlong addend, jlong y, jint from,
                                                                    jint to, jboolean relu) {
    return conv_images((const conv_plan *)(intptr_t)plan, (const float *)(intptr_t)x, (const float *)(intptr_t)bias,
                       (const float *)(intptr_t)addend, relu, (float *)(intptr_t)y, from, to);
}

JNIEXPORT void JNICALL Java_org_cimq_runtime_kernels_NativeConv_free0(JNIEnv *env, jclass cls, jlong plan) {
    plan_free((conv_plan *)(intptr_t)plan);
}
