import * as fs from "fs";
import * as path from "path";
import { RecoveryJournalStore, type ObjectStore } from "../../lib/recovery/journal-store";
import { newJournal, startRun, type Journal } from "../../lib/recovery/journal";
import type { RecoveryPlan } from "../../lib/recovery/plan";
import { tempDir } from "../support/temp";

const PLAN: RecoveryPlan = {
  region: "us-east-2",
  scenario: "region",
  preparation: [],
  steps: [{ id: "synth", title: "synth", kind: "check", commands: ["npx cdktf synth"], after: [], phase: "serve" }],
  manualSteps: 0,
  notNeeded: [],
};
const journalAt = (iso: string) => startRun(newJournal(PLAN, new Date(iso)), PLAN, new Date(iso));

function bucket(fail: "never" | "get" | "put" = "never"): ObjectStore & { objects: Map<string, string> } {
  const objects = new Map<string, string>();
  return {
    objects,
    location: "s3://acme-terraform-state",
    get: async (key) => {
      if (fail === "get") throw new Error("connect ETIMEDOUT");
      return objects.get(key);
    },
    put: async (key, body) => {
      if (fail === "put") throw new Error("AccessDenied");
      objects.set(key, body);
    },
  };
}

describe("RecoveryJournalStore", () => {
  it("writes the journal to the state bucket and the local folder, and reads it back", async () => {
    const dir = tempDir("journal-");
    const remote = bucket();
    const store = new RecoveryJournalStore("us-east-2", remote, dir);
    const journal = journalAt("2026-12-02T03:00:00Z");
    await store.write(journal, () => undefined);
    expect(JSON.parse(remote.objects.get("dr/recover/us-east-2/journal.json")!)).toEqual(journal);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "journal.json"), "utf8"))).toEqual(journal);
    expect(await store.read()).toEqual(journal);
  });

  it("reads the newer of the two: another machine's run in the bucket, or a local run the bucket missed", async () => {
    const dir = tempDir("journal-");
    const remote = bucket();
    const store = new RecoveryJournalStore("us-east-2", remote, dir);
    const older = journalAt("2026-12-02T03:00:00Z");
    const newer: Journal = { ...older, updatedAt: "2026-12-02T04:00:00.000Z" };
    await store.write(older, () => undefined);
    remote.objects.set("dr/recover/us-east-2/journal.json", JSON.stringify(newer));
    expect(await store.read()).toEqual(newer);
    fs.writeFileSync(path.join(dir, "journal.json"), JSON.stringify({ ...older, updatedAt: "2026-12-02T05:00:00.000Z" }));
    expect((await store.read())!.updatedAt).toBe("2026-12-02T05:00:00.000Z");
  });

  it("goes on from the local journal, saying so, when the bucket cannot be read or written", async () => {
    const dir = tempDir("journal-");
    const warnings: string[] = [];
    const journal = journalAt("2026-12-02T03:00:00Z");
    await new RecoveryJournalStore("us-east-2", bucket("put"), dir).write(journal, (m) => warnings.push(m));
    expect(warnings).toEqual(["journal kept locally only: s3://acme-terraform-state/dr/recover/us-east-2/journal.json could not be written (AccessDenied)"]);
    expect(await new RecoveryJournalStore("us-east-2", bucket("get"), dir).read((m) => warnings.push(m))).toEqual(journal);
    expect(warnings[1]).toBe(
      `s3://acme-terraform-state/dr/recover/us-east-2/journal.json could not be read (connect ETIMEDOUT): resuming from ${path.join(dir, "journal.json")} alone`,
    );
  });

  it("keeps a finished recovery's journal under its id when a new one starts", async () => {
    const dir = tempDir("journal-");
    const remote = bucket();
    const store = new RecoveryJournalStore("us-east-2", remote, dir);
    const first = journalAt("2026-12-02T03:00:00Z");
    const second = journalAt("2026-12-03T03:00:00Z");
    await store.write(first, () => undefined);
    await store.write(second, () => undefined);
    expect(JSON.parse(remote.objects.get("dr/recover/us-east-2/20261202T030000Z/journal.json")!)).toEqual(first);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "journal-20261202T030000Z.json"), "utf8"))).toEqual(first);
    expect(await store.read()).toEqual(second);
  });

  it("refuses a file that is not a journal, naming it", async () => {
    const dir = tempDir("journal-");
    fs.writeFileSync(path.join(dir, "journal.json"), JSON.stringify({ format: "something/else" }));
    await expect(new RecoveryJournalStore("us-east-2", undefined, dir).read()).rejects.toThrow(
      `${path.join(dir, "journal.json")} is not a recovery journal (format "something/else")`,
    );
  });
});
