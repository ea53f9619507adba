/**
 * A first-order hardware cost model of a mapped network: arrays, ADC conversions per inference,
 * comparators per flash ADC, and energy and area relative to a baseline ADC resolution
 * ({@link org.cimq.cim.cost.CostModel}, {@link org.cimq.cim.cost.HardwareCost}). Plans come from
 * {@link org.cimq.cim.TilePlanner}; nothing here runs a model.
 */
package org.cimq.cim.cost;
