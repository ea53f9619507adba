/**
 * Retraining with the ADC in the loop: a SameDiff graph of a prepared float model whose mapped
 * layers compute CIM-SPEC exactly in the forward pass ({@link org.cimq.cim.train.CimLayerOps}),
 * with straight-through gradients; SGD with momentum, a cosine schedule, deterministic data order
 * and augmentation, atomic checkpoints, and ADC steps re-searched between epochs.
 */
package org.cimq.cim.train;
