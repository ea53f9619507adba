/**
 * Retraining with the ADC in the loop, with two step engines ({@link org.cimq.cim.train.Backward}):
 * a SameDiff graph of a prepared float model whose mapped layers compute CIM-SPEC exactly in the
 * forward pass ({@link org.cimq.cim.train.CimLayerOps}, ADC-clip-masked straight-through gradients),
 * or the runtime's fused CIM model as the forward pass with a hand-written reverse pass of the
 * fake-quantized network at its activations ({@link org.cimq.cim.train.RuntimeCimForward},
 * {@link org.cimq.cim.train.FakeQuantBackward}); SGD with momentum, a cosine schedule,
 * deterministic data order and augmentation, atomic checkpoints, and ADC steps re-searched between
 * epochs.
 */
package org.cimq.cim.train;
