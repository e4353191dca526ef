/** Where an environment keeps local Terraform state: in the project folder, never inside cdktf.out. */
export const localStateFileName = (environment: string): string => `terraform.${environment}.tfstate`;
