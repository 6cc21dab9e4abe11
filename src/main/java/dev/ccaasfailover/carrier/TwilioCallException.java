package dev.ccaasfailover.carrier;

/**
 * A Twilio call that failed: the HTTP status (0 when there was no answer), Twilio's error code (0 when the answer
 * carried none) and its message. Never carries credentials.
 */
public class TwilioCallException extends RuntimeException {

    private final int status;
    private final int twilioCode;

    public TwilioCallException(int status, int twilioCode, String message) {
        super(message);
        this.status = status;
        this.twilioCode = twilioCode;
    }

    public int status() {
        return status;
    }

    public int twilioCode() {
        return twilioCode;
    }
}
