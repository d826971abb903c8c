package dev.spillway.problems;

/**
 * One member of a function's error family (each function has its own enum of them): the HTTP
 * status, a short fixed title and a stable machine-readable code.
 */
public interface ErrorKind {

  int status();

  String title();

  String code();

  /** The problem {@code type} URI, derived from the code. */
  default String type() {
    return "https://spillway.dev/problems/" + code().replace('_', '-');
  }
}
