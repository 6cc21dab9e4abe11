package dev.ccaasfailover.simulator;

/**
 * Thrown by a simulator's request handling to answer with an error; each simulator renders it in its
 * vendor's error format (Genesys JSON, NICE JSON, Route 53 XML).
 */
public class SimHttpException extends RuntimeException {

    private final int status;
    private final String code;

    public SimHttpException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
