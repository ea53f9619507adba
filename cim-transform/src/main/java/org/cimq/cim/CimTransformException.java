package org.cimq.cim;

import org.cimq.ir.IrException;

/** A layer or setting the CIM transform cannot honour; the message names the layer and the reason. */
public class CimTransformException extends IrException {
    public CimTransformException(String message) {
        super(message);
    }
}
