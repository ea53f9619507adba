/** {@code cimq sweep}: top-1 of a CIM model for every ADC calibration method and number of levels (the paper's table). */
package org.cimq.cli.sweep;
