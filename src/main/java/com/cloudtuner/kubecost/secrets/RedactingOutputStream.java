package com.cloudtuner.kubecost.secrets;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Collects bytes into lines and writes each line redacted; a flush redacts and writes what is pending. */
final class RedactingOutputStream extends FilterOutputStream {

    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    RedactingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public synchronized void write(int b) throws IOException {
        line.write(b);
        if (b == '\n') {
            emit();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                line.write(b, start, i + 1 - start);
                emit();
                start = i + 1;
            }
        }
        line.write(b, start, off + len - start);
    }

    @Override
    public synchronized void flush() throws IOException {
        emit();
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        flush();
        super.close();
    }

    private void emit() throws IOException {
        if (line.size() == 0) {
            return;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        out.write(Redactor.redact(text).getBytes(StandardCharsets.UTF_8));
    }
}
