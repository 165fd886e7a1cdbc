package com.powerwatch.hj212;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Crc16Test {

    private static final String APPENDIX_A =
            "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&";

    private static int hj212(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return Crc16.hj212(b, 0, b.length);
    }

    /** The bit-by-bit algorithm exactly as Appendix A prints it, to check the table form against. */
    private static int appendixA(byte[] data) {
        int reg = 0xFFFF;
        for (byte b : data) {
            reg = (reg >> 8) ^ (b & 0xFF);
            for (int j = 0; j < 8; j++) {
                int lsb = reg & 1;
                reg >>= 1;
                if (lsb == 1) {
                    reg ^= 0xA001;
                }
            }
        }
        return reg;
    }

    @Test
    void standardWorkedExampleGives1C80() {
        assertEquals("1C80", Crc16.hex(hj212(APPENDIX_A)));
    }

    @Test
    void modbusDiffersOnTheSameExample() {
        byte[] b = APPENDIX_A.getBytes(StandardCharsets.US_ASCII);
        assertEquals("0759", Crc16.hex(Crc16.modbus(b, 0, b.length)));
        assertEquals("5907", Crc16.hex(CrcPolicy.MODBUS_LE.compute(b, 0, b.length)));
    }

    @Test
    void tableFormEqualsTheLiteralAlgorithmOnRandomData() {
        java.util.Random random = new java.util.Random(212);
        for (int i = 0; i < 2000; i++) {
            byte[] data = new byte[random.nextInt(300)];
            random.nextBytes(data);
            assertEquals(appendixA(data), Crc16.hj212(data, 0, data.length), "data of " + data.length + " bytes");
        }
    }

    @Test
    void hexIsZeroPaddedUppercaseAndParsesEitherCase() {
        assertEquals("0000", Crc16.hex(0));
        assertEquals("00AB", Crc16.hex(0xAB));
        byte[] lower = "f9c1".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xF9C1, Crc16.parseHex(lower, 0));
        assertEquals(-1, Crc16.parseHex("12G4".getBytes(StandardCharsets.US_ASCII), 0));
    }

    @Test
    void policyParsing() {
        assertEquals(CrcPolicy.MODBUS_LE, CrcPolicy.parse("modbus-le"));
        assertEquals(CrcPolicy.NONE, CrcPolicy.parse("None"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CrcPolicy.parse("crc32"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("crc32"));
    }
}
