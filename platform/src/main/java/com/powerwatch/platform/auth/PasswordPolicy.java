package com.powerwatch.platform.auth;

import com.powerwatch.platform.api.ApiException;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a password must look like ({@code powerwatch.security.password.*}), and strong temporary passwords. A password
 * from the built-in list of common ones ({@code common-passwords.txt}: the usual top lists, Chinese favourites and
 * vendors' default passwords) is refused whatever its length, compared without regard to case.
 */
@Component
public class PasswordPolicy {

    /** Argon2 hashes any length, but a megabyte "password" is a denial-of-service, not a password. */
    static final int MAX_LENGTH = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    // no look-alikes (0/O, 1/l/I) so a temporary password can be read out on the phone
    private static final String LOWER = "abcdefghijkmnopqrstuvwxyz";
    private static final String UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private static final String DIGITS = "23456789";
    private static final String SYMBOLS = "#%+=-_!@";

    private static final Set<String> COMMON = commonPasswords();

    private final AuthProperties.Password rules;

    public PasswordPolicy(AuthProperties properties) {
        this.rules = properties.password();
    }

    /**
     * Throws a 400 naming {@code field} when {@code password} breaks the policy.
     *
     * @param oldPassword the current password when changing it (the new one must differ), else null
     */
    public void check(String field, String username, String password, String oldPassword) {
        if (password == null || password.isEmpty()) {
            throw ApiException.badRequest(field, "请输入密码");
        }
        if (password.length() < rules.minLength()) {
            throw ApiException.badRequest(field, "密码至少 " + rules.minLength() + " 位");
        }
        if (password.length() > MAX_LENGTH) {
            throw ApiException.badRequest(field, "密码不能超过 " + MAX_LENGTH + " 位");
        }
        if (classes(password) < rules.minClasses()) {
            throw ApiException.badRequest(field, "密码须包含小写字母、大写字母、数字、符号中的至少 "
                    + rules.minClasses() + " 种");
        }
        if (isCommon(password)) {
            throw ApiException.badRequest(field, "该密码过于常见，容易被猜中，请换一个不常见的密码");
        }
        if (username != null && username.length() >= 3
                && password.toLowerCase(Locale.ROOT).contains(username.toLowerCase(Locale.ROOT))) {
            throw ApiException.badRequest(field, "密码不能包含用户名");
        }
        if (password.equals(oldPassword)) {
            throw ApiException.badRequest(field, "新密码不能与当前密码相同");
        }
    }

    static boolean isCommon(String password) {
        return COMMON.contains(password.toLowerCase(Locale.ROOT));
    }

    private static Set<String> commonPasswords() {
        try (InputStream in = PasswordPolicy.class.getResourceAsStream("common-passwords.txt")) {
            if (in == null) {
                throw new IllegalStateException("common-passwords.txt is missing from the application");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).map(l -> l.toLowerCase(Locale.ROOT))
                    .collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int classes(String password) {
        boolean lower = false, upper = false, digit = false, symbol = false;
        for (int i = 0; i < password.length(); i++) {
            char c = password.charAt(i);
            if (Character.isLowerCase(c)) {
                lower = true;
            } else if (Character.isUpperCase(c)) {
                upper = true;
            } else if (Character.isDigit(c)) {
                digit = true;
            } else {
                symbol = true; // includes CJK characters and spaces: they widen the alphabet just as well
            }
        }
        return (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (symbol ? 1 : 0);
    }

    /** A random 16-character password with all four classes (~95 bits), for first logins and resets. */
    public String temporaryPassword() {
        String all = LOWER + UPPER + DIGITS + SYMBOLS;
        char[] out = new char[16];
        out[0] = pick(LOWER);
        out[1] = pick(UPPER);
        out[2] = pick(DIGITS);
        out[3] = pick(SYMBOLS);
        for (int i = 4; i < out.length; i++) {
            out[i] = pick(all);
        }
        for (int i = out.length - 1; i > 0; i--) { // shuffle so the classes are not always in front
            int j = RANDOM.nextInt(i + 1);
            char t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return new String(out);
    }

    private static char pick(String alphabet) {
        return alphabet.charAt(RANDOM.nextInt(alphabet.length()));
    }
}
