// Validates a YAML stream of Kubernetes objects (terraform/examples/knative-render's `yaml` output)
// against the Knative schemas of @kubernetes-models/knative. Usage: node validate.mjs <file.yaml>
// Exit status: 0 when every document is valid, 1 when one is not, 2 on a usage or read error.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { Service } from "@kubernetes-models/knative/serving.knative.dev/v1/Service";
import { Broker } from "@kubernetes-models/knative/eventing.knative.dev/v1/Broker";
import { Trigger } from "@kubernetes-models/knative/eventing.knative.dev/v1/Trigger";
import { SinkBinding } from "@kubernetes-models/knative/sources.knative.dev/v1/SinkBinding";
import { PingSource } from "@kubernetes-models/knative/sources.knative.dev/v1/PingSource";

const models = new Map(
  [Service, Broker, Trigger, SinkBinding, PingSource].map((model) => [`${model.apiVersion}/${model.kind}`, model]),
);

// Paths of null values: the Terraform module promises none (a null in a manifest is a field the
// API server either rejects or silently drops).
function nullPaths(value, path = "") {
  if (value === null) return [path || "(document)"];
  if (Array.isArray(value)) return value.flatMap((item, i) => nullPaths(item, `${path}[${i}]`));
  if (typeof value === "object") return Object.entries(value).flatMap(([k, v]) => nullPaths(v, path ? `${path}.${k}` : k));
  return [];
}

function check(doc) {
  const errors = [];
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return { errors: ["not an object"] };
  for (const field of ["apiVersion", "kind"]) {
    if (typeof doc[field] !== "string" || doc[field] === "") errors.push(`missing ${field}`);
  }
  if (typeof doc.metadata?.name !== "string" || doc.metadata.name === "") errors.push("missing metadata.name");
  for (const path of nullPaths(doc)) errors.push(`null at ${path}`);
  for (const [k, v] of Object.entries({ ...doc.metadata?.labels, ...doc.metadata?.annotations })) {
    if (typeof v !== "string") errors.push(`label/annotation ${k} is not a string`);
  }
  const model = models.get(`${doc.apiVersion}/${doc.kind}`);
  if (!model) return { errors, schemaChecked: false };
  try {
    new model(doc).validate();
  } catch (e) {
    errors.push(e.message);
  }
  return { errors, schemaChecked: true };
}

const file = process.argv[2];
if (!file) {
  console.error("usage: node validate.mjs <manifests.yaml>");
  process.exit(2);
}
let text;
try {
  text = readFileSync(file, "utf8");
} catch (e) {
  console.error(`cannot read ${file}: ${e.message}`);
  process.exit(2);
}

const docs = parseAllDocuments(text);
let invalid = 0;
let count = 0;
docs.forEach((parsed, i) => {
  if (parsed.errors.length > 0) {
    invalid++;
    console.log(`INVALID document ${i + 1}: YAML: ${parsed.errors.map((e) => e.message).join("; ")}`);
    return;
  }
  const doc = parsed.toJS();
  if (doc === null || doc === undefined) return; // an empty document (e.g. a leading ---)
  count++;
  const name = `document ${i + 1} (${doc?.kind ?? "?"} ${doc?.metadata?.name ?? "?"})`;
  const { errors, schemaChecked } = check(doc);
  if (errors.length > 0) {
    invalid++;
    console.log(`INVALID ${name}: ${errors.join("; ")}`);
  } else if (schemaChecked) {
    console.log(`ok      ${name}: ${doc.apiVersion} schema`);
  } else {
    console.log(`ok      ${name}: not schema-checked (${doc.apiVersion} is not a Knative type); apiVersion, kind, metadata.name present`);
  }
});
if (count === 0) {
  console.log(`INVALID ${file}: no documents`);
  invalid++;
}
console.log(`${count} documents, ${invalid} invalid`);
process.exit(invalid > 0 ? 1 : 0);
