package org.cimq.onnx;

import org.cimq.ir.IrException;

/** A model file that is not valid ONNX or is refused (limits, external data outside its folder). */
public class OnnxFormatException extends IrException {
    public OnnxFormatException(String message) {
        super(message);
    }

    public OnnxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
