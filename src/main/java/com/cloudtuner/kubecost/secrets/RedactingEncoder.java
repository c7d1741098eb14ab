package com.cloudtuner.kubecost.secrets;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import com.cloudtuner.kubecost.terminal.StatusLine;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.logging.logback.StructuredLogEncoder;

/**
 * The log encoder: one line per event, as text ({@code pattern}) or as Spring Boot's structured
 * JSON when {@code logging.structured.format.console} names a format ({@code ecs}, {@code logstash},
 * {@code gelf}), and every line redacted before it is written. Text lines make room for the
 * progress line drawn on a terminal ({@link StatusLine}); with JSON logs none is drawn.
 */
public final class RedactingEncoder extends EncoderBase<ILoggingEvent> {

    private String pattern;
    private String structuredFormat;
    private Encoder<ILoggingEvent> delegate;

    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    public void setStructuredFormat(String structuredFormat) {
        this.structuredFormat = structuredFormat;
    }

    @Override
    public void start() {
        if (structuredFormat != null && !structuredFormat.isBlank()) {
            StructuredLogEncoder structured = new StructuredLogEncoder();
            structured.setFormat(structuredFormat.trim());
            structured.setCharset(StandardCharsets.UTF_8);
            delegate = structured;
            StatusLine.STDERR.logsAreStructured();
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(pattern);
            text.setCharset(StandardCharsets.UTF_8);
            delegate = text;
        }
        delegate.setContext(getContext());
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        byte[] encoded = delegate.encode(event);
        byte[] redacted = Redactor.redact(new String(encoded, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        return StatusLine.STDERR.aroundLogLine(redacted);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }
}
