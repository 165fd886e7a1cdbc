package com.powerwatch.platform.auth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the login throttles name a client: IPv4 as is, IPv6 by its /64, junk never looked up; trusted networks by CIDR. */
class ClientAddressTest {

    @Test
    void anIpv6AddressCountsAsItsSlash64() {
        assertEquals("203.0.113.7", ClientAddress.key("203.0.113.7"));
        assertEquals(ClientAddress.key("2001:db8:1:2::1"), ClientAddress.key("2001:db8:1:2:ffff:eeee:dddd:cccc"),
                "one /64 is one address");
        assertTrue(ClientAddress.key("2001:db8:1:2::1").endsWith("/64"));
        assertFalse(ClientAddress.key("2001:db8:1:2::1").equals(ClientAddress.key("2001:db8:1:3::1")));
        assertEquals("example.org", ClientAddress.key("example.org"), "a name is kept as it is, not resolved");
        assertEquals("unknown", ClientAddress.key(null));
    }

    @Test
    void trustedNetworksAreMatchedByCidr() {
        ClientAddress.Resolver resolver = new ClientAddress.Resolver(List.of("127.0.0.1/32", "::1/128", "10.20.0.0/16"));
        assertTrue(resolver.of("127.0.0.1").trusted());
        assertTrue(resolver.of("0:0:0:0:0:0:0:1").trusted());
        assertTrue(resolver.of("10.20.30.40").trusted());
        assertFalse(resolver.of("127.0.0.2").trusted());
        assertFalse(resolver.of("10.21.0.1").trusted());
        assertFalse(new ClientAddress.Resolver(List.of()).of("127.0.0.1").trusted(), "an empty list trusts nobody");
    }
}
