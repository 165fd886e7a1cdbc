package com.powerwatch.platform.device;

import com.powerwatch.platform.api.ApiException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * A data logger's access password (HJ 212 {@code PW}). The device sends it in clear in every frame, so the platform
 * only needs to compare: it keeps a salted SHA-256, never the password. A fast hash is enough for what the gateway
 * does on every frame; generated passwords are random (9 characters of 56 ≈ 52 bits), and a copy of the registry
 * alone does not give them away.
 */
public final class DevicePassword {

    /** Letters and digits without look-alikes (0/O, 1/l/I), nothing HJ 212 uses as a separator. */
    static final String ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz";
    /** HJ 212-2017 gives PW 9 characters (the 2005 edition 6). */
    public static final int MIN_LENGTH = 6;
    public static final int MAX_LENGTH = 20;
    /** Factory defaults of data loggers: the password an impostor tries first. */
    private static final Set<String> FACTORY_DEFAULTS = Set.of("123456", "000000", "111111", "666666", "888888",
            "12345678", "88888888", "123456789", "admin", "password");
    private static final SecureRandom RANDOM = new SecureRandom();

    private DevicePassword() {
    }

    public static String generate(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /** A length asked for in a request (null = the configured default), 400 on {@code length} outside 6–20. */
    static int length(Integer requested, int configured) {
        int n = requested == null ? configured : requested;
        if (n < MIN_LENGTH || n > MAX_LENGTH) {
            throw ApiException.badRequest("length", "访问密码长度须为 " + MIN_LENGTH + "–" + MAX_LENGTH + " 位（HJ 212-2017 的 PW 为 9 位，2005 版为 6 位）");
        }
        return n;
    }

    /** A password an operator types (the one an installer set on the device): 400 on {@code password} when unusable. */
    static String checkChosen(String password) {
        if (password == null || password.length() < MIN_LENGTH || password.length() > MAX_LENGTH) {
            throw ApiException.badRequest("password", "访问密码须为 " + MIN_LENGTH + "–" + MAX_LENGTH + " 个字符");
        }
        if (!password.matches("[\\x21-\\x7e]+") || password.matches(".*[;=&,].*")) {
            throw ApiException.badRequest("password", "访问密码只能含字母、数字和符号，不能含空格和 HJ 212 的分隔符 ; = & ,");
        }
        if (FACTORY_DEFAULTS.contains(password.toLowerCase()) || password.chars().distinct().count() == 1) {
            throw ApiException.badRequest("password", "不能使用出厂默认密码或同一字符重复的密码，请换一个");
        }
        return password;
    }

    public static String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "sha256:" + b64.encodeToString(salt) + ":" + b64.encodeToString(digest(salt, password));
    }

    /** Whether {@code password} is the one {@code hash} was made from; constant time in the digest comparison. */
    public static boolean matches(String password, String hash) {
        if (password == null || hash == null) {
            return false;
        }
        String[] parts = hash.split(":");
        if (parts.length != 3 || !parts[0].equals("sha256")) {
            return false;
        }
        Base64.Decoder b64 = Base64.getDecoder();
        return MessageDigest.isEqual(b64.decode(parts[2]), digest(b64.decode(parts[1]), password));
    }

    private static byte[] digest(byte[] salt, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            return sha.digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
