/**
 * The HTML report of {@code cimq report} and {@code cimq sweep --report}: plain data records
 * ({@link org.cimq.cli.report.ReportData}) assembled from counts already collected
 * ({@link org.cimq.cli.report.ReportWriter}, which also writes the page),
 * the accuracy sweep file ({@link org.cimq.cli.report.SweepFile}), charts drawn with JFreeChart and
 * written as inline SVG with JFreeSVG ({@link org.cimq.cli.report.Charts}), and the page itself
 * ({@link org.cimq.cli.report.ReportHtml}). Nothing here runs a model.
 */
package org.cimq.cli.report;
