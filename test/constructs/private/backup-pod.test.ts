import { scriptStep } from "../../../lib/constructs/private/backup-pod";

const resources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } };
/** The restricted container context of every script step, spelt out (numbers as the provider's strings). */
const RESTRICTED = {
  runAsNonRoot: true,
  runAsUser: "999",
  runAsGroup: "999",
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

describe("scriptStep", () => {
  it("runs a script of /scripts with sh, with the scripts, work folder and /tmp mounted, restricted", () => {
    expect(
      scriptStep({ name: "dump", image: "img@sha256:abc", script: "archive-database.sh", args: ["dump"], env: [{ name: "A", value: "1" }], resources }),
    ).toEqual({
      name: "dump",
      image: "img@sha256:abc",
      command: ["/bin/sh", "/scripts/archive-database.sh", "dump"],
      env: [{ name: "A", value: "1" }],
      volumeMount: [
        { name: "scripts", mountPath: "/scripts", readOnly: true },
        { name: "work", mountPath: "/work" },
        { name: "tmp", mountPath: "/tmp" },
      ],
      resources,
      securityContext: RESTRICTED,
    });
  });

  it("takes another interpreter and mounts after the common ones", () => {
    const step = scriptStep({
      name: "export",
      image: "node@sha256:abc",
      interpreter: "node",
      script: "broker-definitions.js",
      args: ["export", "/work"],
      env: [],
      mounts: [{ name: "broker-admin", mountPath: "/run/broker-admin", readOnly: true }],
      resources,
    });
    expect(step.command).toEqual(["node", "/scripts/broker-definitions.js", "export", "/work"]);
    expect(step.volumeMount.map((m) => m.name)).toEqual(["scripts", "work", "tmp", "broker-admin"]);
  });
});
