package com.powerwatch.platform.auth;

import org.springframework.security.web.util.matcher.IpAddressMatcher;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A login's client address as the throttles count it: an IPv4 address as it is, an IPv6 address as its /64 (one
 * subscriber line usually holds a whole /64, so single addresses would be free to rotate); and whether it lies in
 * {@code powerwatch.security.login.trusted-networks}.
 *
 * @param key     what failures and the rate are counted under
 * @param trusted exempt from the account-wide lock and the per-address rate
 */
record ClientAddress(String key, boolean trusted) {

    private static final Pattern LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9a-fA-F.]*:[0-9a-fA-F:.]*");

    /** Recognizes the trusted networks; built once from the settings. */
    static final class Resolver {
        private final List<IpAddressMatcher> trusted;

        Resolver(List<String> trustedNetworks) {
            this.trusted = trustedNetworks.stream().map(String::trim).filter(s -> !s.isEmpty()).map(IpAddressMatcher::new).toList();
        }

        ClientAddress of(String remoteAddress) {
            boolean isTrusted = remoteAddress != null && trusted.stream().anyMatch(m -> m.matches(remoteAddress));
            return new ClientAddress(key(remoteAddress), isTrusted);
        }
    }

    static String key(String remoteAddress) {
        if (remoteAddress == null || remoteAddress.isBlank()) {
            return "unknown";
        }
        if (remoteAddress.length() > 45 || !LITERAL.matcher(remoteAddress).matches()) { // e.g. a forwarded header's junk: never a name lookup
            return remoteAddress.length() > 64 ? remoteAddress.substring(0, 64) : remoteAddress;
        }
        try {
            InetAddress a = InetAddress.getByName(remoteAddress);
            if (a instanceof Inet6Address) {
                byte[] prefix = Arrays.copyOf(a.getAddress(), 16);
                Arrays.fill(prefix, 8, 16, (byte) 0);
                return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
            }
            return a.getHostAddress();
        } catch (UnknownHostException e) {
            return remoteAddress;
        }
    }
}
