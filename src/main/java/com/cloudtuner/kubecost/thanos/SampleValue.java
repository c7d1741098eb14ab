package com.cloudtuner.kubecost.thanos;

import com.cloudtuner.kubecost.secrets.Redactor;
import com.cloudtuner.kubecost.thanos.ApiResponseParser.MalformedAnswer;
import tools.jackson.core.io.NumberInput;

/** A sample's value, which the API writes as a string: only what a Prometheus-compatible server writes is a number. */
final class SampleValue {

    private SampleValue() {
    }

    static double parse(String s) {
        return switch (s) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                if (!isDecimal(s)) {
                    throw new MalformedAnswer("sample value is not a number: " + abbreviate(s));
                }
                yield NumberInput.parseDouble(s, true); // correctly rounded, as Double.parseDouble, and faster
            }
        };
    }

    /**
     * Whether a value is written as Prometheus, Thanos and VictoriaMetrics write a finite number
     * (digits, a point, an exponent), not merely something Java would parse ({@code 1.5f},
     * {@code 0x1p3}, {@code Infinity}, {@code " 1"}). A scan, not a regular expression: it runs for
     * every sample of every answer.
     */
    private static boolean isDecimal(String s) {
        int n = s.length();
        int i = n > 0 && s.charAt(0) == '-' ? 1 : 0;
        int digits = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponent = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                exponent++;
            }
            if (exponent == 0) {
                return false;
            }
        }
        return i == n;
    }

    /** Redacted before it is cut, so that no part of a secret survives the cut. */
    private static String abbreviate(String text) {
        String s = Redactor.redact(text);
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
