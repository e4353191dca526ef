// Types for the standalone validators that scripts/compile-schemas.js generates.
import type { ErrorObject } from 'ajv';

export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

export const validateSettings: CompiledValidator;
export const validateBotpressConfig: CompiledValidator;
export const validateAuthStrategy: CompiledValidator;
export const validateCollaboratorsAuthStrategies: CompiledValidator;
export const validateExternalAuth: CompiledValidator;
