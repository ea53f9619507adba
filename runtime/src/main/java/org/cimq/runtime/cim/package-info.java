/**
 * Kernels of cimq's own op domain {@value org.cimq.runtime.cim.CimOps#DOMAIN}: the nodes the CIM
 * transform emits (input quantization, one node per memory array producing integer partial
 * sums, the ADC, shift-add). They run from node attributes alone and implement
 * ../shared/docs/CIM-SPEC.md exactly; every rounding is half-to-even.
 */
package org.cimq.runtime.cim;
