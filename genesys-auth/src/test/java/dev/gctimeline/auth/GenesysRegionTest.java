package dev.gctimeline.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class GenesysRegionTest {

    /** The list in genesys-reference.md ("Hosts and regions"), with the codes the SDKs use. */
    private static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("mypurecloud.com", "us-east-1");
        EXPECTED.put("use2.us-gov-pure.cloud", "us-east-2");
        EXPECTED.put("usw2.pure.cloud", "us-west-2");
        EXPECTED.put("cac1.pure.cloud", "ca-central-1");
        EXPECTED.put("mxc1.pure.cloud", "mx-central-1");
        EXPECTED.put("sae1.pure.cloud", "sa-east-1");
        EXPECTED.put("mypurecloud.ie", "eu-west-1");
        EXPECTED.put("euw2.pure.cloud", "eu-west-2");
        EXPECTED.put("mypurecloud.de", "eu-central-1");
        EXPECTED.put("euc2.pure.cloud", "eu-central-2");
        EXPECTED.put("edee1.eusc-pure.cloud", "eusc-de-east-1");
        EXPECTED.put("mec1.pure.cloud", "me-central-1");
        EXPECTED.put("aps1.pure.cloud", "ap-south-1");
        EXPECTED.put("apne2.pure.cloud", "ap-northeast-2");
        EXPECTED.put("mypurecloud.jp", "ap-northeast-1");
        EXPECTED.put("apne3.pure.cloud", "ap-northeast-3");
        EXPECTED.put("apse1.pure.cloud", "ap-southeast-1");
        EXPECTED.put("mypurecloud.com.au", "ap-southeast-2");
    }

    @Test
    void everyReferenceDomainIsARegionAndNothingElse() {
        assertEquals(18, GenesysRegion.values().length);
        Map<String, String> actual = Arrays.stream(GenesysRegion.values())
                .collect(Collectors.toMap(GenesysRegion::domain, GenesysRegion::code));
        assertEquals(EXPECTED, actual);
        Set<String> constantNames = Arrays.stream(GenesysRegion.values()).map(Enum::name).collect(Collectors.toSet());
        for (GenesysRegion r : GenesysRegion.values()) {
            assertEquals(r.code().toUpperCase().replace('-', '_'), r.name());
        }
        assertEquals(18, constantNames.size());
    }

    @ParameterizedTest
    @EnumSource(GenesysRegion.class)
    void everySpellingOfEveryRegionParses(GenesysRegion r) {
        String d = r.domain();
        for (String s : new String[] {d, d.toUpperCase(), " " + d + " ", d + ".", "api." + d, "login." + d,
                "streaming." + d, "apps." + d, "https://api." + d, "https://login." + d + "/", "https://login." + d
                        + "/oauth/token", "wss://streaming." + d + "/channels/streaming-1", "login." + d + ":443",
                r.code(), r.code().toUpperCase(), r.name(), r.name().toLowerCase()}) {
            assertEquals(r, GenesysRegion.fromDomain(s), s);
        }
    }

    @ParameterizedTest
    @EnumSource(GenesysRegion.class)
    void hostsFollowTheDomain(GenesysRegion r) {
        assertEquals(URI.create("https://api." + r.domain()), r.apiBase());
        assertEquals(URI.create("https://login." + r.domain()), r.loginBase());
        assertEquals(URI.create("wss://streaming." + r.domain()), r.streamingBase());
        GenesysEndpoints e = r.endpoints();
        assertEquals(r.apiBase(), e.api());
        assertEquals(r.loginBase(), e.login());
        assertEquals(r.streamingBase(), e.streaming());
        assertEquals(URI.create("https://login." + r.domain() + "/oauth/token"), e.tokenUri());
    }

    @Test
    void fedRampIsUsEast2Only() {
        for (GenesysRegion r : GenesysRegion.values()) {
            assertEquals(r == GenesysRegion.US_EAST_2, r.isFedRamp(), r.name());
        }
        assertEquals(GenesysRegion.US_EAST_2, GenesysRegion.fromDomain("use2.us-gov-pure.cloud"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mypurecloud.fr", "pure.cloud", "api.pure.cloud", "us-east-3", "login.mypurecloud",
            "evil-mypurecloud.com", "mypurecloud.com.evil.example", "", "   ", "https://", "eu_west_9"})
    void unknownRegionListsTheValidOnes(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GenesysRegion.fromDomain(text));
        for (Map.Entry<String, String> x : EXPECTED.entrySet()) {
            assertTrue(e.getMessage().contains(x.getKey() + " (" + x.getValue() + ")"), e.getMessage());
        }
        assertTrue(e.getMessage().contains("GenesysEndpoints.builder()"), e.getMessage());
    }

    @Test
    void nullIsUnknownToo() {
        assertThrows(IllegalArgumentException.class, () -> GenesysRegion.fromDomain(null));
    }
}
