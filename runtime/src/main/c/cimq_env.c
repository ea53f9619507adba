/*
 * cimq's process environment setter (org.cimq.runtime.OpenMpWaitPolicy): sets a variable the way setenv(3) does,
 * without replacing one the user set. Java cannot change its own process environment, and libgomp (ND4J's OpenMP
 * runtime) reads OMP_WAIT_POLICY from it once, when it is loaded.
 */
#include <jni.h>
#include <stdlib.h>

/* 1 where name is now set to value, 0 where it was already set (left as it was), -1 on failure */
JNIEXPORT jint JNICALL Java_org_cimq_runtime_OpenMpWaitPolicy_setIfUnset0(JNIEnv *env, jclass cls, jstring name, jstring value) {
    const char *n = (*env)->GetStringUTFChars(env, name, NULL);
    const char *v = (*env)->GetStringUTFChars(env, value, NULL);
    int r = -1;
    if (n && v) {
        r = getenv(n) != NULL ? 0 : (setenv(n, v, 0) == 0 ? 1 : -1);
    }
    if (v) (*env)->ReleaseStringUTFChars(env, value, v);
    if (n) (*env)->ReleaseStringUTFChars(env, name, n);
    return r;
}

/* the variable's value in the process environment, or NULL */
JNIEXPORT jstring JNICALL Java_org_cimq_runtime_OpenMpWaitPolicy_get0(JNIEnv *env, jclass cls, jstring name) {
    const char *n = (*env)->GetStringUTFChars(env, name, NULL);
    if (!n) {
        return NULL;
    }
    const char *v = getenv(n);
    (*env)->ReleaseStringUTFChars(env, name, n);
    return v ? (*env)->NewStringUTF(env, v) : NULL;
}
