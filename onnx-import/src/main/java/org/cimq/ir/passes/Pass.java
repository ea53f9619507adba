package org.cimq.ir.passes;

import org.cimq.ir.Model;

/** A rewrite of a model in place. */
@FunctionalInterface
public interface Pass {
    /** Rewrites {@code model}; returns true when it changed anything. */
    boolean run(Model model);
}
