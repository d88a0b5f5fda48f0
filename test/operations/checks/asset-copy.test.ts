import { COPY_OBJECT_LIMIT, missingAssets, planAssetCopy, sameObject } from "../../../lib/operations/checks/asset-copy";

const T0 = new Date("2026-11-21T10:00:00Z");
const T1 = new Date("2026-11-21T11:00:00Z");
const BUCKETS = { source: "acme-dr-assets-us-east-1", target: "acme-assets-us-east-1", sourceRegion: "us-east-2", targetRegion: "us-east-1" };

describe("sameObject", () => {
  it("compares size and ETag, unless either ETag is a multipart one (a copy changes it)", () => {
    expect(sameObject({ Size: 1, ETag: '"a"' }, { Size: 1, ETag: '"a"' })).toBe(true);
    expect(sameObject({ Size: 1, ETag: '"a"' }, { Size: 1, ETag: '"b"' })).toBe(false);
    expect(sameObject({ Size: 1, ETag: '"a-2"' }, { Size: 1, ETag: '"b"' })).toBe(true);
    expect(sameObject({ Size: 1, ETag: '"a"' }, { Size: 2, ETag: '"a"' })).toBe(false);
  });
});

describe("planAssetCopy and missingAssets", () => {
  const source = [
    { Key: "same", Size: 1, ETag: '"a"', LastModified: T1 },
    { Key: "new", Size: 1, ETag: '"n"', LastModified: T1 },
    { Key: "older-there", Size: 1, ETag: '"x"', LastModified: T1 },
    { Key: "newer-there", Size: 1, ETag: '"y"', LastModified: T0 },
    { Key: "huge", Size: COPY_OBJECT_LIMIT + 1, ETag: '"h"', LastModified: T1 },
  ];
  const target = new Map([
    ["same", { Key: "same", Size: 1, ETag: '"a"', LastModified: T0 }],
    ["older-there", { Key: "older-there", Size: 1, ETag: '"o"', LastModified: T0 }],
    ["newer-there", { Key: "newer-there", Size: 1, ETag: '"z"', LastModified: T1 }],
  ]);

  it("copies what is missing or older in the target, keeps a newer target version as a conflict, and names a copy too large for one request", () => {
    expect(planAssetCopy(source, target, BUCKETS)).toEqual([
      { key: "same", size: 1, action: "present" },
      { key: "new", size: 1, action: "copy" },
      { key: "older-there", size: 1, action: "copy" },
      {
        key: "newer-there",
        size: 1,
        action: "conflict",
        detail: "acme-assets-us-east-1 holds a newer, different version (2026-11-21T11:00:00.000Z); decide by hand",
      },
      {
        key: "huge",
        size: COPY_OBJECT_LIMIT + 1,
        action: "too large",
        detail: "aws s3 cp s3://acme-dr-assets-us-east-1/huge s3://acme-assets-us-east-1/huge --source-region us-east-2 --region us-east-1",
      },
    ]);
  });

  it("lists every source key not identically in the target", () => {
    expect(missingAssets(source, target)).toEqual(["new", "older-there", "newer-there", "huge"]);
    expect(missingAssets(source.slice(0, 1), target)).toEqual([]);
  });
});
