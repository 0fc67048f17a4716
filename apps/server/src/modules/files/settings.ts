/** A site's file settings as stored, read whole: defaults for what is missing or no longer valid. */
import {
  DEFAULT_FILE_SETTINGS,
  FILE_LIMITS,
  FILE_TYPES,
  type FileSettings,
  type FileType,
} from '@parley/protocol';

const KNOWN = new Set<string>(FILE_TYPES);

export function readFileSettings(stored: unknown): FileSettings {
  const value = (stored && typeof stored === 'object' ? stored : {}) as Partial<FileSettings>;
  const maxBytes =
    typeof value.maxBytes === 'number' &&
    value.maxBytes >= FILE_LIMITS.minBytes &&
    value.maxBytes <= FILE_LIMITS.maxBytes
      ? value.maxBytes
      : DEFAULT_FILE_SETTINGS.maxBytes;
  const allowedTypes = Array.isArray(value.allowedTypes)
    ? value.allowedTypes.filter((type): type is FileType => KNOWN.has(type))
    : [...DEFAULT_FILE_SETTINGS.allowedTypes];
  return { maxBytes, allowedTypes };
}
