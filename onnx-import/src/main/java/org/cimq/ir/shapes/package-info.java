/**
 * Static shape inference over the IR: {@link org.cimq.ir.shapes.ShapeInference} walks a
 * model's main graph and types every node output from its inputs, attributes and constant
 * inputs, keeping symbolic dimensions symbolic and never claiming a size it cannot derive.
 * Rules are grouped by operator family and registered explicitly by op type.
 */
package org.cimq.ir.shapes;
