package dev.ccaasfailover.config;

/** A configuration key holds a value the product cannot run with. The message is one line: key, problem, fix. */
public class InvalidConfigurationException extends RuntimeException {
    private final String key;

    public InvalidConfigurationException(String key, String problemAndFix) {
        super(key + ": " + problemAndFix);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
