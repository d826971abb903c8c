package dev.spillway.embedding.serving;

import dev.spillway.embedding.classify.ClassifierHead;

/** A classification head with the served model whose embeddings it reads. */
public record ServedHead(String id, ClassifierHead head, ServedModel model) {}
