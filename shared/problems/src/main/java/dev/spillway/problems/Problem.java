package dev.spillway.problems;

/**
 * An RFC 9457 problem document ({@code application/problem+json}) with Spillway's {@code code}.
 *
 * @param type a URI naming the kind of problem
 * @param title its short, fixed description
 * @param status the HTTP status
 * @param detail what went wrong with this request, naming the field at fault
 * @param code a stable machine-readable code
 */
public record Problem(String type, String title, int status, String detail, String code) {

  public static final String MEDIA_TYPE = "application/problem+json";

  /** The document for {@code kind} with this request's {@code detail}. */
  public static Problem of(ErrorKind kind, String detail) {
    return new Problem(kind.type(), kind.title(), kind.status(), detail, kind.code());
  }
}
