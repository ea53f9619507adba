/**
 * The CIM transform: finds the layers to map (Conv/Gemm/MatMul with a constant weight),
 * quantizes and bit-slices their weights, tiles them onto R×C arrays and rewrites each into
 * cimq's own nodes (input quantization, one {@code CimArray} per array, an {@code AdcQuantize}
 * per array, {@code CimShiftAdd}), exactly as ../shared/docs/CIM-SPEC.md defines.
 */
package org.cimq.cim;
