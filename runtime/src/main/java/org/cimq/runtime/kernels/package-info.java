/** One kernel class per ONNX op, and the explicit lists that register them. */
package org.cimq.runtime.kernels;
