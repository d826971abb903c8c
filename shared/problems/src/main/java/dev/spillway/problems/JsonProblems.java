package dev.spillway.problems;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.stream.Collectors;

/** What is wrong with a JSON body, in words a client can act on. Stateless; thread-safe. */
public final class JsonProblems {

  private JsonProblems() {}

  /** Names the field at fault ({@code samples[3].vector}) and never echoes its value. */
  public static String describe(JsonProcessingException failure) {
    if (failure instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      String field = path(mapping);
      if (failure instanceof UnrecognizedPropertyException) {
        return "Unknown field '" + field + "'.";
      }
      if (failure instanceof ValueInstantiationException && failure.getCause() != null) {
        return "Field '" + field + "': " + failure.getCause().getMessage();
      }
      if (failure instanceof MismatchedInputException) {
        return "Field '" + field + "' has the wrong type or format.";
      }
      return "Field '" + field + "' is invalid.";
    }
    if (failure instanceof ValueInstantiationException && failure.getCause() != null) {
      return failure.getCause().getMessage();
    }
    if (failure instanceof MismatchedInputException) {
      return "The body has the wrong shape (expected a JSON object).";
    }
    return "The body is not valid JSON.";
  }

  private static String path(JsonMappingException mapping) {
    return mapping.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }
}
