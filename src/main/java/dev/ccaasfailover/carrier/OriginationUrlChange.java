package dev.ccaasfailover.carrier;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields one update of an origination URL sets; a field left null keeps its value on the carrier.
 * Build it from {@link #none()}: {@code OriginationUrlChange.none().priority(10).enabled(true)}.
 */
public record OriginationUrlChange(String friendlyName, String sipUrl, Integer priority, Integer weight, Boolean enabled) {

    public static OriginationUrlChange none() {
        return new OriginationUrlChange(null, null, null, null, null);
    }

    public OriginationUrlChange friendlyName(String value) {
        return new OriginationUrlChange(value, sipUrl, priority, weight, enabled);
    }

    public OriginationUrlChange sipUrl(String value) {
        return new OriginationUrlChange(friendlyName, value, priority, weight, enabled);
    }

    public OriginationUrlChange priority(int value) {
        return new OriginationUrlChange(friendlyName, sipUrl, value, weight, enabled);
    }

    public OriginationUrlChange weight(int value) {
        return new OriginationUrlChange(friendlyName, sipUrl, priority, value, enabled);
    }

    public OriginationUrlChange enabled(boolean value) {
        return new OriginationUrlChange(friendlyName, sipUrl, priority, weight, value);
    }

    public boolean isEmpty() {
        return friendlyName == null && sipUrl == null && priority == null && weight == null && enabled == null;
    }

    /** The Twilio form parameters this change sends, in a stable order. */
    Map<String, String> formParameters() {
        Map<String, String> form = new LinkedHashMap<>();
        if (weight != null) {
            form.put("Weight", weight.toString());
        }
        if (priority != null) {
            form.put("Priority", priority.toString());
        }
        if (enabled != null) {
            form.put("Enabled", enabled.toString());
        }
        if (friendlyName != null) {
            form.put("FriendlyName", friendlyName);
        }
        if (sipUrl != null) {
            form.put("SipUrl", sipUrl);
        }
        return form;
    }
}
