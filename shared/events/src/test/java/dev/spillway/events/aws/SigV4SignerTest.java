package dev.spillway.events.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Against AWS's Signature Version 4 test suite (region us-east-1, service "service"). */
class SigV4SignerTest {

  private static final Clock SUITE_TIME =
      Clock.fixed(Instant.parse("2015-08-30T12:36:00Z"), ZoneOffset.UTC);
  private static final AwsCredentials SUITE_KEYS =
      new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);

  private final SigV4Signer signer =
      new SigV4Signer("us-east-1", "service", () -> SUITE_KEYS, SUITE_TIME);

  @Test
  void postVanilla() {
    Map<String, String> headers =
        signer.sign("POST", URI.create("https://example.amazonaws.com/"), new byte[0]);
    assertEquals(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
            + " SignedHeaders=host;x-amz-date,"
            + " Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
        headers.get("Authorization"));
    assertEquals("20150830T123600Z", headers.get("X-Amz-Date"));
  }

  @Test
  void postVanillaQuery() {
    assertEquals(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
            + " SignedHeaders=host;x-amz-date,"
            + " Signature=28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11",
        signer
            .sign("POST", URI.create("https://example.amazonaws.com/?Param1=value1"), null)
            .get("Authorization"));
  }

  @Test
  void temporaryCredentialsSignTheirTokenAndTheBodyChangesTheSignature() {
    SigV4Signer withToken =
        new SigV4Signer(
            "us-east-1",
            "execute-api",
            () -> new AwsCredentials("ASIAEXAMPLE", "secret", "token-123"),
            SUITE_TIME);
    URI uri = URI.create("https://abc123.execute-api.us-east-1.amazonaws.com/events/usage");
    Map<String, String> one = withToken.sign("POST", uri, "{\"a\":1}".getBytes());
    Map<String, String> two = withToken.sign("POST", uri, "{\"a\":2}".getBytes());
    assertTrue(
        one.get("Authorization").contains("SignedHeaders=host;x-amz-date;x-amz-security-token"));
    assertEquals("token-123", one.get("X-Amz-Security-Token"));
    assertFalse(one.get("Authorization").equals(two.get("Authorization")));
  }

  @Test
  void pathsAreEncodedTwiceAndQueriesSorted() {
    assertEquals("/events/a%2520b", SigV4Signer.canonicalPath("/events/a%20b"));
    assertEquals("a=1&a=2&b=%20", SigV4Signer.canonicalQuery("b=%20&a=2&a=1"));
  }

  @Test
  void onlyIamAuthorisedAwsEndpointsAreSigned() {
    Map<String, String> env =
        Map.of(
            "AWS_ACCESS_KEY_ID", "ASIA1", "AWS_SECRET_ACCESS_KEY", "s", "AWS_SESSION_TOKEN", "t");
    SigV4Signer api =
        SigV4Signer.forEndpoint(
                URI.create("https://a1b2c3.execute-api.eu-west-1.amazonaws.com/events/usage"),
                env,
                SUITE_TIME)
            .orElseThrow();
    assertEquals("eu-west-1", api.region());
    assertEquals("execute-api", api.service());
    SigV4Signer url =
        SigV4Signer.forEndpoint(
                URI.create("https://abcdefgh12.lambda-url.us-east-2.on.aws/v1/embeddings"),
                env,
                SUITE_TIME)
            .orElseThrow();
    assertEquals("lambda", url.service());
    assertTrue(
        SigV4Signer.forEndpoint(
                URI.create("http://broker-ingress.knative-eventing/ns/b"), env, SUITE_TIME)
            .isEmpty());
    assertTrue(
        assertThrows(
                IllegalStateException.class,
                () ->
                    SigV4Signer.forEndpoint(
                        URI.create("https://a1.execute-api.eu-west-1.amazonaws.com/"),
                        Map.of(),
                        SUITE_TIME))
            .getMessage()
            .contains("AWS_ACCESS_KEY_ID"));
    assertFalse(new AwsCredentials("ASIA1", "very-secret", "tok").toString().contains("secret"));
  }
}
