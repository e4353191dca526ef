/**
 * Taking over an app registration made by hand (Botpress's manual guide): what the caller names,
 * and the Terraform import ids of each existing object.
 */

/** Whether `adopt` imports the app's existing Microsoft Graph permission entry when not told. */
export const IMPORT_GRAPH_API_ACCESS_BY_DEFAULT = true;

/** An app registration made by hand that this construct should take over instead of duplicating. */
export interface AdoptExistingApplication {
  /** Object id (not client id) of the existing app registration. */
  readonly applicationObjectId: string;
  /**
   * Object id of its service principal (enterprise application), if it has one.
   * @default none: a service principal is created
   */
  readonly servicePrincipalObjectId?: string;
  /**
   * Import the app's existing Microsoft Graph permission entry (the portal adds User.Read to
   * every new registration).
   * @default true (IMPORT_GRAPH_API_ACCESS_BY_DEFAULT)
   */
  readonly importGraphApiAccess?: boolean;
  /**
   * Existing app role assignments to import, by principal object id (a group or user in
   * `access`): the assignment id that Microsoft Graph lists under
   * `/servicePrincipals/<id>/appRoleAssignedTo`. Needs `servicePrincipalObjectId`.
   * @default none: every assignment is created
   */
  readonly appRoleAssignments?: Readonly<Record<string, string>>;
  /**
   * Id of the existing delegated permission grant (admin consent) to import.
   * @default none: the grant is created when admin consent is on
   */
  readonly delegatedPermissionGrantId?: string;
  /**
   * Object ids in `owners` that already own the registration (imported instead of added).
   * @default none: every owner is added
   */
  readonly owners?: readonly string[];
}
