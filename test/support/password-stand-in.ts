/**
 * A stand-in for `azuread_application_password` in the module host-apply.ts applies, so that the
 * client secret's whole life runs under a real OpenTofu: create, replace (with and without
 * create_before_destroy), `ignore_changes`, `replace_triggered_by`, `moved`, deposed objects.
 * What the provider does (facts section 4, application_password_resource.go) and what stands in:
 *
 * - Create: Graph generates a secret and adds it to the application; the provider returns once
 *   the key shows on the application object. The stand-in is a `terraform_data` of the same name
 *   whose create step adds the secret `<secret_prefix><object id>` to the OpenID provider
 *   stand-in (POST to its control URL) and returns when the provider holds it. `key_id` is the
 *   object's id, `value` that secret (sensitive), `end_date` the configured one.
 * - Every argument forces replacement: all of them are in `triggers_replace`, and an
 *   `ignore_changes` entry `X` becomes `triggers_replace["X"]` (the stored value stays, as the
 *   provider's would).
 * - Delete: the provider removes the password from the application (Graph removePassword). A
 *   deposed object's delete (create_before_destroy) runs no provisioner, so the deletes are
 *   observed in the live `tofu apply -json` stream (`apply_start`, action `delete`, `id_value` =
 *   the key id) and the key leaves the OpenID provider at that moment (rotation-harness.ts).
 * Not modelled: Entra's replication lag before a new secret works (facts section 10), the
 * two-password cap of personal-account apps, app management policies.
 */

type Json = Record<string, any>;

/** Terraform addresses and attributes of the passwords, as the rest of the module refers to them. */
export function passwordReferences(text: string): string {
  return text
    .replace(/\bazuread_application_password\.([A-Za-z0-9_-]+)\.value\b/g, 'local.bpsso_password_$1_value')
    .replace(/\bazuread_application_password\.([A-Za-z0-9_-]+)\.key_id\b/g, 'terraform_data.$1.id')
    .replace(
      /\bazuread_application_password\.([A-Za-z0-9_-]+)\.end_date\b/g,
      'terraform_data.$1.triggers_replace.end_date',
    )
    .replace(/\bazuread_application_password\.([A-Za-z0-9_-]+)/g, 'terraform_data.$1');
}

const ADD_KEY_SCRIPT = [
  "const http = require('http');",
  'const body = JSON.stringify({ clientId: process.env.CLIENT, keyId: process.env.KEY, secret: process.env.SECRET });',
  "const req = http.request(process.env.URL, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {",
  '  res.resume();',
  "  res.on('end', () => process.exit(res.statusCode === 200 ? 0 : 1));",
  '});',
  "req.on('error', (e) => { process.stderr.write(String(e) + '\\n'); process.exit(1); });",
  'req.end(body);',
].join('\n');

/**
 * The stand-in resources and the locals holding their secrets, for the passwords of a
 * synthesized stack (`rewrite` is applied to every expression first).
 */
export function passwordStandIns(
  json: Json,
  rewrite: (text: string) => string,
): { resources: Json; locals: Json; names: string[] } {
  const resources: Json = {};
  const locals: Json = {};
  const names: string[] = [];
  for (const [name, password] of Object.entries((json.resource?.azuread_application_password ?? {}) as Json)) {
    const p = JSON.parse(rewrite(JSON.stringify(password)));
    const lifecycle: Json = { ...(p.lifecycle ?? {}) };
    if (Array.isArray(lifecycle.ignore_changes))
      lifecycle.ignore_changes = lifecycle.ignore_changes.map(
        (attribute: string) => `triggers_replace["${attribute}"]`,
      );
    names.push(name);
    locals[`bpsso_password_${name}_value`] = `\${sensitive(join("", [var.secret_prefix, terraform_data.${name}.id]))}`;
    resources[name] = {
      triggers_replace: {
        application_id: '${var.client_id}',
        display_name: p.display_name,
        end_date: p.end_date,
        rotate_when_changed: p.rotate_when_changed,
      },
      lifecycle,
      provisioner: [
        {
          'local-exec': {
            interpreter: ['node', '-e'],
            command: ADD_KEY_SCRIPT,
            environment: {
              URL: '${var.idp_control_url}',
              CLIENT: '${var.client_id}',
              KEY: '${self.id}',
              SECRET: '${var.secret_prefix}${self.id}',
            },
          },
        },
      ],
    };
  }
  return { resources, locals, names };
}
