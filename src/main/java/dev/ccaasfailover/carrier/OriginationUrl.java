package dev.ccaasfailover.carrier;

/**
 * One origination URL of a carrier trunk, as Twilio answers it: the lowest {@code priority} is tried first, and
 * {@code weight} shares load among URLs of equal priority.
 */
public record OriginationUrl(String sid, String friendlyName, String sipUrl, int priority, int weight, boolean enabled) {
}
