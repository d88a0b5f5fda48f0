import * as path from "path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import * as ts from "typescript";
import { REPO } from "./run";

type Obj = Record<string, any>;

/**
 * Problems of a built-in Kubernetes object against the API schema, from the `kubernetes-models`
 * package (the Kubernetes OpenAPI schema compiled to validators, one model per kind), plus the
 * fields the schema does not know. The API server drops unknown fields, or with strict field
 * validation (kubectl's default) refuses them; the OpenAPI validators accept them silently, so
 * they are found from the models' TypeScript declarations. Empty when the object is valid.
 */
export function kubernetesSchemaProblems(object: Obj): string[] {
  const problems: string[] = [];
  const module = modelModule(object.apiVersion, object.kind);
  // The model module depends on the object's apiVersion, known only at run time.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Model = require(module)[object.kind];
  try {
    new Model(object).validate();
  } catch (error) {
    problems.push(...String((error as Error).message).split("\n"));
  }
  problems.push(...unknownFields(object).map((field) => `${field} is not a field of ${object.apiVersion} ${object.kind}`));
  return problems;
}

/** `kubernetes-models/apps/v1/Deployment` for apps/v1 Deployment. */
function modelModule(apiVersion: string, kind: string): string {
  return `kubernetes-models/${apiVersion}/${kind}`;
}

/** Kinds declared in the first program (building one takes seconds; others are added on demand). */
const PRELOADED_KINDS = [
  "v1/Namespace",
  "v1/Secret",
  "v1/ConfigMap",
  "v1/ServiceAccount",
  "v1/Service",
  "v1/Pod",
  "batch/v1/Job",
  "batch/v1/CronJob",
  "apps/v1/Deployment",
  "apps/v1/StatefulSet",
  "apps/v1/DaemonSet",
  "rbac.authorization.k8s.io/v1/ClusterRole",
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding",
  "rbac.authorization.k8s.io/v1/Role",
  "rbac.authorization.k8s.io/v1/RoleBinding",
  "networking.k8s.io/v1/NetworkPolicy",
  "networking.k8s.io/v1/Ingress",
  "apiextensions.k8s.io/v1/CustomResourceDefinition",
];

let checker: { program: ts.Program; file: ts.SourceFile; types: Map<string, ts.Type> } | undefined;

/** The declared type of each model kind, from one TypeScript program over the models' .d.ts files. */
function modelType(apiVersion: string, kind: string): ts.Type {
  const key = `${apiVersion}/${kind}`;
  if (checker?.types.has(key)) return checker.types.get(key)!;
  // One virtual file importing the models; a kind not preloaded rebuilds the program once.
  const known = [...new Set([...PRELOADED_KINDS, ...(checker?.types.keys() ?? []), key])];
  const fileName = path.join(REPO, "test", "__kubernetes_models__.ts");
  const text = known
    .map(
      (k, i) =>
        `import type { I${k.split("/").pop()} as T${i} } from "${modelModule(k.split("/").slice(0, -1).join("/"), k.split("/").pop()!)}";\nexport declare const v${i}: T${i};`,
    )
    .join("\n");
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) => (name === fileName ? ts.createSourceFile(name, text, version) : getSourceFile(name, version, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === fileName || fileExists(name);
  const program = ts.createProgram([fileName], options, host);
  const file = program.getSourceFile(fileName)!;
  const typeChecker = program.getTypeChecker();
  const types = new Map<string, ts.Type>();
  const exports = typeChecker.getExportsOfModule(typeChecker.getSymbolAtLocation(file)!);
  known.forEach((k, i) => {
    const symbol = exports.find((e) => e.name === `v${i}`)!;
    const type = typeChecker.getTypeOfSymbolAtLocation(symbol, file);
    if (type.flags & ts.TypeFlags.Any) throw new Error(`kubernetes-models has no declared type I${k.split("/").pop()} for ${k}`);
    types.set(k, type);
  });
  checker = { program, file, types };
  return types.get(key)!;
}

/** Paths of fields in `object` that its kind's declared type does not have. */
export function unknownFields(object: Obj): string[] {
  const type = modelType(object.apiVersion, object.kind);
  const typeChecker = checker!.program.getTypeChecker();
  const found: string[] = [];
  const visit = (value: unknown, declared: ts.Type, at: string) => {
    const type = typeChecker.getNonNullableType(declared);
    const members = type.isUnion() ? type.types : [type];
    if (members.some((m) => m.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) return;
    if (Array.isArray(value)) {
      const element = members.map((m) => typeChecker.getIndexTypeOfType(m, ts.IndexKind.Number)).find(Boolean);
      if (element) value.forEach((item, index) => visit(item, element, `${at}[${index}]`));
      return;
    }
    if (value === null || typeof value !== "object") return;
    const objects = members.filter((m) => m.flags & ts.TypeFlags.Object && !typeChecker.getIndexTypeOfType(m, ts.IndexKind.Number));
    // A type the schema leaves open (JSON, JSONSchemaPropsOrArray): no declared fields at all.
    const open = (m: ts.Type) => m.getProperties().length === 0 && !typeChecker.getIndexTypeOfType(m, ts.IndexKind.String);
    if (objects.length === 0 || objects.some(open)) return;
    // A map (labels, data, resources limits): keys are data.
    const mapValue = objects.map((m) => typeChecker.getIndexTypeOfType(m, ts.IndexKind.String)).find(Boolean);
    for (const [key, item] of Object.entries(value)) {
      const property = objects.map((m) => m.getProperty(key)).find(Boolean);
      if (property) visit(item, typeChecker.getTypeOfSymbolAtLocation(property, property.valueDeclaration ?? checker!.file), `${at}.${key}`);
      else if (mapValue) visit(item, mapValue, `${at}.${key}`);
      else found.push(`${at}.${key}`.replace(/^\./, ""));
    }
  };
  visit(object, type, "");
  return found;
}

/**
 * An OpenAPI v3 schema of a CRD as the API server applies it: objects with `properties` are
 * closed (structural schemas prune unknown fields, strict field validation refuses them) unless
 * they say `x-kubernetes-preserve-unknown-fields` or have `additionalProperties`.
 */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Obj = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, closed(value)]));
  if (out.properties && out.additionalProperties === undefined && !out["x-kubernetes-preserve-unknown-fields"]) out.additionalProperties = false;
  return out;
}

/** Validates custom resources against the CRDs' served schemas (ajv, draft-07 subset Kubernetes uses). */
export function customResourceValidator(crds: readonly Obj[]): (object: Obj) => string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validators = new Map<string, ReturnType<Ajv["compile"]>>();
  for (const crd of crds) {
    for (const version of crd.spec.versions) {
      if (!version.served) continue;
      validators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, ajv.compile(closed(version.schema.openAPIV3Schema) as Obj));
    }
  }
  return (object) => {
    const validate = validators.get(`${object.apiVersion}/${object.kind}`);
    if (!validate) return [`no CRD serves ${object.apiVersion} ${object.kind}`];
    // metadata is validated by the API server itself, not by the CRD's schema.
    const { metadata: _metadata, ...body } = object;
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`);
  };
}
