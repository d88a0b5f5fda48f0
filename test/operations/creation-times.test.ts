import * as fs from "fs";
import * as path from "path";
import { CREATION_TIMES, creationTimesMarkdown, type CreationTimeTable } from "../../lib/operations/creation-times";
import { REPO } from "../support/run";

describe("CREATION_TIMES", () => {
  it("names a source for every figure", () => {
    const figures = [
      ...Object.values(CREATION_TIMES.resources),
      CREATION_TIMES.unknownResource,
      CREATION_TIMES.dataSource,
      CREATION_TIMES.databaseRestore,
      CREATION_TIMES.stackOverhead,
    ];
    expect(figures.filter((f) => f.source.trim().length < 10)).toEqual([]);
  });

  it("puts a 100 GiB point-in-time restore inside the 40-90 minutes of issue 16", () => {
    const { baseMinutes, minutesPerGib } = CREATION_TIMES.databaseRestore;
    expect(baseMinutes + minutesPerGib * 100).toBe(65);
  });

  it("is the table docs/rto.md shows", () => {
    const doc = fs.readFileSync(path.join(REPO, "docs/rto.md"), "utf8");
    const shown = /<!-- creation-times:start -->\n([\s\S]*)\n<!-- creation-times:end -->/.exec(doc);
    expect(shown?.[1]).toBe(creationTimesMarkdown(CREATION_TIMES));
  });
});

describe("creationTimesMarkdown", () => {
  it("lists each type, the restore formula, data sources, the default and the stack overhead", () => {
    const table: CreationTimeTable = {
      resources: { aws_vpc: { minutes: 0.1, source: "API call | seconds", estimate: true }, aws_eks_cluster: { minutes: 15, source: "AWS", estimate: false } },
      unknownResource: { minutes: 1, source: "default", estimate: true },
      dataSource: { minutes: 0, source: "a read", estimate: true },
      databaseRestore: { baseMinutes: 20, minutesPerGib: 0.45, source: "restore", estimate: true },
      stackOverhead: { minutes: 1, source: "plan", estimate: true },
    };
    expect(creationTimesMarkdown(table)).toBe(
      [
        "| resource type | minutes | kind | source |",
        "| --- | ---: | --- | --- |",
        "| `aws_vpc` | 0.1 | estimate | API call \\| seconds |",
        "| `aws_eks_cluster` | 15 | published | AWS |",
        "| `aws_db_instance` restored (point in time or snapshot) | 20 + 0.45 x GiB | estimate | restore |",
        "| any data source | 0 | estimate | a read |",
        "| a type not in this table | 1 | estimate | default |",
        "| per stack (init, refresh, plan) | 1 | estimate | plan |",
      ].join("\n"),
    );
  });
});
