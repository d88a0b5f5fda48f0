import { brokerDefinitionsRow } from "../../../../lib/operations/checks/status/broker-definitions";
import { jobFix } from "../../../../lib/operations/checks/status/row";
import { failed, minutesAgo, NOW, primary, read, recovery } from "../../../support/facts";

const HOSTING = "acme-hosting-services-us-east-1";
const ROW = { id: "broker-definitions", store: "broker definitions", target: "65 min" };
const exported = (at: Date) => read({ found: "export" as const, key: "rabbitmq/20261121T110000Z/definitions.json", exportedAt: at, bytes: 2048 });

describe("brokerDefinitionsRow", () => {
  it("meets the target with the newest export's stamp", () => {
    expect(brokerDefinitionsRow(recovery, primary, exported(minutesAgo(60)), NOW)).toEqual({
      ...ROW,
      recoveryPoint: minutesAgo(60),
      verdict: "met",
      state: "2026-11-21T11:00:00Z (1 h 0 min ago)",
      detail: `s3://${HOSTING}/rabbitmq/20261121T110000Z/definitions.json (2048 bytes); queues, exchanges, bindings and policies created after it are not in it`,
      fix: "",
    });
  });

  it("misses a stale export with the job to look at", () => {
    expect(brokerDefinitionsRow(recovery, primary, exported(minutesAgo(210)), NOW)).toMatchObject({
      verdict: "missed",
      state: "2026-11-21T08:30:00Z (3 h 30 min ago)",
      fix: jobFix(primary, "broker definitions"),
    });
  });

  it("misses no export and no bucket", () => {
    expect(brokerDefinitionsRow(recovery, primary, read({ found: "none" as const, prefix: "rabbitmq/" }), NOW)).toEqual({
      ...ROW,
      state: "none",
      verdict: "missed",
      detail: `no export under s3://${HOSTING}/rabbitmq/`,
      fix: jobFix(primary, "broker definitions"),
    });
    expect(brokerDefinitionsRow(recovery, primary, read({ found: "no-bucket" as const }), NOW)).toMatchObject({
      state: "none",
      detail: `no bucket ${HOSTING} in us-east-2`,
      fix: `npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies   # it creates ${HOSTING}`,
    });
  });

  it("is unknown without credentials", () => {
    expect(brokerDefinitionsRow(recovery, primary, failed("no-credentials", `S3 ListObjectsV2 of ${HOSTING}`, "us-east-2"), NOW).state).toBe(
      "unknown (no AWS credentials)",
    );
  });
});
