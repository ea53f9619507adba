/**
 * The command line's CIM side: building a CIM model from calibration images or a ranges file,
 * tile plans without calibration, summaries of already-transformed models, the provenance
 * written into transformed files, and the tables and JSON that report all of these.
 */
package org.cimq.cli.cim;
