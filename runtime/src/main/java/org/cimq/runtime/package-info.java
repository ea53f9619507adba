/**
 * Executes a cimq IR graph on ND4J: one {@link org.cimq.runtime.Kernel} class per op, found
 * in a {@link org.cimq.runtime.KernelRegistry} keyed by (domain, op, since-version), run by
 * the {@link org.cimq.runtime.Executor} in one loop over topologically ordered nodes.
 */
package org.cimq.runtime;
