package com.powerwatch.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/** Builds the malformed byte sequences of {@link FaultKind}; each must be rejected whole by a correct decoder. */
final class Faults {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private Faults() {
    }

    static byte[] build(FaultKind kind, byte[] validFrame, Random random) {
        switch (kind) {
            case BAD_CRC: {
                byte[] b = validFrame.clone();
                int at = b.length - 6; // 4 hex digits before CRLF
                int crc = Integer.parseInt(new String(b, at, 4, StandardCharsets.US_ASCII), 16);
                int wrong = (crc + 1 + random.nextInt(0xFFFE)) & 0xFFFF;
                for (int i = 3; i >= 0; i--) {
                    b[at + i] = HEX[wrong & 0xF];
                    wrong >>>= 4;
                }
                return b;
            }
            case BAD_LENGTH: {
                byte[] b = validFrame.clone();
                int declared = Integer.parseInt(new String(b, 2, 4, StandardCharsets.US_ASCII));
                int wrong = declared - 1 - random.nextInt(5);
                byte[] digits = String.format("%04d", wrong).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(digits, 0, b, 2, 4);
                return b;
            }
            case GARBAGE: {
                int n = 10 + random.nextInt(190);
                byte[] b = new byte[n + 2];
                for (int i = 0; i < n; i++) {
                    byte c;
                    do {
                        c = (byte) (0x20 + random.nextInt(0x5F));
                    } while (c == '#');
                    b[i] = c;
                }
                b[n] = '\r';
                b[n + 1] = '\n';
                return b;
            }
            default: {
                // Declares 9999 bytes, carries 9999 bytes of filler and a wrong CRC: oversize under any
                // maximum below 9999, a CRC error otherwise; never "##" or CRLF inside.
                byte[] b = new byte[6 + 9999 + 6];
                b[0] = '#';
                b[1] = '#';
                b[2] = b[3] = b[4] = b[5] = '9';
                Arrays.fill(b, 6, 6 + 9999, (byte) 'X');
                byte[] tail = "0000\r\n".getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(tail, 0, b, 6 + 9999, tail.length);
                return b;
            }
        }
    }
}
