package dev.spillway.openai;

/** The author of a chat message, as OpenAI names them on the wire. */
public enum Role {
  SYSTEM("system"),
  DEVELOPER("developer"),
  USER("user"),
  ASSISTANT("assistant"),
  TOOL("tool");

  private final String wireName;

  Role(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The role for a wire name, or null when there is none. */
  public static Role fromWire(String name) {
    for (Role role : values()) {
      if (role.wireName.equals(name)) {
        return role;
      }
    }
    return null;
  }

  /** True for the roles that instruct the model rather than converse with it. */
  public boolean isInstruction() {
    return this == SYSTEM || this == DEVELOPER;
  }
}
