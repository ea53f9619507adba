/*
 * cimq's native inner loop of the fused CIM kernel for one-bit input digits and weight digits in
 * {-1, 0, 1} (org.cimq.runtime.cim.NativeOneBit, the AVX-512 twin of OneBitAccumulate).
 * For every output channel n of the group, slice j and plane i (in that order) and every packed
 * position p it adds alpha[j][i] * table[zero[j][n] + ps] to the position's output element, with
 * ps = popcount(a & pos) - popcount(a & neg) over the row words: the same float32 multiplications
 * and additions, in the same order per element, as the Java loop, so results are bit-identical.
 * Eight positions are processed at once with VPOPCNTQ; the running sums of a channel live in a
 * small buffer and are read from and written back to the output once per channel.
 * Built with -ffp-contract=off: a fused multiply-add would round differently from Java.
 */
#include <jni.h>
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#define MAX_POSITIONS 64
#define MAX_PLANES 64

__attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx512vpopcntdq")))
static void accumulate_avx512(const int64_t *a, int count, int words, int planes, const int64_t *mk, int per_group,
                              int slices, const float *table, const int32_t *zero, int first, int channels,
                              const float *alpha, float *out, const int32_t *out_base, int stride) {
    int cnt8 = (count + 7) & ~7;
    int64_t xt[MAX_PLANES * 2 * MAX_POSITIONS];
    float acc[MAX_POSITIONS];
    int per_pos = planes * words;
    for (int q = 0; q < planes * words; q++) {
        for (int p = 0; p < cnt8; p++) {
            xt[q * cnt8 + p] = p < count ? a[p * per_pos + q] : 0;
        }
    }
    for (int nl = 0; nl < per_group; nl++) {
        int n = first + nl;
        int offset = n * stride;
        for (int p = 0; p < cnt8; p++) {
            acc[p] = p < count ? out[out_base[p] + offset] : 0.0f;
        }
        for (int j = 0; j < slices; j++) {
            int pm = (nl * slices + j) * 2 * words;
            int32_t z = zero[j * channels + n];
            __m256i zv = _mm256_set1_epi32(z);
            if (words == 2) {
                __m512i p0 = _mm512_set1_epi64(mk[pm]);
                __m512i p1 = _mm512_set1_epi64(mk[pm + 1]);
                __m512i n0 = _mm512_set1_epi64(mk[pm + 2]);
                __m512i n1 = _mm512_set1_epi64(mk[pm + 3]);
                for (int i = 0; i < planes; i++) {
                    __m256 al = _mm256_set1_ps(alpha[j * planes + i]);
                    const int64_t *x0p = xt + (2 * i) * cnt8;
                    const int64_t *x1p = xt + (2 * i + 1) * cnt8;
                    for (int p = 0; p < cnt8; p += 8) {
                        __m512i x0 = _mm512_loadu_si512(x0p + p);
                        __m512i x1 = _mm512_loadu_si512(x1p + p);
                        __m512i s = _mm512_sub_epi64(
                                _mm512_add_epi64(_mm512_popcnt_epi64(_mm512_and_si512(x0, p0)),
                                                 _mm512_popcnt_epi64(_mm512_and_si512(x1, p1))),
                                _mm512_add_epi64(_mm512_popcnt_epi64(_mm512_and_si512(x0, n0)),
                                                 _mm512_popcnt_epi64(_mm512_and_si512(x1, n1))));
                        __m256i idx = _mm256_add_epi32(_mm512_cvtepi64_epi32(s), zv);
                        __m256 q = _mm256_i32gather_ps(table, idx, 4);
                        __m256 sum = _mm256_add_ps(_mm256_loadu_ps(acc + p), _mm256_mul_ps(al, q));
                        _mm256_storeu_ps(acc + p, sum);
                    }
                }
            } else {
                __m512i p0 = _mm512_set1_epi64(mk[pm]);
                __m512i n0 = _mm512_set1_epi64(mk[pm + 1]);
                for (int i = 0; i < planes; i++) {
                    __m256 al = _mm256_set1_ps(alpha[j * planes + i]);
                    const int64_t *x0p = xt + i * cnt8;
                    for (int p = 0; p < cnt8; p += 8) {
                        __m512i x0 = _mm512_loadu_si512(x0p + p);
                        __m512i s = _mm512_sub_epi64(_mm512_popcnt_epi64(_mm512_and_si512(x0, p0)),
                                                     _mm512_popcnt_epi64(_mm512_and_si512(x0, n0)));
                        __m256i idx = _mm256_add_epi32(_mm512_cvtepi64_epi32(s), zv);
                        __m256 q = _mm256_i32gather_ps(table, idx, 4);
                        __m256 sum = _mm256_add_ps(_mm256_loadu_ps(acc + p), _mm256_mul_ps(al, q));
                        _mm256_storeu_ps(acc + p, sum);
                    }
                }
            }
        }
        for (int p = 0; p < count; p++) {
            out[out_base[p] + offset] = acc[p];
        }
    }
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
        jint per_group, jint slices, jfloatArray table_arr, jintArray zero_arr, jint first, jint channels,
        jfloatArray alpha_arr, jfloatArray out_arr, jintArray out_base_arr, jint stride) {
    jlong *a = (*env)->GetPrimitiveArrayCritical(env, a_arr, NULL);
    jlong *mk = (*env)->GetPrimitiveArrayCritical(env, masks_arr, NULL);
    jfloat *table = (*env)->GetPrimitiveArrayCritical(env, table_arr, NULL);
    jint *zero = (*env)->GetPrimitiveArrayCritical(env, zero_arr, NULL);
    jfloat *alpha = (*env)->GetPrimitiveArrayCritical(env, alpha_arr, NULL);
    jfloat *out = (*env)->GetPrimitiveArrayCritical(env, out_arr, NULL);
    jint *out_base = (*env)->GetPrimitiveArrayCritical(env, out_base_arr, NULL);
    if (a && mk && table && zero && alpha && out && out_base) {
        accumulate_avx512((const int64_t *) a, count, words, planes, (const int64_t *) mk, per_group, slices, table,
                          (const int32_t *) zero, first, channels, alpha, out, (const int32_t *) out_base, stride);
    }
    if (out_base) (*env)->ReleasePrimitiveArrayCritical(env, out_base_arr, out_base, JNI_ABORT);
    if (out) (*env)->ReleasePrimitiveArrayCritical(env, out_arr, out, 0);
    if (alpha) (*env)->ReleasePrimitiveArrayCritical(env, alpha_arr, alpha, JNI_ABORT);
    if (zero) (*env)->ReleasePrimitiveArrayCritical(env, zero_arr, zero, JNI_ABORT);
    if (table) (*env)->ReleasePrimitiveArrayCritical(env, table_arr, table, JNI_ABORT);
    if (mk) (*env)->ReleasePrimitiveArrayCritical(env, masks_arr, mk, JNI_ABORT);
    if (a) (*env)->ReleasePrimitiveArrayCritical(env, a_arr, a, JNI_ABORT);
}
