package org.cimq.runtime;

import org.cimq.ir.Node;

/**
 * Builds the kernel for one node. {@code opset} is the version the model imports for the
 * node's domain, so a factory registered for several versions can tell their attribute and
 * input differences apart. Throws {@link KernelException} for attributes it cannot honour.
 */
@FunctionalInterface
public interface KernelFactory {
    Kernel create(Node node, int opset);
}
