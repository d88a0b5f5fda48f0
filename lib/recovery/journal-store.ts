import * as fs from "fs";
import * as path from "path";
import { pastRecoveryJournalKey, recoveryJournalKey } from "../naming";
import type { JournalStore } from "./executor";
import type { Journal } from "./journal";

/** The object operations the store needs (the state bucket's S3 client, wrapped by the caller). */
export interface ObjectStore {
  /** The object's text; undefined when there is none. */
  get(key: string): Promise<string | undefined>;
  put(key: string, body: string): Promise<void>;
  /** Where it keeps objects, for messages (`s3://bucket`). */
  readonly location: string;
}

/**
 * A recovery's journal, kept twice: in the state bucket (it survives the outage, and another
 * operator's machine resumes from it) and in a local folder (the run goes on when the bucket cannot
 * be written; the next run reads the newer of the two). When a new recovery starts over a finished
 * one, the finished journal is kept under its id first.
 */
export class RecoveryJournalStore implements JournalStore {
  private readonly localFile: string;

  constructor(
    private readonly region: string,
    private readonly remote: ObjectStore | undefined,
    localDir: string,
  ) {
    this.localFile = path.join(localDir, "journal.json");
  }

  /** The newer of the two journals (by its last change); the local one alone when the bucket cannot be read. */
  public async read(warn: (message: string) => void = () => undefined): Promise<Journal | undefined> {
    const local = fs.existsSync(this.localFile) ? parse(fs.readFileSync(this.localFile, "utf8"), this.localFile) : undefined;
    let remote: Journal | undefined;
    if (this.remote) {
      const where = `${this.remote.location}/${recoveryJournalKey(this.region)}`;
      try {
        const text = await this.remote.get(recoveryJournalKey(this.region));
        remote = text === undefined ? undefined : parse(text, where);
      } catch (error) {
        warn(`${where} could not be read (${(error as Error).message}): resuming from ${this.localFile} alone`);
      }
    }
    if (!local || !remote) return local ?? remote;
    return local.updatedAt >= remote.updatedAt ? local : remote;
  }

  public async write(journal: Journal, warn: (message: string) => void): Promise<void> {
    const text = `${JSON.stringify(journal, null, 2)}\n`;
    fs.mkdirSync(path.dirname(this.localFile), { recursive: true });
    const previous = fs.existsSync(this.localFile) ? parse(fs.readFileSync(this.localFile, "utf8"), this.localFile) : undefined;
    if (previous && previous.recoveryId !== journal.recoveryId) {
      fs.writeFileSync(path.join(path.dirname(this.localFile), `journal-${previous.recoveryId}.json`), `${JSON.stringify(previous, null, 2)}\n`);
      if (this.remote) await this.tryPut(pastRecoveryJournalKey(this.region, previous.recoveryId), JSON.stringify(previous, null, 2), warn);
    }
    fs.writeFileSync(this.localFile, text);
    if (this.remote) await this.tryPut(recoveryJournalKey(this.region), text, warn);
  }

  private async tryPut(key: string, body: string, warn: (message: string) => void): Promise<void> {
    try {
      await this.remote!.put(key, body);
    } catch (error) {
      warn(`journal kept locally only: ${this.remote!.location}/${key} could not be written (${(error as Error).message})`);
    }
  }
}

function parse(text: string, where: string): Journal {
  const journal = JSON.parse(text) as Journal;
  if (journal.format !== "dr-platform/recovery-journal/1") throw new Error(`${where} is not a recovery journal (format ${JSON.stringify(journal.format)})`);
  return journal;
}
