/**
 * Data-driven ADC step search (the paper's accuracy-scored search): candidate steps around the
 * histogram choice scored by top-1 (ties: mean cross-entropy) on labelled calibration images,
 * one layer at a time ({@code acc-layer}) or one step for the whole network ({@code acc-network}),
 * re-running only the part of the CIM model that a step changes ({@link org.cimq.cim.search.CachedSuffix}).
 */
package org.cimq.cim.search;
