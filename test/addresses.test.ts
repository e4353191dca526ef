/**
 * Construct ids are the stack's contract: a renamed id gives a new Terraform address, and
 * Terraform then destroys the old object and creates a new one (a new client secret, a new app
 * registration, a tripped destroy guard). Every address is pinned here; changing one must be a
 * deliberate, documented migration.
 */
import { synthStack } from './support/stacks';

const WORKSPACES = JSON.stringify([
  { id: 'default', authStrategies: ['default'] },
  { id: 'sales', authStrategies: ['default'] },
]);

function addresses(json: Record<string, any>): string[] {
  const blocks = [
    ...Object.entries(json.resource ?? {}),
    ...Object.entries(json.data ?? {}).map(([type, rs]) => [`data.${type}`, rs] as const),
  ];
  return blocks.flatMap(([type, resources]) => Object.keys(resources as object).map((id) => `${type}.${id}`)).sort();
}

describe('Terraform addresses', () => {
  it('of a stack with a restart step: the single secret keeps the address it had in 0.2', () => {
    const { json } = synthStack({ restart: { command: 'docker compose up -d botpress' } });
    const rotation = addresses(json).filter((a) =>
      /client_secret|secret_rotation|restart|terraform_remote_state/.test(a),
    );
    expect(rotation).toEqual([
      'azuread_application_password.sso_client_secret_BE09A6ED',
      'data.terraform_remote_state.sso_previous_deploy_981F0DCD',
      'terraform_data.sso_restart_botpress_1289B4F3',
      'terraform_data.sso_secret_rotation_anchor_1E7EF923',
      'terraform_data.sso_secret_rotation_guard_AAF92A95',
    ]);
    expect(json.resource.time_rotating).toBeUndefined(); // 0.2's: its removal deletes nothing in Entra
  });

  it('of a stack with every feature on', () => {
    const { json } = synthStack({
      secretDelivery: { kind: 'environment', envFilePath: 'bp.env' },
      adopt: {
        applicationObjectId: '11111111-1111-1111-1111-111111111111',
        servicePrincipalObjectId: '22222222-2222-2222-2222-222222222222',
      },
      access: { groups: ['33333333-3333-3333-3333-333333333333'], users: ['44444444-4444-4444-4444-444444444444'] },
      owners: ['55555555-5555-5555-5555-555555555555'],
      workspaces: ['sales'],
      workspacesConfig: WORKSPACES,
      workspacesFilePath: '../../../workspaces.json',
    });
    expect(addresses(json)).toEqual([
      'azuread_app_role_assignment.sso_assignment_33333333_3333_3333_3333_333333333333_6E3ACC51',
      'azuread_app_role_assignment.sso_assignment_44444444_4444_4444_4444_444444444444_FECA18F6',
      'azuread_application_api_access.sso_graph_access_E79B34EE',
      'azuread_application_owner.sso_owner_55555555_5555_5555_5555_555555555555_494936AF',
      'azuread_application_password.sso_client_secret_slot_a_8BDAC49B',
      'azuread_application_password.sso_client_secret_slot_b_E0D17574',
      'azuread_application_redirect_uris.sso_redirect_uris_06F5966E',
      'azuread_application_registration.sso_application_BF6B09A7',
      'azuread_service_principal.sso_service_principal_32883F59',
      'azuread_service_principal_delegated_permission_grant.sso_admin_consent_38D0AC33',
      'data.azuread_client_config.sso_deployer_822A1689',
      'data.azuread_service_principal.sso_microsoft_graph_BA6E0280',
      'data.terraform_remote_state.sso_previous_deploy_981F0DCD',
      'local_file.sso_rendered_config_stage_BFA0CF2D',
      'local_file.sso_rendered_workspaces_stage_DC330FF5',
      'local_sensitive_file.sso_rendered_env_file_stage_6B8A9867',
      'terraform_data.sso_client_secret_slot_a_generation_DE7D4116',
      'terraform_data.sso_client_secret_slot_b_generation_3292E5EA',
      'terraform_data.sso_config_file_guard_E189B85B',
      'terraform_data.sso_rendered_config_install_4AE51750',
      'terraform_data.sso_rendered_env_file_install_751D5619',
      'terraform_data.sso_rendered_workspaces_install_4D5FCEB5',
      'terraform_data.sso_secret_rotation_anchor_1E7EF923',
      'terraform_data.sso_secret_rotation_guard_AAF92A95',
      'terraform_data.sso_workspaces_file_guard_F0A6FB0A',
      'time_sleep.sso_replication_wait_EEA6F5EC',
    ]);
  });

  it('of a disabled stack with environment delivery (the env file is removed)', () => {
    const { json } = synthStack({ enabled: false, secretDelivery: { kind: 'environment', envFilePath: 'bp.env' } });
    expect(addresses(json)).toEqual([
      'local_file.sso_rendered_config_stage_BFA0CF2D',
      'terraform_data.sso_config_file_guard_E189B85B',
      'terraform_data.sso_removed_env_file_CF7D737E',
      'terraform_data.sso_rendered_config_install_4AE51750',
    ]);
  });

  it('of a stack for database storage (only the env file is written)', () => {
    const { json } = synthStack({
      botpressStorage: 'database',
      secretDelivery: { kind: 'environment', envFilePath: 'bp.env' },
    });
    expect(addresses(json)).toEqual([
      'azuread_application_api_access.sso_graph_access_E79B34EE',
      'azuread_application_password.sso_client_secret_slot_a_8BDAC49B',
      'azuread_application_password.sso_client_secret_slot_b_E0D17574',
      'azuread_application_redirect_uris.sso_redirect_uris_06F5966E',
      'azuread_application_registration.sso_application_BF6B09A7',
      'azuread_service_principal.sso_service_principal_32883F59',
      'data.azuread_client_config.sso_deployer_822A1689',
      'data.azuread_service_principal.sso_microsoft_graph_BA6E0280',
      'data.terraform_remote_state.sso_previous_deploy_981F0DCD',
      'local_sensitive_file.sso_rendered_env_file_stage_6B8A9867',
      'terraform_data.sso_client_secret_slot_a_generation_DE7D4116',
      'terraform_data.sso_client_secret_slot_b_generation_3292E5EA',
      'terraform_data.sso_env_file_guard_83C9F810',
      'terraform_data.sso_rendered_env_file_install_751D5619',
      'terraform_data.sso_secret_rotation_anchor_1E7EF923',
      'terraform_data.sso_secret_rotation_guard_AAF92A95',
    ]);
  });
});
