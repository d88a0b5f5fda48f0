import { Construct } from "constructs";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";

export interface SiteCertificateProps {
  /** Host name the certificate is for (one name: the site host). */
  readonly domainName: string;
  /** Zone that holds the DNS validation record. */
  readonly zoneId: string;
  /**
   * Provider of the region the certificate is used in (ACM certificates are regional).
   * @default - the stack's provider
   */
  readonly provider?: AwsProvider;
}

/**
 * A public ACM certificate for the site, DNS-validated by a record in the zone. ACM renews it by
 * itself as long as the record stays, so a recovery region's certificate made in peacetime is still
 * valid on the day, with no write to Route 53 or ACM during the outage.
 */
export class SiteCertificate extends Construct {
  public readonly resource: AcmCertificate;
  /** ARN of the certificate, known only once it is issued (listeners must wait for that). */
  public readonly certificateArn: string;
  public readonly validationRecord: Route53Record;

  constructor(scope: Construct, id: string, props: SiteCertificateProps) {
    super(scope, id);
    this.resource = new AcmCertificate(this, "resource", {
      provider: props.provider,
      domainName: props.domainName,
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      // A replacement is issued before the old one is released, so a listener always has one.
      lifecycle: { createBeforeDestroy: true },
    });
    const option = this.resource.domainValidationOptions.get(0);
    // ACM asks for the same CNAME for one name in every region of an account: the certificates of
    // a primary and its recovery share it, so the second writer must be allowed to take it over.
    this.validationRecord = new Route53Record(this, "validation", {
      zoneId: props.zoneId,
      name: option.resourceRecordName,
      type: option.resourceRecordType,
      records: [option.resourceRecordValue],
      ttl: 300,
      allowOverwrite: true,
    });
    const validation = new AcmCertificateValidation(this, "validated", {
      provider: props.provider,
      certificateArn: this.resource.arn,
      validationRecordFqdns: [this.validationRecord.fqdn],
    });
    this.certificateArn = validation.certificateArn;
  }
}
