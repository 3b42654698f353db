import type { DirectoryField, FieldError } from '../../../machines/index.js';
import type { DirectoryRefusedError } from '../../ports/directory-errors.js';

/** A write the company directory refused, as the field error its flow shows beside the value. */
export function directoryRefusal(error: DirectoryRefusedError, field: DirectoryField): FieldError {
  return {
    key: error.reason === 'access' ? 'directory.refusedAccess' : 'directory.refusedSchema',
    params: { field },
  };
}
