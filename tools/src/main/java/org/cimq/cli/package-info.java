/**
 * The {@code cimq} command line (picocli): {@link org.cimq.cli.Cimq} is the root, each
 * subcommand is one class, and {@link org.cimq.cli.engine} holds the inference engines that
 * {@code eval} and {@code bench} drive.
 */
package org.cimq.cli;
