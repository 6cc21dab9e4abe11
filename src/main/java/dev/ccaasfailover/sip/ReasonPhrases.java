package dev.ccaasfailover.sip;

import java.util.Map;

/** Default reason phrases of RFC 3261 §21 (and friends) for the status codes we send or log. */
public final class ReasonPhrases {

    private static final Map<Integer, String> PHRASES = Map.ofEntries(
            Map.entry(100, "Trying"),
            Map.entry(180, "Ringing"),
            Map.entry(183, "Session Progress"),
            Map.entry(200, "OK"),
            Map.entry(202, "Accepted"),
            Map.entry(301, "Moved Permanently"),
            Map.entry(302, "Moved Temporarily"),
            Map.entry(400, "Bad Request"),
            Map.entry(401, "Unauthorized"),
            Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"),
            Map.entry(407, "Proxy Authentication Required"),
            Map.entry(408, "Request Timeout"),
            Map.entry(480, "Temporarily Unavailable"),
            Map.entry(481, "Call/Transaction Does Not Exist"),
            Map.entry(483, "Too Many Hops"),
            Map.entry(486, "Busy Here"),
            Map.entry(487, "Request Terminated"),
            Map.entry(488, "Not Acceptable Here"),
            Map.entry(500, "Server Internal Error"),
            Map.entry(501, "Not Implemented"),
            Map.entry(502, "Bad Gateway"),
            Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Server Time-out"),
            Map.entry(513, "Message Too Large"),
            Map.entry(600, "Busy Everywhere"),
            Map.entry(603, "Decline"),
            Map.entry(604, "Does Not Exist Anywhere"),
            Map.entry(606, "Not Acceptable"));

    private ReasonPhrases() {
    }

    /** The standard phrase, or a generic one by class for codes without a registered phrase. */
    public static String of(int status) {
        String phrase = PHRASES.get(status);
        if (phrase != null) {
            return phrase;
        }
        switch (status / 100) {
            case 1: return "Provisional";
            case 2: return "Success";
            case 3: return "Redirection";
            case 4: return "Client Error";
            case 5: return "Server Error";
            default: return "Global Failure";
        }
    }
}
