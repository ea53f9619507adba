/**
 * Calibration of a CIM model from its float counterpart: activation statistics gathered by
 * running the float model (BN folded) over a calibration set, and the input scales derived
 * from them (CIM-SPEC, "Inputs").
 */
package org.cimq.cim.calib;
