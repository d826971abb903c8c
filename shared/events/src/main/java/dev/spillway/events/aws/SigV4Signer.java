package dev.spillway.events.aws;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for the few HTTP calls Spillway makes to IAM-authorised AWS endpoints
 * from inside Lambda: event deliveries to an API Gateway ingress ({@code execute-api}) and calls to
 * another function's URL ({@code lambda}). Implemented here rather than with the AWS SDK, which
 * would add megabytes and reflection to native executables for two headers. It signs {@code host},
 * {@code x-amz-date}, {@code x-amz-security-token} and the payload hash; checked against AWS's
 * published Signature Version 4 test suite. Thread-safe.
 */
public final class SigV4Signer {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final HexFormat HEX = HexFormat.of();
  private static final Pattern EXECUTE_API =
      Pattern.compile("[a-z0-9]+\\.execute-api\\.([a-z0-9-]+)\\.amazonaws\\.com");
  private static final Pattern LAMBDA_URL =
      Pattern.compile("[a-z0-9]+\\.lambda-url\\.([a-z0-9-]+)\\.on\\.aws");

  private final String region;
  private final String service;
  private final Supplier<AwsCredentials> credentials;
  private final Clock clock;

  public SigV4Signer(
      String region, String service, Supplier<AwsCredentials> credentials, Clock clock) {
    this.region = region;
    this.service = service;
    this.credentials = credentials;
    this.clock = clock;
  }

  /**
   * A signer for {@code endpoint} when it is an IAM-authorised AWS endpoint (an API Gateway {@code
   * *.execute-api.<region>.amazonaws.com} or a function URL {@code *.lambda-url.<region>.on.aws})
   * and {@code env} holds credentials; empty otherwise (any other URL is called unsigned).
   *
   * @throws IllegalStateException for an AWS endpoint without credentials in the environment
   */
  public static Optional<SigV4Signer> forEndpoint(
      URI endpoint, Map<String, String> env, Clock clock) {
    String host = endpoint.getHost() == null ? "" : endpoint.getHost().toLowerCase();
    String service;
    Matcher api = EXECUTE_API.matcher(host);
    Matcher url = LAMBDA_URL.matcher(host);
    String region;
    if (api.matches()) {
      service = "execute-api";
      region = api.group(1);
    } else if (url.matches()) {
      service = "lambda";
      region = url.group(1);
    } else {
      return Optional.empty();
    }
    AwsCredentials found =
        AwsCredentials.fromEnvironment(env)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        host
                            + " is an IAM-authorised AWS endpoint, but AWS_ACCESS_KEY_ID and"
                            + " AWS_SECRET_ACCESS_KEY are not set to sign calls to it"));
    return Optional.of(new SigV4Signer(region, service, () -> found, clock));
  }

  public String region() {
    return region;
  }

  public String service() {
    return service;
  }

  /**
   * The headers that sign a request: {@code Authorization}, {@code X-Amz-Date}, {@code
   * X-Amz-Content-Sha256} and, with temporary credentials, {@code X-Amz-Security-Token}. The
   * request must be sent with exactly this method, URI (host, path, query) and body.
   */
  public Map<String, String> sign(String method, URI uri, byte[] body) {
    AwsCredentials creds = credentials.get();
    String stamp = STAMP.format(clock.instant());
    String date = stamp.substring(0, 8);
    String payloadHash = HEX.formatHex(sha256(body == null ? new byte[0] : body));

    TreeMap<String, String> signed = new TreeMap<>();
    signed.put("host", hostHeader(uri));
    signed.put("x-amz-date", stamp);
    if (creds.sessionToken() != null) {
      signed.put("x-amz-security-token", creds.sessionToken());
    }
    StringBuilder canonicalHeaders = new StringBuilder();
    signed.forEach(
        (name, value) ->
            canonicalHeaders.append(name).append(':').append(value.trim()).append('\n'));
    String signedHeaders = String.join(";", signed.keySet());
    String canonicalRequest =
        method.toUpperCase()
            + '\n'
            + canonicalPath(uri.getRawPath())
            + '\n'
            + canonicalQuery(uri.getRawQuery())
            + '\n'
            + canonicalHeaders
            + '\n'
            + signedHeaders
            + '\n'
            + payloadHash;
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String stringToSign =
        "AWS4-HMAC-SHA256\n"
            + stamp
            + '\n'
            + scope
            + '\n'
            + HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    String signature = HEX.formatHex(hmac(signingKey(creds.secretAccessKey(), date), stringToSign));

    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(
        "Authorization",
        "AWS4-HMAC-SHA256 Credential="
            + creds.accessKeyId()
            + "/"
            + scope
            + ", SignedHeaders="
            + signedHeaders
            + ", Signature="
            + signature);
    headers.put("X-Amz-Date", stamp);
    headers.put("X-Amz-Content-Sha256", payloadHash);
    if (creds.sessionToken() != null) {
      headers.put("X-Amz-Security-Token", creds.sessionToken());
    }
    return headers;
  }

  private byte[] signingKey(String secret, String date) {
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, service);
    return hmac(key, "aws4_request");
  }

  private static String hostHeader(URI uri) {
    String host = uri.getHost().toLowerCase();
    int port = uri.getPort();
    boolean defaultPort =
        port < 0
            || ("https".equals(uri.getScheme()) && port == 443)
            || ("http".equals(uri.getScheme()) && port == 80);
    return defaultPort ? host : host + ":" + port;
  }

  /** Each segment encoded again: SigV4 double-encodes paths for every service but S3. */
  static String canonicalPath(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    String[] segments = rawPath.split("/", -1);
    List<String> encoded = new ArrayList<>(segments.length);
    for (String segment : segments) {
      encoded.add(encode(segment));
    }
    return String.join("/", encoded);
  }

  static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      pairs.add(new String[] {encode(decode(name)), encode(decode(value))});
    }
    pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    List<String> joined = new ArrayList<>(pairs.size());
    for (String[] pair : pairs) {
      joined.add(pair[0] + "=" + pair[1]);
    }
    return String.join("&", joined);
  }

  /** RFC 3986 encoding with AWS's unreserved set ({@code A-Z a-z 0-9 - _ . ~}). */
  static String encode(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)));
        out.append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static String decode(String text) {
    return java.net.URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
