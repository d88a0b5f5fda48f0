import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as https from "https";
import * as net from "net";
import { EMULATOR_ACCOUNT_ID } from "../targets/emulator-target";
import type { LocalCertificate } from "./tls";

/** A running moto_server on the loopback interface. */
export interface Emulator {
  /** https://127.0.0.1:<port> */
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** Certificate clients must trust (AWS_CA_BUNDLE). */
  readonly caFile: string;
}

export interface StartOptions {
  readonly port: number;
  /** Certificate the emulator serves TLS with (see createLocalCertificate). */
  readonly tls: LocalCertificate;
  /** File that receives the emulator's log. */
  readonly logFile: string;
  /**
   * Enforce IAM policies after this many unauthenticated calls (moto's INITIAL_NO_AUTH_ACTION_COUNT).
   * @default - no enforcement
   */
  readonly enforceIamAfterCalls?: number;
  /** @default 30000 */
  readonly startTimeoutMs?: number;
}

/** True when something accepts connections on 127.0.0.1:port. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** True when the endpoint answers like moto (its management API) over TLS with this CA. */
export function isMoto(endpoint: string, caFile: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = https.get(`${endpoint}/moto-api/`, { ca: fs.readFileSync(caFile), timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(false));
  });
}

/**
 * Corrections of moto 5.2.1 where it contradicts AWS in a way Terraform's AWS provider trips over,
 * loaded by moto_server's interpreter at start (a `sitecustomize` module on its PYTHONPATH). Each one
 * makes moto behave as AWS documents:
 * - every DB instance gets its own DbiResourceId. moto gives all of them one constant, so with two
 *   instances in a region (a database generation restored beside the one it replaces) the provider,
 *   which reads an instance by its resource id, finds two and fails with "couldn't find resource".
 *   AWS gives each new instance (created, restored, a replica) a new one; a rename keeps it.
 * - RDS backup replication's control plane, which moto lacks: StartDBInstanceAutomatedBackupsReplication
 *   records a replication in the destination region (its own auto-backup ARN, the source instance's ARN,
 *   identifier and DbiResourceId, status `replicating`), DescribeDBInstanceAutomatedBackups lists it
 *   (by its ARN, or with moto's own automated backups, by identifier or resource id) and answers
 *   DBInstanceAutomatedBackupNotFound for an unknown ARN, StopDBInstanceAutomatedBackupsReplication
 *   ends it (InvalidDBInstanceState when the source does not replicate there), as AWS documents them.
 *   So the AWS provider deploys, reads and replaces `aws_db_instance_automated_backups_replication`,
 *   and which instance a replication follows can be read back. No backup is copied (no restore
 *   window): what still cannot be served is the gap `rds-backup-replication` (EMULATOR_GAPS).
 * - credentials AssumeRole returned act in the role's account. moto maps them so only while
 *   MOTO_ACCOUNT_ID is unset (its first rule, the emulator's account, wins over the credentials), so
 *   with the emulator's own account every call landed in it and a provider assuming a vault
 *   account's role read back the emulator's account (Terraform: "AWS account ID not allowed"). Now
 *   credentials that belong to an account act there; any other (the sandbox's `test`) in the
 *   emulator's account, as before.
 * - a version locked in COMPLIANCE mode keeps its lock: PutObjectRetention that changes the mode
 *   or shortens the retention is refused with AccessDenied, as the S3 User Guide says of
 *   compliance mode ("its retention mode can't be changed, and its retention period can't be
 *   shortened"); moto 5.2.1 overwrote the lock with whatever was sent.
 * - backup vault access policies, which moto lacks (its routes know no `/backup-vaults/{name}/access-policy`):
 *   PutBackupVaultAccessPolicy keeps the policy on its vault exactly as sent and
 *   GetBackupVaultAccessPolicy returns it so (the provider's aws_backup_vault_policy diffs what it
 *   reads), DeleteBackupVaultAccessPolicy removes it; a policy that is not JSON is
 *   InvalidParameterValueException, a vault without one ResourceNotFoundException. A deleted vault
 *   takes its policy and its tags with it: moto kept the tags, so a vault created again under the
 *   name read back the old vault's tags (AWS starts a new vault with only the tags it is created with).
 * - backup plan updates and selections, which moto lacks: UpdateBackupPlan gives the plan the rules
 *   sent, completed as CreateBackupPlan completes them, in a new version (the provider updates
 *   aws_backup_plan in place with it). CreateBackupSelection, GetBackupSelection, DeleteBackupSelection
 *   and ListBackupSelections keep a selection on its plan and read it back as AWS answers (the
 *   selection as sent, with every condition kind and the lists it left out empty); a selection with
 *   neither Resources nor ListOfTags is refused (InvalidParameterValueException, as AWS does), an
 *   unknown or deleted plan is InvalidParameterValueException "Cannot find Backup plan" and an unknown
 *   selection ResourceNotFoundException, which the provider reads as gone. DeleteBackupPlan refuses a
 *   plan that still has selections with AWS's InvalidRequestException "Related backup plan selections
 *   must be deleted prior to backup plan deletion" (moto deleted it), and a deleted plan's name can be
 *   used again (moto refused it with AlreadyExistsException).
 * - AWS Backup's ListTags reads the tags of the resource its path names, `/tags/{resourceArn}` with
 *   or without a trailing slash. moto 5.2.1 took the path's second-to-last part for the ARN, which
 *   is the resource only with botocore's trailing slash: the Go SDK sends none, so the provider read
 *   no tags for any vault or plan and planned to add them again on every run.
 * - a secret's replica keeps the KMS key it was given (ReplicateSecretToRegions, CreateSecret's
 *   AddReplicaRegions): DescribeSecret reports each replica's KmsKeyId. moto 5.2.1 reported
 *   `alias/aws/secretsmanager` for every replica, so the provider planned to replace a replica
 *   with a customer key on every run.
 * - a cross-Region read replica is made and promoted as RDS does it: its DB subnet group is looked
 *   up in the replica's region (moto 5.2.1 looked it up in the source's, so the provider's create of
 *   a warm standby's replica, whose group exists only in the recovery region, failed with
 *   DBSubnetGroupNotFoundFault), its KMS key is kept as the key's ARN however it was named (moto kept
 *   an alias as sent, so Terraform planned to replace an adopted replica over its key), it gets a
 *   DbiResourceId of its own (moto copied its source's, so
 *   a replica made back in the source's region, as a failback by reverse replication does, had two
 *   instances there with one resource id), and PromoteReadReplica makes it standalone: it no
 *   longer names a source, and its source no longer lists it (moto kept both, so a promoted
 *   database still read back as a replica).
 */
export const MOTO_FIXES = `# Written by lib/tooling/emulator.ts (MOTO_FIXES): moto 5.2.1 corrected where it contradicts AWS.
try:
    import os

    from moto.core import responses as _responses
    from moto.core.models import DEFAULT_ACCOUNT_ID as _DEFAULT_ACCOUNT

    _emulator_account = _responses.BaseResponse.get_current_account

    def _account_of_credentials(self):
        # Credentials moto issued (AssumeRole's, an IAM user's keys) act in their own account.
        from moto.iam.models import get_account_id_from

        owner = get_account_id_from(self.get_access_key())
        return owner if owner != _DEFAULT_ACCOUNT else _emulator_account(self)

    _responses.BaseResponse.get_current_account = _account_of_credentials
except ImportError:
    pass

try:
    import datetime

    from moto.s3 import models as _s3
    from moto.s3.exceptions import AccessDeniedByLock

    _put_retention = _s3.S3Backend.put_object_retention

    def _instant(value):
        return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))

    def _put_retention_keeping_compliance(self, bucket_name, key_name, version_id, retention):
        key = self.get_object(bucket_name, key_name, version_id=version_id)
        if key is not None and key.lock_mode == "COMPLIANCE" and key.lock_until:
            mode, until = retention
            if mode != "COMPLIANCE" or until is None or _instant(until) < _instant(key.lock_until):
                raise AccessDeniedByLock()
        return _put_retention(self, bucket_name, key_name, version_id, retention)

    _s3.S3Backend.put_object_retention = _put_retention_keeping_compliance
except ImportError:
    pass

try:
    import secrets
    import string

    from moto.rds import models as _rds

    _init = _rds.DBInstance.__init__

    def _init_with_own_resource_id(self, *args, **kwargs):
        _init(self, *args, **kwargs)
        alphabet = string.ascii_uppercase + string.digits
        self.dbi_resource_id = "db-" + "".join(secrets.choice(alphabet) for _ in range(26))

    _rds.DBInstance.__init__ = _init_with_own_resource_id
except ImportError:
    pass

try:
    import datetime
    import secrets
    import string

    from moto.core.responses import ActionResult
    from moto.rds import models as _rds
    from moto.rds import responses as _rds_responses
    from moto.rds.exceptions import DBInstanceNotFoundError, RDSClientError

    # RDS backup replication, which moto 5.2.1 lacks: the replication's record in the destination
    # region (what StartDBInstanceAutomatedBackupsReplication returns and Describe... lists),
    # following the source instance it was started for. No backup is copied.
    _replications = {}

    def _records(response):
        return _replications.setdefault((response.current_account, response.region), {})

    def _start_replication(self):
        source_arn = self.params.get("SourceDBInstanceArn") or ""
        parts = source_arn.split(":")
        if len(parts) < 7 or parts[5] != "db":
            raise RDSClientError("InvalidParameterValue", f"SourceDBInstanceArn is not a DB instance ARN: {source_arn}")
        source_region, account, identifier = parts[3], parts[4], parts[6]
        source = _rds.rds_backends[account][source_region].databases.get(identifier)
        if source is None:
            raise DBInstanceNotFoundError(identifier)
        alphabet = string.ascii_lowercase + string.digits
        arn = f"arn:aws:rds:{self.region}:{account}:auto-backup:ab-" + "".join(secrets.choice(alphabet) for _ in range(26))
        record = {
            "DBInstanceArn": source_arn,
            "DbiResourceId": source.dbi_resource_id,
            "Region": source_region,
            "DBInstanceIdentifier": identifier,
            "Status": "replicating",
            "Engine": source.engine,
            "EngineVersion": source.engine_version,
            "Encrypted": True,
            "KmsKeyId": self.params.get("KmsKeyId"),
            "BackupRetentionPeriod": int(self.params.get("BackupRetentionPeriod") or 7),
            "DBInstanceAutomatedBackupsArn": arn,
            "InstanceCreateTime": datetime.datetime.now(datetime.timezone.utc),
        }
        _records(self)[arn] = record
        return ActionResult({"DBInstanceAutomatedBackup": record})

    def _stop_replication(self):
        source_arn = self.params.get("SourceDBInstanceArn")
        records = _records(self)
        stopped = [arn for arn, record in records.items() if record["DBInstanceArn"] == source_arn]
        if not stopped:
            raise RDSClientError("InvalidDBInstanceState", f"The automated backups of {source_arn} are not replicating to the current region")
        record = records.pop(stopped[0])
        for arn in stopped[1:]:
            records.pop(arn)
        return ActionResult({"DBInstanceAutomatedBackup": {**record, "Status": "retained"}})

    _describe = _rds_responses.RDSResponse.describe_db_instance_automated_backups

    def _describe_with_replications(self):
        records = _records(self)
        wanted = self.params.get("DBInstanceAutomatedBackupsArn")
        if wanted is not None:
            if wanted not in records:
                raise RDSClientError("DBInstanceAutomatedBackupNotFoundFault", f"Automated backup {wanted} not found")
            return ActionResult({"DBInstanceAutomatedBackups": [records[wanted]]})
        result = _describe(self)
        matching = [
            record
            for record in records.values()
            if self.params.get("DbiResourceId") in (None, record["DbiResourceId"])
            and self.params.get("DBInstanceIdentifier") in (None, record["DBInstanceIdentifier"])
        ]
        return ActionResult({"DBInstanceAutomatedBackups": list(result.result["DBInstanceAutomatedBackups"]) + matching})

    _rds_responses.RDSResponse.start_db_instance_automated_backups_replication = _start_replication
    _rds_responses.RDSResponse.stop_db_instance_automated_backups_replication = _stop_replication
    _rds_responses.RDSResponse.describe_db_instance_automated_backups = _describe_with_replications
except ImportError:
    pass

try:
    import json
    from urllib.parse import unquote

    from moto.backup import models as _backup
    from moto.backup import responses as _backup_responses
    from moto.backup import urls as _backup_urls
    from moto.backup.exceptions import InvalidParameterValueException, ResourceNotFoundException

    # Backup vault access policies, which moto 5.2.1 lacks: kept on the vault as sent, so they go
    # with it; a vault created again under a deleted one's name starts without its policy and tags.
    def _vault_named(response):
        return response.backup_backend.describe_backup_vault(unquote(response.path.split("/")[-2]))

    def _put_access_policy(self):
        vault = _vault_named(self)
        policy = json.loads(self.body or "{}").get("Policy")
        try:
            json.loads(policy)
        except (TypeError, ValueError):
            raise InvalidParameterValueException(msg="Provided policy is not valid JSON")
        vault.access_policy = policy
        return "{}"

    def _get_access_policy(self):
        vault = _vault_named(self)
        policy = getattr(vault, "access_policy", None)
        if policy is None:
            raise ResourceNotFoundException(msg=f"Backup vault {vault.backup_vault_name} has no access policy")
        return json.dumps({"BackupVaultName": vault.backup_vault_name, "BackupVaultArn": vault.backup_vault_arn, "Policy": policy})

    def _delete_access_policy(self):
        _vault_named(self).access_policy = None
        return "{}"

    _delete_vault = _backup.BackupBackend.delete_backup_vault

    def _delete_vault_and_its_tags(self, backup_vault_name):
        vault = self.vaults.get(backup_vault_name)
        _delete_vault(self, backup_vault_name)
        if vault is not None:
            self.tagger.delete_all_tags_for_resource(vault.backup_vault_arn)

    _backup_urls.url_paths["{0}/backup-vaults/(?P<name>[^/]+)/access-policy$"] = _backup_urls.response.dispatch
    _backup_responses.BackupResponse.put_backup_vault_access_policy = _put_access_policy
    _backup_responses.BackupResponse.get_backup_vault_access_policy = _get_access_policy
    _backup_responses.BackupResponse.delete_backup_vault_access_policy = _delete_access_policy
    _backup.BackupBackend.delete_backup_vault = _delete_vault_and_its_tags
except ImportError:
    pass

try:
    import json
    from urllib.parse import unquote

    from moto.backup import models as _backup
    from moto.backup import responses as _backup_responses
    from moto.backup.exceptions import InvalidParameterValueException, InvalidRequestException, ResourceNotFoundException
    from moto.core.utils import unix_time
    from moto.moto_api._internal import mock_random

    # Backup plan updates and resource selections, which moto 5.2.1 lacks, and a plan that cannot
    # be deleted while it has selections. Selections are kept on their plan.
    def _live_plan(backend, plan_id, missing):
        plan = backend.plans.get(plan_id)
        if plan is None or plan.deletion_date is not None:
            raise missing
        return plan

    def _plan_id(response):
        return unquote(response.path.split("/plans/")[1].split("/")[0])

    def _selections(plan):
        if not hasattr(plan, "selections"):
            plan.selections = {}
        return plan.selections

    def _selection_plan(response):
        plan_id = _plan_id(response)
        missing = InvalidParameterValueException(msg=f"Cannot find Backup plan with ID {plan_id}")
        return _live_plan(response.backup_backend, plan_id, missing)

    def _selection(response):
        plan = _selection_plan(response)
        selection_id = unquote(response.path.rstrip("/").split("/")[-1])
        selection = _selections(plan).get(selection_id)
        if selection is None:
            raise ResourceNotFoundException(msg=f"Cannot find Backup selection with ID {selection_id}")
        return plan, selection

    def _update_plan(self):
        plan_id = _plan_id(self)
        plan = _live_plan(self.backup_backend, plan_id, ResourceNotFoundException(msg="Failed reading Backup plan with provided version"))
        # A plan document as CreateBackupPlan completes it (rule defaults, rule ids), in a new version.
        updated = _backup.Plan(backup_plan=json.loads(self.body)["BackupPlan"], creator_request_id=plan.creator_request_id, backend=self.backup_backend)
        plan.backup_plan = updated.backup_plan
        plan.advanced_backup_settings = updated.advanced_backup_settings
        plan.version_id = updated.version_id
        return json.dumps(plan.to_dict())

    def _create_selection(self):
        plan = _selection_plan(self)
        params = json.loads(self.body or "{}")
        sent = params.get("BackupSelection") or {}
        if not sent.get("ListOfTags") and not sent.get("Resources"):
            raise InvalidParameterValueException(msg="Invalid backup selection. Either 'ListOfTags' or 'Resources' section must be non-empty.")
        conditions = sent.get("Conditions") or {}
        selection = {
            "SelectionId": str(mock_random.uuid4()),
            "BackupPlanId": plan.backup_plan_id,
            "CreationDate": unix_time(),
            "CreatorRequestId": params.get("CreatorRequestId"),
            "BackupSelection": {
                "SelectionName": sent.get("SelectionName"),
                "IamRoleArn": sent.get("IamRoleArn"),
                "Resources": sent.get("Resources") or [],
                "ListOfTags": sent.get("ListOfTags") or [],
                "NotResources": sent.get("NotResources") or [],
                "Conditions": {kind: conditions.get(kind) or [] for kind in ("StringEquals", "StringNotEquals", "StringLike", "StringNotLike")},
            },
        }
        _selections(plan)[selection["SelectionId"]] = selection
        return json.dumps({key: selection[key] for key in ("SelectionId", "BackupPlanId", "CreationDate")})

    def _get_selection(self):
        _, selection = _selection(self)
        return json.dumps({key: value for key, value in selection.items() if value is not None})

    def _delete_selection(self):
        plan, selection = _selection(self)
        del _selections(plan)[selection["SelectionId"]]
        return "{}"

    def _list_selections(self):
        plan = _selection_plan(self)
        listed = [
            {
                "SelectionId": s["SelectionId"],
                "SelectionName": s["BackupSelection"]["SelectionName"],
                "BackupPlanId": s["BackupPlanId"],
                "CreationDate": s["CreationDate"],
                "CreatorRequestId": s["CreatorRequestId"],
                "IamRoleArn": s["BackupSelection"]["IamRoleArn"],
            }
            for s in _selections(plan).values()
        ]
        return json.dumps({"BackupSelectionsList": [{k: v for k, v in s.items() if v is not None} for s in listed]})

    _delete_plan = _backup.BackupBackend.delete_backup_plan

    def _delete_plan_without_selections(self, backup_plan_id):
        plan = self.plans.get(backup_plan_id)
        if plan is not None and _selections(plan):
            raise InvalidRequestException(msg="Related backup plan selections must be deleted prior to backup plan deletion")
        return _delete_plan(self, backup_plan_id)

    _create_plan = _backup.BackupBackend.create_backup_plan

    def _create_plan_beside_deleted(self, backup_plan, backup_plan_tags, creator_request_id):
        # A deleted plan's name is free again (moto compared the new name with deleted plans too).
        deleted = {plan_id: plan for plan_id, plan in self.plans.items() if plan.deletion_date is not None}
        for plan_id in deleted:
            del self.plans[plan_id]
        try:
            return _create_plan(self, backup_plan, backup_plan_tags, creator_request_id)
        finally:
            self.plans.update(deleted)

    _backup_responses.BackupResponse.update_backup_plan = _update_plan
    _backup_responses.BackupResponse.create_backup_selection = _create_selection
    _backup_responses.BackupResponse.get_backup_selection = _get_selection
    _backup_responses.BackupResponse.delete_backup_selection = _delete_selection
    _backup_responses.BackupResponse.list_backup_selections = _list_selections
    _backup.BackupBackend.delete_backup_plan = _delete_plan_without_selections
    _backup.BackupBackend.create_backup_plan = _create_plan_beside_deleted
except ImportError:
    pass

try:
    import json
    from urllib.parse import unquote

    from moto.backup import responses as _backup_responses

    def _list_tags_of_path_arn(self):
        resource_arn = unquote(self.path.split("/tags/", 1)[1].strip("/"))
        return json.dumps({"Tags": self.backup_backend.list_tags(resource_arn=resource_arn)})

    _backup_responses.BackupResponse.list_tags = _list_tags_of_path_arn
except ImportError:
    pass

try:
    from moto.secretsmanager import models as _secrets

    _create_replicas = _secrets.FakeSecret.create_replicas

    def _create_replicas_with_keys(self, replica_regions, force_overwrite):
        replicas = _create_replicas(self, replica_regions, force_overwrite)
        for replica, config in zip(replicas, replica_regions or []):
            if config.get("KmsKeyId"):
                replica.config["KmsKeyId"] = config["KmsKeyId"]
        return replicas

    _secrets.FakeSecret.create_replicas = _create_replicas_with_keys
except ImportError:
    pass

try:
    import secrets
    import string

    from moto.rds import models as _rds
    from moto.rds.exceptions import DBInstanceNotFoundError

    _create_read_replica = _rds.RDSBackend.create_db_instance_read_replica
    _promote_read_replica = _rds.RDSBackend.promote_read_replica

    def _create_read_replica_where_it_is(self, db_kwargs):
        # The replica's own region first: moto sets its attributes in order, and its subnet group's
        # lookup used the copied source's region when the backend came after it.
        db_kwargs = {"backend": self, **{key: value for key, value in db_kwargs.items() if key != "backend"}}
        # RDS keeps the key's ARN, whichever way it was named (an alias, as a failback's command names it).
        if db_kwargs.get("kms_key_id"):
            db_kwargs["kms_key_id"] = self._validate_kms_key(db_kwargs["kms_key_id"])
        replica = _create_read_replica(self, db_kwargs)
        alphabet = string.ascii_uppercase + string.digits
        replica.dbi_resource_id = "db-" + "".join(secrets.choice(alphabet) for _ in range(26))
        return replica

    def _promote_to_standalone(self, db_kwargs):
        database = self.databases.get(db_kwargs["db_instance_identifier"])
        source = getattr(database, "source_db_instance_identifier", None) if database is not None and database.is_replica else None
        promoted = _promote_read_replica(self, db_kwargs)
        if source:
            try:
                primary = self.find_db_from_id(source)
                primary.replicas = [r for r in primary.replicas if r not in (promoted.db_instance_arn, promoted.db_instance_identifier)]
            except DBInstanceNotFoundError:
                pass
            promoted.source_db_instance_identifier = None
        return promoted

    _rds.RDSBackend.create_db_instance_read_replica = _create_read_replica_where_it_is
    _rds.RDSBackend.promote_read_replica = _promote_to_standalone
except ImportError:
    pass
`;

/**
 * Starts moto_server on 127.0.0.1:<port>, detached so it outlives this process, and waits until
 * it answers. Refuses a port that something else already uses: the sandbox never deploys into a
 * process it did not start.
 */
export async function startEmulator(options: StartOptions): Promise<Emulator> {
  const { port } = options;
  if (!Number.isInteger(port) || port < 1024 || port > 65535) throw new Error(`port must be a whole number from 1024 to 65535 (got ${port})`);
  if (await portInUse(port)) {
    throw new Error(`port ${port} on 127.0.0.1 is already in use by another process; choose another with --port or stop that process`);
  }
  const log = fs.openSync(options.logFile, "a");
  // AWS managed policies (AmazonEKSClusterPolicy, ...) exist in AWS; moto loads them only when asked.
  // The emulator answers as the emulator target's account, which no shipped environment uses.
  // MOTO_ACM_VALIDATION_WAIT: moto issues a DNS-validated certificate after this many seconds
  // (default 60) without looking at the record; 0 lets aws_acm_certificate_validation finish at once.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MOTO_IAM_LOAD_MANAGED_POLICIES: "true",
    MOTO_ACCOUNT_ID: EMULATOR_ACCOUNT_ID,
    MOTO_ACM_VALIDATION_WAIT: "0",
  };
  if (options.enforceIamAfterCalls !== undefined) env.INITIAL_NO_AUTH_ACTION_COUNT = String(options.enforceIamAfterCalls);
  // moto's own defects that AWS does not have, corrected where moto_server's Python starts (MOTO_FIXES says which).
  const fixes = path.join(path.dirname(options.logFile), "moto-fixes");
  fs.mkdirSync(fixes, { recursive: true });
  fs.writeFileSync(path.join(fixes, "sitecustomize.py"), MOTO_FIXES);
  env.PYTHONPATH = [fixes, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter);
  let child;
  try {
    const args = ["-H", "127.0.0.1", "-p", String(port), "-c", options.tls.certFile, "-k", options.tls.keyFile];
    child = spawn("moto_server", args, { detached: true, stdio: ["ignore", log, log], env });
  } finally {
    fs.closeSync(log);
  }
  const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
  child.unref();
  const endpoint = `https://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    const failed = await Promise.race([spawnError, new Promise<undefined>((r) => setTimeout(() => r(undefined), 250))]);
    if (failed) throw new Error(`cannot start moto_server (${failed.message}); install it with: pip install 'moto[server]==5.2.1'`);
    if (child.exitCode !== null) break;
    if (await isMoto(endpoint, options.tls.certFile)) return { endpoint, port, pid: child.pid!, caFile: options.tls.certFile };
  }
  stopProcess(child.pid!);
  const tail = fs.readFileSync(options.logFile, "utf8").split("\n").slice(-10).join("\n");
  throw new Error(`moto_server did not answer on ${endpoint}; its log ends with:\n${tail}`);
}

/** Stops a detached emulator (its whole process group). */
export function stopProcess(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, "SIGTERM");
      return;
    } catch {
      // Already gone, or not a group leader: try the next form.
    }
  }
}
