package dev.ccaasfailover.runbook;

/** Another instance has taken the run over (a newer epoch): this one stops without touching anything more. */
public class FencedOutException extends RuntimeException {
    public FencedOutException(String message) {
        super(message);
    }
}
