package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.thanos.ThanosQueryException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns a failed Thanos request into the problem an operator can act on. */
final class ThanosFailures {

    // The client names the HTTP status in its messages ("HTTP 401: ..." or "(HTTP 403)").
    private static final Pattern HTTP_STATUS = Pattern.compile("HTTP (\\d{3})");

    private ThanosFailures() {
    }

    static int httpStatus(ThanosQueryException e) {
        Matcher m = HTTP_STATUS.matcher(String.valueOf(e.getMessage()));
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    static Finding problem(String where, ThanosQueryException e) {
        int status = httpStatus(e);
        String message = String.valueOf(e.getMessage());
        if (status == 401 || status == 403) {
            return Finding.problem("thanos_auth", where, "Thanos refused the request (HTTP " + status + "): " + message,
                    "set THANOS_BEARER_TOKEN, or THANOS_USERNAME and THANOS_PASSWORD (thanos.bearer-token, thanos.username,"
                            + " thanos.password), and THANOS_HEADERS when a gateway wants a tenant header");
        }
        if (status == 404) {
            return Finding.problem("thanos_not_found", where, message,
                    "set THANOS_URL (thanos.url) to the query API's base URL, without /api/v1: the worker adds the API's paths itself");
        }
        if (e.unanswered()) {
            return Finding.problem("thanos_unreachable", where, "no answer: " + message,
                    "check THANOS_URL (thanos.url) and that Thanos Query is reachable from here (DNS, network policy, port)");
        }
        if (message.contains("answered with warnings")) {
            return Finding.problem("thanos_warnings", where, "answers carry warnings, which the job refuses as partial data: " + message,
                    "a store, sidecar or receiver behind Thanos Query is down or slow: check Thanos Query's Stores page;"
                            + " runs fail these windows until answers come without warnings");
        }
        return Finding.problem("thanos_error", where, message,
                "the job's runs fail the same way: fix what the message names (query, timeout thanos.timeout, server logs)");
    }
}
