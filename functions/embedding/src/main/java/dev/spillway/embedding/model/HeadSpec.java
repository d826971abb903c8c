package dev.spillway.embedding.model;

import java.nio.file.Path;

/**
 * One classification head of the registry: a file in the head format ({@code
 * dev.spillway.embedding.classify.ClassifierHead}) applied to the embedding of a registry model.
 *
 * @param id the name clients put in {@code model} of {@code POST /v1/classify}
 * @param file the head's JSON file
 */
public record HeadSpec(String id, Path file) {}
