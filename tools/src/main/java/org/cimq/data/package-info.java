/**
 * Image classification data sets read from their standard files (CIFAR-10 binary batches,
 * Fashion-MNIST idx files) and streamed as normalised float32 NCHW batches.
 */
package org.cimq.data;
