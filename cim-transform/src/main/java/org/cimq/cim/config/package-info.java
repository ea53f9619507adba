/**
 * The CIM transform's configuration: {@link org.cimq.cim.config.CimConfig} (array size, bit
 * widths, ADC levels, quantizer, range granularity, mapping, layers kept digital), read from a
 * YAML or JSON file by {@link org.cimq.cim.config.CimConfigFiles}, and the calibrated ADC
 * ranges of {@code ranges.json} ({@link org.cimq.cim.config.Ranges}, read and written by
 * {@link org.cimq.cim.config.RangesFile}). Every invalid value is a
 * {@link org.cimq.cim.config.CimConfigException} naming the file, the layer and the field.
 */
package org.cimq.cim.config;
