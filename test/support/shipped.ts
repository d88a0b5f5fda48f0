import * as path from "path";
import { App } from "cdktf";
import { addEnvironments } from "../../app/assemble";
import { loadEnvironments } from "../../lib/environment";
import { REPO } from "./run";

/** The shipped environments, loaded as `cdktf synth` loads them. */
export function shippedEnvironments() {
  return loadEnvironments(path.join(REPO, "environments"));
}

/** Synthesizes the shipped environments into `outdir` (manifest.json and one folder per stack). */
export function synthShipped(outdir: string): App {
  const app = new App({ outdir, skipValidation: false });
  addEnvironments(app, shippedEnvironments());
  app.synth();
  return app;
}
