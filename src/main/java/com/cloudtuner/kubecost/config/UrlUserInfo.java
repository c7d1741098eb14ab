package com.cloudtuner.kubecost.config;

/**
 * Where a URL's user information ({@code user:password@}) is: from the end of the scheme to an
 * {@code @}, found in the text rather than by {@link java.net.URI#getUserInfo()}, which is null
 * when the host is not valid; a password may hold an {@code @} or a {@code /} of its own.
 */
public final class UrlUserInfo {

    private UrlUserInfo() {
    }

    /** Where the user information would start: after {@code ://}, or at 0 without a scheme. */
    public static int start(String url) {
        int scheme = url.indexOf("://");
        return scheme < 0 ? 0 : scheme + 3;
    }

    /** The URL with everything between the scheme and the last {@code @} hidden: safe to log. */
    public static String redacted(String url) {
        int start = start(url);
        int at = url.lastIndexOf('@');
        return at < start ? url : url.substring(0, start) + "***" + url.substring(at);
    }
}
