/** {@code cimq bench} and its kinds of benchmark, one subcommand class each. */
package org.cimq.cli.bench;
