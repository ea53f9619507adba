/**
 * Calibration of a CIM model from its float counterpart: activation statistics gathered by
 * running the float model (BN folded) over a calibration set, and the input scales derived
 * from them (CIM-SPEC, "Inputs"); and the ADC steps: partial sums of the L = 0 CIM model counted
 * into histograms ({@link org.cimq.cim.calib.PartialSumHistograms}) and steps chosen from them
 * ({@link org.cimq.cim.calib.RangeSearch}, {@link org.cimq.cim.calib.StepSearch}), or the minmax
 * baseline ({@link org.cimq.cim.calib.MinMaxSteps}).
 */
package org.cimq.cim.calib;
