/** What {@code cimq inspect} reports about a model: its interface, op counts, parameters and CIM-mappable layers. */
package org.cimq.cli.inspect;
