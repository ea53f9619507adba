/** Export of CIM models: lowering cimq's CIM nodes to standard ONNX ops that ONNX Runtime runs with cimq's results. */
package org.cimq.cim.export;
