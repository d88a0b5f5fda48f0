import { nextRecord, recordDecision, recordOutcome } from "../../../../lib/operations/checks/fence/record";
import type { FenceAction, FenceRecord } from "../../../../lib/operations/probes/fence-record";
import { failed, NOW, primary, read } from "../../../support/facts";

const TITLE = "Record what was done in s3://acme-terraform-state/dr/fence/us-east-1.json";
const act = (status: FenceAction["status"]): FenceAction => ({ id: "database", title: "t", status, detail: "d" });
const web = { namespace: "app", kind: "deployment" as const, name: "web", replicas: 3 };
const api = { namespace: "app", kind: "deployment" as const, name: "api", replicas: 2 };

describe("the fence's record", () => {
  it("is written only when an action changed something", () => {
    expect(recordDecision(primary, [act("already done"), act("would do")])).toEqual({
      action: { id: "record", title: TITLE, status: "would do", detail: "after --apply" },
    });
    expect(recordDecision(primary, [act("already done"), act("not reachable")])).toEqual({
      action: { id: "record", title: TITLE, status: "already done", detail: "nothing changed: the record is left as it is" },
    });
    expect(recordDecision(primary, [act("done")])).toEqual({ act: true });
  });

  it("keeps the first fencing time and the replica counts of earlier runs unless scaled again", () => {
    const previous: FenceRecord = {
      format: "dr-platform/fence/1",
      region: "us-east-1",
      fencedAt: "2026-11-20T00:00:00.000Z",
      updatedAt: "2026-11-20T00:00:00.000Z",
      actions: [],
      scaledWorkloads: [web, { ...api, replicas: 5 }],
    };
    expect(nextRecord(primary, previous, [act("done")], [api], NOW)).toEqual({
      format: "dr-platform/fence/1",
      region: "us-east-1",
      fencedAt: "2026-11-20T00:00:00.000Z",
      updatedAt: NOW.toISOString(),
      actions: [act("done")],
      scaledWorkloads: [web, api],
    });
    expect(nextRecord(primary, undefined, [], [], NOW).fencedAt).toBe(NOW.toISOString());
  });

  it("says where it was written, or that it is printed below when the write failed", () => {
    const record = nextRecord(primary, undefined, [], [], NOW);
    expect(recordOutcome(primary, record, read(undefined))).toEqual({ id: "record", title: TITLE, status: "done", detail: `fenced at ${NOW.toISOString()}` });
    expect(recordOutcome(primary, record, failed("refused", "S3 PutObject", "us-west-2"))).toEqual({
      id: "record",
      title: TITLE,
      status: "failed",
      detail: "AccessDenied (HTTP 403): not authorized; the record is printed below",
    });
  });
});
