/**
 * Graph rewrites that PyTorch exports need before anything else runs: Identity removal,
 * constant folding and dead-node removal. Each pass is one small class with one method.
 */
package org.cimq.ir.passes;
