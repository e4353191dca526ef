import type { TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import { SensitiveFile } from '@cdktf/provider-local/lib/sensitive-file';

export interface EnvFileProps {
  readonly provider?: TerraformProvider;
  /** Path as Terraform should see it (already escaped for a template). */
  readonly filename: string;
  /** The file's text (a Terraform template; holds the client secret). */
  readonly content: string;
}

/**
 * Declares an env file that holds the client secret: the ONE place that decides how env files
 * are written, so that moving them to another mechanism (for example a staged file plus an
 * atomic installer that keeps owner and mode) is a single edit. Today: the local provider's
 * sensitive file (content hidden in plans), mode 0600.
 */
export function declareEnvFile(scope: Construct, id: string, props: EnvFileProps): SensitiveFile {
  return new SensitiveFile(scope, id, {
    provider: props.provider,
    filename: props.filename,
    content: props.content,
    filePermission: '0600',
  });
}
